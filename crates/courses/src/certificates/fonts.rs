//! The fonts certificates are set in, chosen per run of text by script.
//!
//! Noto Sans (Latin with every accent, Cyrillic, Greek) and Noto Sans Arabic are embedded in
//! the binary: 1.5 MB for four files, and krilla embeds only the glyphs a certificate uses. A
//! CJK font is 19 MB, too large to carry, so Chinese, Japanese and Korean names use Debian's
//! `fonts-noto-cjk` (installed by `scripts/ensure-deps.sh`), found at run time; a name that
//! needs it when it is missing fails with a message that says what to install.

use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use krilla::{Data, text::Font};

/// A font with its bytes, which shaping reads.
#[derive(Clone)]
pub struct Face {
    /// For drawing.
    pub font: Font,
    /// The file.
    pub data: Data,
}

impl Face {
    fn new(data: Data) -> Option<Self> {
        Some(Self { font: Font::new(data.clone(), 0)?, data })
    }
}

/// Which family a run of text needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Latin, Cyrillic, Greek and everything else Noto Sans covers.
    Sans,
    /// Arabic script (right to left, joined).
    Arabic,
    /// Han, kana and Hangul.
    Cjk,
}

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Names and headings.
    Bold,
}

const SANS: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");
const ARABIC: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Regular.ttf");
const ARABIC_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Bold.ttf");

/// Where Debian's `fonts-noto-cjk` puts its fonts (and Fedora's, and a macOS Homebrew cask).
const CJK_DIRS: &[&str] =
    &["/usr/share/fonts/opentype/noto", "/usr/share/fonts/google-noto-cjk", "/usr/share/fonts/noto-cjk"];

fn embedded(data: &'static [u8]) -> Face {
    #[expect(clippy::expect_used, reason = "the embedded fonts are checked by the unit tests")]
    Face::new(data.into()).expect("embedded font parses")
}

/// The font for `family` in `weight`.
pub fn font(family: Family, weight: Weight) -> anyhow::Result<Face> {
    static CACHE: OnceLock<[Face; 4]> = OnceLock::new();
    let fonts = CACHE.get_or_init(|| [embedded(SANS), embedded(SANS_BOLD), embedded(ARABIC), embedded(ARABIC_BOLD)]);
    Ok(match (family, weight) {
        (Family::Sans, Weight::Regular) => fonts[0].clone(),
        (Family::Sans, Weight::Bold) => fonts[1].clone(),
        (Family::Arabic, Weight::Regular) => fonts[2].clone(),
        (Family::Arabic, Weight::Bold) => fonts[3].clone(),
        (Family::Cjk, weight) => cjk(weight)?,
    })
}

fn cjk(weight: Weight) -> anyhow::Result<Face> {
    static REGULAR: OnceLock<Option<Face>> = OnceLock::new();
    static BOLD: OnceLock<Option<Face>> = OnceLock::new();
    let load = |file: &str| {
        let path = std::env::var_os("LYCEUM_CJK_FONT_DIR")
            .map(std::path::PathBuf::from)
            .into_iter()
            .chain(CJK_DIRS.iter().map(std::path::PathBuf::from))
            .map(|dir| dir.join(file))
            .find(|p| p.is_file())?;
        let data = std::fs::read(&path).with_context(|| format!("reading {}", path.display())).ok()?;
        Face::new(data.into())
    };
    let bold = if weight == Weight::Bold { BOLD.get_or_init(|| load("NotoSansCJK-Bold.ttc")).clone() } else { None };
    bold.or_else(|| REGULAR.get_or_init(|| load("NotoSansCJK-Regular.ttc")).clone()).ok_or_else(|| {
        anyhow!(
            "no CJK font for a Chinese, Japanese or Korean name: install Debian's fonts-noto-cjk \
             (scripts/ensure-deps.sh does) or set LYCEUM_CJK_FONT_DIR to a folder with NotoSansCJK-Regular.ttc"
        )
    })
}

/// Whether the CJK font's file is where it is looked for (checked at start, to warn early).
pub fn cjk_available() -> bool {
    std::env::var_os("LYCEUM_CJK_FONT_DIR")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(CJK_DIRS.iter().map(std::path::PathBuf::from))
        .any(|dir| dir.join("NotoSansCJK-Regular.ttc").is_file())
}

/// The family a character needs, or `None` for characters any family can show (spaces,
/// digits, punctuation), which join the run around them.
pub fn family_of(c: char) -> Option<Family> {
    let u = c as u32;
    match u {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Some(Family::Arabic),
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3040..=0x30FF
        | 0x3100..=0x318F
        | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => Some(Family::Cjk),
        // CJK punctuation (、。「」) is CJK only when it sits among CJK text.
        0x3000..=0x303F => None,
        _ if c.is_alphabetic() => Some(Family::Sans),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_parse_and_scripts_pick_their_family() {
        for family in [Family::Sans, Family::Arabic] {
            for weight in [Weight::Regular, Weight::Bold] {
                assert!(font(family, weight).is_ok());
            }
        }
        assert_eq!(family_of('é'), Some(Family::Sans));
        assert_eq!(family_of('Ж'), Some(Family::Sans));
        assert_eq!(family_of('Ω'), Some(Family::Sans));
        assert_eq!(family_of('م'), Some(Family::Arabic));
        assert_eq!(family_of('山'), Some(Family::Cjk));
        assert_eq!(family_of('カ'), Some(Family::Cjk));
        assert_eq!(family_of('한'), Some(Family::Cjk));
        assert_eq!(family_of(' '), None);
        assert_eq!(family_of('7'), None);
    }
}
