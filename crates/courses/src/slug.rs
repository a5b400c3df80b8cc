//! Course addresses: `/learn/{slug}`, made from the title and kept unique in the school.

/// A slug from a title: lowercase ASCII letters and digits joined by single hyphens, accents
/// folded ("Fotografía básica" → "fotografia-basica"), at most 60 characters.
pub fn from_title(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "course".into() } else { out }
}

/// Whether `s` is a valid slug as typed by a creator.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

fn fold(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ñ' | 'Ñ' => "n",
        'ç' | 'Ç' => "c",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        _ => "",
    };
    let own = if folded.is_empty() { Some(c) } else { None };
    folded.chars().chain(own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(from_title("Fotografía básica: luz & color"), "fotografia-basica-luz-color");
        assert_eq!(from_title("  Rust 101!  "), "rust-101");
        assert_eq!(from_title("日本語"), "course");
        assert!(from_title(&"a".repeat(200)).len() <= 60);
        for t in ["Fotografía básica", "--x--", "Ünïcödé"] {
            assert!(is_valid(&from_title(t)), "{t}");
        }
    }

    #[test]
    fn typed_slugs_are_checked() {
        assert!(is_valid("rust-101"));
        for bad in ["", "Rust", "a--b", "-a", "a-", "a b", "a/b", &"a".repeat(81)] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
