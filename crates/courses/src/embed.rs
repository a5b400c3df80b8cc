//! Embed lessons: a YouTube, Vimeo or Loom address as the creator pasted it, turned into the
//! provider's privacy-enhanced player address (no tracking cookies before play). Anything else
//! is refused, so a lesson can only frame the three players the Content-Security-Policy allows.

/// The player hosts an embed lesson may frame (the CSP's `frame-src`).
pub const FRAME_HOSTS: [&str; 3] =
    ["https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://www.loom.com"];

/// The player address for a pasted YouTube, Vimeo or Loom link, or `None` when it is not one.
pub fn normalize(input: &str) -> Option<String> {
    let input = input.trim();
    let rest = input.strip_prefix("https://").or_else(|| input.strip_prefix("http://")).unwrap_or(input);
    let (host_and_path, query) = match rest.split_once('?') {
        Some((hp, q)) => (hp, q.split('#').next().unwrap_or_default()),
        None => (rest.split('#').next().unwrap_or_default(), ""),
    };
    let (host, path) = host_and_path.split_once('/').unwrap_or((host_and_path, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host {
        "youtube.com" | "youtube-nocookie.com" | "music.youtube.com" => {
            let id = match segments.as_slice() {
                ["watch"] => param(query, "v"),
                ["embed" | "shorts" | "live" | "v", id, ..] => Some(*id),
                _ => None,
            };
            id.filter(|id| youtube_id(id)).map(|id| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "youtu.be" => segments
            .first()
            .filter(|id| youtube_id(id))
            .map(|id| format!("https://www.youtube-nocookie.com/embed/{id}")),
        "vimeo.com" | "player.vimeo.com" => {
            let numeric = |s: &&str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
            let at = segments.iter().position(numeric)?;
            let id = segments[at];
            // An unlisted video's address carries its hash: vimeo.com/ID/HASH or ?h=HASH.
            let hash = segments.get(at + 1).copied().or_else(|| param(query, "h")).filter(|h| token(h));
            Some(match hash {
                Some(h) => format!("https://player.vimeo.com/video/{id}?h={h}&dnt=1"),
                None => format!("https://player.vimeo.com/video/{id}?dnt=1"),
            })
        }
        "loom.com" => match segments.as_slice() {
            ["share" | "embed", id, ..] if token(id) => Some(format!("https://www.loom.com/embed/{id}")),
            _ => None,
        },
        _ => None,
    }
}

fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

fn youtube_id(id: &str) -> bool {
    id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn token(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn youtube_links_become_the_no_cookie_player() {
        let want = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_string());
        for link in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s",
            "http://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "  https://www.youtube.com/live/dQw4w9WgXcQ  ",
        ] {
            assert_eq!(normalize(link), want, "{link}");
        }
    }

    #[test]
    fn vimeo_links_become_the_do_not_track_player() {
        assert_eq!(
            normalize("https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        assert_eq!(
            normalize("https://player.vimeo.com/video/76979871?autoplay=1").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        assert_eq!(
            normalize("https://vimeo.com/channels/staffpicks/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        assert_eq!(
            normalize("https://vimeo.com/76979871/8272103f6e").as_deref(),
            Some("https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1")
        );
    }

    #[test]
    fn loom_links_become_the_embed_player() {
        let want = Some("https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184".to_string());
        assert_eq!(normalize("https://www.loom.com/share/0281766fa2d04bb788eaf19e65135184?sid=1"), want);
        assert_eq!(normalize("https://loom.com/embed/0281766fa2d04bb788eaf19e65135184"), want);
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>",
            "https://youtube.com.evil.test/watch?v=dQw4w9WgXcQ",
            "https://evil.test/youtube.com/watch?v=dQw4w9WgXcQ",
            "https://vimeo.com/about",
            "https://www.loom.com/looms/videos",
            "javascript:alert(1)",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }
}
