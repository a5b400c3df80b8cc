//! Rich text from creators and students (lesson bodies, course descriptions, bios, later pages
//! and posts), cleaned with `ammonia` against one allow-list: on save, and again on output, so
//! a row written before a rule tightened is still safe to show.

use std::{collections::HashSet, sync::LazyLock};

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "mark",
        "sub",
        "sup",
        "span",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .generic_attributes(HashSet::new())
        .add_tag_attributes("a", &["href", "title"])
        .add_tag_attributes("img", &["src", "alt", "width", "height"])
        .add_tag_attributes("ol", &["start"])
        .add_tag_attributes("th", &["colspan", "rowspan"])
        .add_tag_attributes("td", &["colspan", "rowspan"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    b
});

/// `html` with everything outside the allow-list removed: scripts, event handlers, styles,
/// iframes and `javascript:` links go; headings, lists, links, images and tables stay.
pub fn sanitize(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The visible text of `html` (for excerpts, search and email text parts), whitespace folded.
pub fn text(html: &str) -> String {
    let cleaned =
        ammonia::Builder::empty().clean_content_tags(["script", "style"].into_iter().collect()).clean(html).to_string();
    let decoded = cleaned
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_dangerous_links_are_stripped() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">a</a>
            <img src="x.png" onerror="alert(1)"><iframe src="//evil"></iframe><style>p{}</style></p>"#;
        let clean = sanitize(dirty);
        for bad in ["script", "onclick", "onerror", "javascript:", "iframe", "style", "alert"] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("<p>Hi "));
        assert!(clean.contains(r#"<img src="x.png">"#));
    }

    #[test]
    fn formatting_survives_and_links_get_a_safe_rel() {
        let clean = sanitize(r#"<h2>Title</h2><ul><li><strong>a</strong></li></ul><a href="https://x.test">x</a>"#);
        assert!(clean.starts_with("<h2>Title</h2><ul><li><strong>a</strong></li></ul>"));
        assert!(clean.contains(r#"rel="noopener noreferrer nofollow""#));
        assert_eq!(sanitize(&clean), clean, "sanitising twice changes nothing");
    }

    #[test]
    fn text_is_the_visible_words() {
        assert_eq!(
            text("<p>Hello&nbsp;<b>world</b></p>\n<script>x</script><p>Tom &amp; Jerry</p>"),
            "Hello world Tom & Jerry"
        );
    }
}
