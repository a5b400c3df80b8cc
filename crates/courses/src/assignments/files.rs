//! The guards on files a student hands in, the same as the media library's: a size limit, and
//! the type read from the bytes, never from the name. PDFs, images, Office documents, ZIP
//! archives and plain text are accepted; programs are refused by name.

use media::transcode::{Detected, sniff};

/// The largest file accepted.
pub const FILE_MAX_BYTES: usize = 20 * 1024 * 1024;
/// How many files one version may carry.
pub const FILES_MAX: usize = 5;
/// The largest request body the submit form accepts: enough for every file at the limit, so
/// that a file just over it still reaches the handler and gets its message.
pub const BODY_MAX: usize = FILES_MAX * FILE_MAX_BYTES + FILE_MAX_BYTES + 1024 * 1024;

/// Why a file was refused; each is a Fluent key with the file's name as `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than [`FILE_MAX_BYTES`].
    TooLarge,
    /// A program or script.
    Executable,
    /// Not a type we accept.
    Type,
    /// Nothing in it.
    Empty,
}

impl Refusal {
    /// The message key.
    pub fn key(self) -> &'static str {
        match self {
            Self::TooLarge => "assign-file-too-large",
            Self::Executable => "assign-file-executable",
            Self::Type => "assign-file-type",
            Self::Empty => "assign-file-empty",
        }
    }
}

/// The content type a file will be stored and served with, from its bytes (and, for the
/// formats that are ZIP archives inside, its name).
pub fn check(file_name: &str, bytes: &[u8]) -> Result<&'static str, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > FILE_MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    if is_program(bytes) {
        return Err(Refusal::Executable);
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    Ok(match sniff(&bytes[..bytes.len().min(4096)]) {
        Detected::Pdf => "application/pdf",
        Detected::Png => "image/png",
        Detected::Jpeg => "image/jpeg",
        Detected::Gif => "image/gif",
        Detected::Webp => "image/webp",
        Detected::Heif => "image/heic",
        Detected::OfficeLegacy => match ext.as_str() {
            "xls" => "application/vnd.ms-excel",
            "ppt" => "application/vnd.ms-powerpoint",
            _ => "application/msword",
        },
        Detected::Zip => match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "odt" => "application/vnd.oasis.opendocument.text",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            "odp" => "application/vnd.oasis.opendocument.presentation",
            "epub" => "application/epub+zip",
            _ => "application/zip",
        },
        Detected::Unknown if is_text(bytes) => match ext.as_str() {
            "csv" => "text/csv; charset=utf-8",
            "md" | "markdown" => "text/markdown; charset=utf-8",
            _ => "text/plain; charset=utf-8",
        },
        _ => return Err(Refusal::Type),
    })
}

/// Windows, Linux and macOS programs, Java archives' class files, and scripts with a `#!` line.
fn is_program(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"MZ",
        b"\x7FELF",
        b"\xFE\xED\xFA\xCE",
        b"\xFE\xED\xFA\xCF",
        b"\xCE\xFA\xED\xFE",
        b"\xCF\xFA\xED\xFE",
        b"\xCA\xFE\xBA\xBE",
        b"#!",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// UTF-8 text without control characters other than tabs and line breaks.
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .is_ok_and(|s| s.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{feff}')))
}

/// A file name fit to keep and show: no folders, no control characters, at most 200 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() { "file".to_string() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_and_programs_are_refused() {
        assert_eq!(check("essay.pdf", b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(check("notes.txt", "Hola, ¿qué tal?\n".as_bytes()), Ok("text/plain; charset=utf-8"));
        assert!(check("report.docx", b"PK\x03\x04rest").unwrap().contains("wordprocessingml"));
        assert_eq!(check("photo.pdf", b"\x89PNG\r\n\x1A\n0000"), Ok("image/png"), "the name does not matter");
        assert_eq!(check("setup.pdf", b"MZ\x90\x00\x03"), Err(Refusal::Executable));
        assert_eq!(check("run.txt", b"#!/bin/sh\nrm -rf /"), Err(Refusal::Executable));
        assert_eq!(check("a.bin", b"\x7FELF\x02\x01"), Err(Refusal::Executable));
        assert_eq!(check("clip.mp4", b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41"), Err(Refusal::Type));
        assert_eq!(check("empty.txt", b""), Err(Refusal::Empty));
        assert_eq!(check("big.txt", &vec![b'a'; FILE_MAX_BYTES + 1]), Err(Refusal::TooLarge));
    }

    #[test]
    fn names_lose_their_folders() {
        assert_eq!(clean_name("C:\\Users\\me\\essay.pdf"), "essay.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  "), "file");
    }
}
