//! [`StorageKey`]: an object's name inside one school's storage, checked so that it cannot
//! climb out of the school's folder or mean different things to different backends.

use std::{fmt, str::FromStr};

use super::StorageError;

/// Longest key accepted, in bytes (S3 allows 1024 for the whole name, the school's id included).
pub const MAX_KEY_BYTES: usize = 512;

/// Longest single segment, in bytes (what local file systems allow for one file name).
const MAX_SEGMENT_BYTES: usize = 255;

/// Punctuation allowed besides ASCII letters and digits: what needs no escaping in URLs, S3
/// or file systems. Keys are made by code from ids; people's file names belong in the database.
const PUNCTUATION: &[char] = &['-', '_', '.', '=', '@', ',', '(', ')', '!'];

/// An object's key relative to its school, such as `media/0192f3c4/720p/segment-00001.ts`.
///
/// The first segment names the domain that owns the object (`media`, `courses`, …). A key is
/// relative, `/`-separated, without empty, `.` or `..` segments, made of ASCII letters, digits
/// and `- _ . = @ , ( ) !`, at most [`MAX_KEY_BYTES`] long. A key names a file, never a
/// folder: do not store both `a/b` and `a/b/c`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StorageKey(String);

impl StorageKey {
    /// Checks a key; the error says which rule it broke.
    pub fn parse(key: &str) -> Result<Self, StorageError> {
        let invalid = |reason: &'static str| StorageError::InvalidKey { key: key.escape_debug().to_string(), reason };
        if key.is_empty() {
            return Err(invalid("the key is empty"));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(invalid("the key is too long"));
        }
        if key.starts_with('/') {
            return Err(invalid("the key must be relative, not start with /"));
        }
        if let Some(c) = key.chars().find(|&c| c != '/' && !c.is_ascii_alphanumeric() && !PUNCTUATION.contains(&c)) {
            return Err(if c.is_control() {
                invalid("the key contains a control character")
            } else {
                invalid("the key may contain only ASCII letters, digits, / and - _ . = @ , ( ) !")
            });
        }
        for segment in key.split('/') {
            match segment {
                "" => return Err(invalid("the key has an empty segment")),
                "." | ".." => return Err(invalid("the key has a . or .. segment")),
                s if s.len() > MAX_SEGMENT_BYTES => return Err(invalid("a segment of the key is too long")),
                _ => {}
            }
        }
        Ok(Self(key.to_string()))
    }

    /// This key with more segments after it: `media/v1` joined with `720p/index.m3u8`.
    pub fn join(&self, rest: &str) -> Result<Self, StorageError> {
        Self::parse(&format!("{}/{rest}", self.0))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domain's folder: the first segment.
    pub fn domain(&self) -> &str {
        self.0.split('/').next().unwrap_or(&self.0)
    }

    /// The last segment (the file name).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for StorageKey {
    type Err = StorageError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for StorageKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::StorageKey;

    #[test]
    fn ordinary_keys_are_accepted() {
        for key in [
            "media/0192f3c4/720p/segment-00001.ts",
            "media/v1/poster.jpg",
            "courses/c1/lesson-1(final)!.pdf",
            "a",
            "files/report=2026,final@v2.pdf",
        ] {
            assert_eq!(StorageKey::parse(key).unwrap().as_str(), key);
        }
    }

    #[test]
    fn keys_that_could_escape_or_confuse_are_refused() {
        for key in [
            "",
            "/media/v1",
            "media/v1/",
            "media//v1",
            "../other-school/media/v1",
            "media/../../x",
            "media/./x",
            "..",
            "media/v1\0.ts",
            "media/v1\n.ts",
            "media/v1\u{7f}",
            "media\\..\\x",
            "media/v1#1",
            "media/%2e%2e/x",
            "media/ v1",
            "media/v1 ",
            "courses/Lección.pdf",
            "media/a+b",
            "media/a:b",
        ] {
            assert!(StorageKey::parse(key).is_err(), "{key:?} accepted");
        }
        assert!(StorageKey::parse(&"a/".repeat(300)).is_err());
        assert!(StorageKey::parse(&format!("media/{}", "x".repeat(256))).is_err());
    }

    #[test]
    fn join_checks_the_new_part_too() {
        let base = StorageKey::parse("media/v1").unwrap();
        assert_eq!(base.join("720p/index.m3u8").unwrap().as_str(), "media/v1/720p/index.m3u8");
        assert!(base.join("../../other").is_err());
        assert!(base.join("").is_err());
        assert_eq!(base.domain(), "media");
        assert_eq!(base.join("poster.jpg").unwrap().file_name(), "poster.jpg");
    }
}
