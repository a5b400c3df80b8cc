//! Caption tracks: the files creators upload (WebVTT, or SRT converted on arrival) and the
//! languages they may be in.

mod srt;

use kernel::i18n::{self, Locale};
pub use srt::{SrtError, to_webvtt};

/// Largest caption file accepted.
pub const MAX_CAPTION_BYTES: usize = 1024 * 1024;

/// The BCP 47 tags a track may have: common languages and the regional variants subtitle tools
/// and players distinguish. Each has a `language-{tag}` message with its name.
pub const LANGUAGES: &[&str] = &[
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "en-AU", "en-GB",
    "en-IN", "en-US", "es", "es-419", "es-ES", "es-MX", "et", "eu", "fa", "fi", "fil", "fr", "fr-CA", "ga", "gl", "gu",
    "ha", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "lo", "lt", "lv", "mk",
    "ml", "mn", "mr", "ms", "my", "nb", "ne", "nl", "pa", "pl", "pt", "pt-BR", "pt-PT", "qu", "ro", "ru", "si", "sk",
    "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "th", "tr", "uk", "ur", "uz", "vi", "yo", "zh-Hans", "zh-Hant",
    "zh-HK", "zu", "gn", "ay", "ht",
];

/// Whether `tag` is one of [`LANGUAGES`].
pub fn is_language(tag: &str) -> bool {
    LANGUAGES.contains(&tag)
}

/// The language's name in `locale`, or the tag itself for tracks added before the list existed.
pub fn language_name(locale: Locale, tag: &str) -> String {
    if is_language(tag) { i18n::t(locale, &format!("language-{tag}")) } else { tag.to_string() }
}

/// Every language as `(tag, name)`, sorted by name in `locale` (the picker's options).
pub fn languages(locale: Locale) -> Vec<(&'static str, String)> {
    let mut all: Vec<_> = LANGUAGES.iter().map(|tag| (*tag, language_name(locale, tag))).collect();
    all.sort_by_key(|(_, name)| sort_key(name));
    all
}

/// Lower case without accents, so "Árabe" sorts with the A's.
fn sort_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// What the player's menu shows for a track: the language's name, and the label after it when
/// the label says something more ("English · Commentary").
pub fn track_label(locale: Locale, tag: &str, label: &str) -> String {
    let name = language_name(locale, tag);
    if label.is_empty() || label.eq_ignore_ascii_case(&name) { name } else { format!("{name} · {label}") }
}

/// Why a caption file was refused: a Fluent key, and the line for SRT mistakes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The message.
    pub key: &'static str,
    /// The line it is about (SRT only).
    pub line: Option<usize>,
}

impl Refusal {
    fn key(key: &'static str) -> Self {
        Self { key, line: None }
    }
}

/// Checks an uploaded caption file and returns the WebVTT to store: a WebVTT file as it is, an
/// SRT file converted.
pub fn prepare(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::key("media-caption-empty"));
    }
    if bytes.len() > MAX_CAPTION_BYTES {
        return Err(Refusal::key("media-caption-too-large"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Refusal::key("media-caption-not-utf8"))?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = body.lines().next().unwrap_or("");
    if first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t") {
        if !body.contains("-->") {
            return Err(Refusal::key("media-caption-no-cues"));
        }
        return Ok(bytes.to_vec());
    }
    to_webvtt(text).map(String::into_bytes).map_err(|e| match e {
        SrtError::Timing { line } => Refusal { key: "media-caption-srt-timing", line: Some(line) },
        SrtError::Backwards { line } => Refusal { key: "media-caption-srt-backwards", line: Some(line) },
        SrtError::NotSrt { line } => Refusal { key: "media-caption-not-captions", line: Some(line) },
        SrtError::NoCues => Refusal::key("media-caption-no-cues"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webvtt_is_kept_srt_converted_and_the_rest_refused() {
        let vtt = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n";
        assert_eq!(prepare(vtt).as_deref(), Ok(&vtt[..]));
        assert!(prepare("\u{feff}WEBVTT - Spanish\n\n00:00.000 --> 00:02.000\nHola\n".as_bytes()).is_ok());
        let srt = prepare(b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n").unwrap();
        assert_eq!(srt, b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nSRT\n");
        assert_eq!(prepare(b""), Err(Refusal::key("media-caption-empty")));
        assert_eq!(prepare(b"WEBVTT\n"), Err(Refusal::key("media-caption-no-cues")));
        assert_eq!(prepare(&[0xff, 0xfe, 0x00]), Err(Refusal::key("media-caption-not-utf8")));
        let bad = prepare(b"1\n00:00:01 --> 00:00:02\nx\n");
        assert_eq!(bad, Err(Refusal { key: "media-caption-srt-timing", line: Some(2) }));
    }

    #[test]
    fn every_language_has_a_name_and_the_player_shows_it() {
        for locale in Locale::ALL {
            for tag in LANGUAGES {
                assert!(!i18n::t(locale, &format!("language-{tag}")).starts_with("language-"), "{tag}");
            }
        }
        assert!(is_language("pt-BR") && is_language("zh-Hans") && !is_language("English") && !is_language("xx"));
        assert_eq!(track_label(Locale::Es, "en", ""), "Inglés");
        assert_eq!(track_label(Locale::En, "en", "english"), "English");
        assert_eq!(track_label(Locale::En, "en", "SDH"), "English · SDH");
        assert_eq!(track_label(Locale::En, "english", "Talk"), "english · Talk");
        let es = languages(Locale::Es);
        assert_eq!((es[0].1.as_str(), es[1].1.as_str()), ("Afrikáans", "Aimara"));
        assert!(es.iter().position(|l| l.0 == "ar") < es.iter().position(|l| l.0 == "hy"), "Árabe before Armenio");
    }
}
