//! What a built page is made of: an ordered list of sections, each of one kind with the fields
//! its kind declares in [`SPEC`]. The spec is the contract between the editor (which builds its
//! settings panels from it), [`clean`] (which keeps only declared fields, checks and sanitises
//! them on every save) and the section templates `marketing/sections/{kind}.html`.
//!
//! Plain text is stored as typed and escaped on output; rich text is sanitised with
//! [`kernel::html::sanitize`] on save and again on output; custom HTML with the wider
//! [`clean_custom_html`]. Links accept only `http(s)`, `mailto:`, site paths and anchors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A page's content: what the draft holds and what each published version keeps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The sections, top to bottom.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Search and sharing.
    #[serde(default)]
    pub seo: Seo,
}

/// Title, description and image for search engines and link previews.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Seo {
    /// `<title>`; the page's title when empty.
    #[serde(default)]
    pub title: String,
    /// `<meta name=description>`.
    #[serde(default)]
    pub description: String,
    /// A media-library image for Open Graph and Twitter cards.
    #[serde(default)]
    pub image: String,
    /// Keep the page out of search engines and the sitemap.
    #[serde(default)]
    pub noindex: bool,
}

/// One block of a page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable within the page (the editor and the A/B results refer to it).
    pub id: String,
    /// Which kind of section.
    pub kind: String,
    /// The kind's fields (see [`SPEC`]).
    #[serde(default)]
    pub data: Map<String, Value>,
}

/// What a field holds, and so how it is checked, edited and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Field {
    /// One line of plain text, at most `max` characters; edited in place.
    Text {
        /// Longest.
        max: usize,
    },
    /// Several lines of plain text; edited in place.
    Multiline {
        /// Longest.
        max: usize,
    },
    /// Sanitised rich text (paragraphs, lists, links, emphasis).
    Rich,
    /// A link: `https://…`, `mailto:…`, `/path` or `#anchor`.
    Url,
    /// A media-library image (its id).
    Image,
    /// A media-library video (its id).
    Video,
    /// One of the school's courses (its id), shown live.
    Course,
    /// Some of the school's offers (ids), shown live with buy buttons.
    Offers,
    /// One of the school's opt-in forms (its id).
    Form,
    /// A moment, stored as RFC 3339 in UTC.
    Date,
    /// A whole number between `min` and `max`.
    Number {
        /// Smallest.
        min: i64,
        /// Largest.
        max: i64,
    },
    /// One of a few values (the first is the default).
    Choice {
        /// The values.
        options: &'static [&'static str],
    },
    /// On or off.
    Toggle,
    /// Custom HTML, sanitised with [`clean_custom_html`].
    Html,
    /// Repeated items (features, testimonials, questions), each with these fields.
    List {
        /// Each item's fields.
        item: &'static [(&'static str, Field)],
        /// Most items.
        max: usize,
    },
}

/// A section kind and its fields.
#[derive(Debug, Serialize)]
pub struct Kind {
    /// Stored name, template name and Fluent key suffix (`section-{kind}`).
    pub kind: &'static str,
    /// Its Lucide icon in the palette.
    pub icon: &'static str,
    /// Fields, in the order the settings panel shows them.
    pub fields: &'static [(&'static str, Field)],
}

const HEADING: (&str, Field) = ("heading", Field::Text { max: 140 });
const SUBHEADING: (&str, Field) = ("subheading", Field::Multiline { max: 400 });
const BUTTON_LABEL: (&str, Field) = ("button_label", Field::Text { max: 40 });
const BUTTON_URL: (&str, Field) = ("button_url", Field::Url);
const BACKGROUND: (&str, Field) = ("background", Field::Choice { options: &["light", "tinted", "dark", "brand"] });

/// Every section kind, in the palette's order.
pub const SPEC: &[Kind] = &[
    Kind {
        kind: "hero",
        icon: "sparkles",
        fields: &[
            ("eyebrow", Field::Text { max: 60 }),
            ("headline", Field::Text { max: 140 }),
            SUBHEADING,
            BUTTON_LABEL,
            BUTTON_URL,
            ("secondary_label", Field::Text { max: 40 }),
            ("secondary_url", Field::Url),
            ("image", Field::Image),
            ("video", Field::Video),
            ("layout", Field::Choice { options: &["split", "centered"] }),
            ("background", Field::Choice { options: &["dark", "light", "tinted", "brand"] }),
        ],
    },
    Kind { kind: "text", icon: "text-align-start", fields: &[HEADING, ("body", Field::Rich), BACKGROUND] },
    Kind {
        kind: "image",
        icon: "image",
        fields: &[
            ("image", Field::Image),
            ("alt", Field::Text { max: 200 }),
            ("caption", Field::Text { max: 200 }),
            ("width", Field::Choice { options: &["contained", "wide", "full"] }),
        ],
    },
    Kind {
        kind: "video",
        icon: "play",
        fields: &[HEADING, SUBHEADING, ("video", Field::Video), ("caption", Field::Text { max: 200 }), BACKGROUND],
    },
    Kind {
        kind: "features",
        icon: "list-checks",
        fields: &[
            HEADING,
            SUBHEADING,
            (
                "items",
                Field::List {
                    item: &[
                        (
                            "icon",
                            Field::Choice {
                                options: &[
                                    "check",
                                    "star",
                                    "heart",
                                    "zap",
                                    "clock",
                                    "users",
                                    "award",
                                    "book-open",
                                    "gift",
                                    "list-checks",
                                    "target",
                                    "trophy",
                                ],
                            },
                        ),
                        ("title", Field::Text { max: 80 }),
                        ("text", Field::Multiline { max: 300 }),
                    ],
                    max: 12,
                },
            ),
            ("columns", Field::Choice { options: &["3", "2"] }),
            BACKGROUND,
        ],
    },
    Kind {
        kind: "curriculum",
        icon: "list-tree",
        fields: &[HEADING, SUBHEADING, ("course", Field::Course), ("show_lessons", Field::Toggle), BACKGROUND],
    },
    Kind {
        kind: "instructor",
        icon: "user-round",
        fields: &[
            HEADING,
            ("name", Field::Text { max: 80 }),
            ("role", Field::Text { max: 120 }),
            ("bio", Field::Rich),
            ("photo", Field::Image),
            BACKGROUND,
        ],
    },
    Kind {
        kind: "testimonials",
        icon: "quote",
        fields: &[
            HEADING,
            (
                "items",
                Field::List {
                    item: &[
                        ("quote", Field::Multiline { max: 600 }),
                        ("name", Field::Text { max: 80 }),
                        ("role", Field::Text { max: 80 }),
                        ("photo", Field::Image),
                    ],
                    max: 12,
                },
            ),
            BACKGROUND,
        ],
    },
    Kind {
        kind: "pricing",
        icon: "tag",
        fields: &[HEADING, SUBHEADING, ("offers", Field::Offers), BUTTON_LABEL, BACKGROUND],
    },
    Kind {
        kind: "faq",
        icon: "circle-question-mark",
        fields: &[
            HEADING,
            (
                "items",
                Field::List {
                    item: &[("question", Field::Text { max: 200 }), ("answer", Field::Multiline { max: 1500 })],
                    max: 30,
                },
            ),
            BACKGROUND,
        ],
    },
    Kind {
        kind: "countdown",
        icon: "timer",
        fields: &[
            HEADING,
            SUBHEADING,
            ("ends_at", Field::Date),
            BUTTON_LABEL,
            BUTTON_URL,
            ("expired_text", Field::Text { max: 200 }),
            ("background", Field::Choice { options: &["brand", "dark", "light", "tinted"] }),
        ],
    },
    Kind {
        kind: "optin",
        icon: "mail",
        fields: &[
            HEADING,
            SUBHEADING,
            ("form", Field::Form),
            ("image", Field::Image),
            ("background", Field::Choice { options: &["tinted", "light", "dark", "brand"] }),
        ],
    },
    Kind {
        kind: "cta",
        icon: "mouse-pointer-click",
        fields: &[
            HEADING,
            SUBHEADING,
            BUTTON_LABEL,
            BUTTON_URL,
            ("background", Field::Choice { options: &["brand", "dark", "light", "tinted"] }),
        ],
    },
    Kind {
        kind: "guarantee",
        icon: "shield-check",
        fields: &[
            HEADING,
            ("text", Field::Multiline { max: 600 }),
            ("days", Field::Number { min: 0, max: 365 }),
            BACKGROUND,
        ],
    },
    Kind { kind: "html", icon: "code", fields: &[("html", Field::Html)] },
];

/// The kind named `kind`.
pub fn kind(kind: &str) -> Option<&'static Kind> {
    SPEC.iter().find(|k| k.kind == kind)
}

/// Most sections on one page.
pub const MAX_SECTIONS: usize = 60;

/// Why a document was refused: a message key per place (`"3.headline"`, `"seo.title"`).
pub type Problems = BTreeMap<String, &'static str>;

/// `doc` with every section checked against its kind: unknown kinds and fields dropped, text
/// trimmed to what was typed, rich text and HTML sanitised, links and numbers checked. Problems
/// that must be fixed (a link that is not one, text too long) are returned instead, keyed by
/// section index and field, with a Fluent key as the message.
pub fn clean(doc: &Document) -> Result<Document, Problems> {
    let mut problems = Problems::new();
    let mut out = Document { sections: Vec::new(), seo: doc.seo.clone() };
    if doc.sections.len() > MAX_SECTIONS {
        problems.insert("sections".into(), "page-error-too-many-sections");
    }
    let mut seen = std::collections::HashSet::new();
    for (i, s) in doc.sections.iter().take(MAX_SECTIONS).enumerate() {
        let Some(k) = kind(&s.kind) else { continue };
        let mut id: String = s.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect();
        if id.is_empty() || !seen.insert(id.clone()) {
            id = format!("s{}", uuid::Uuid::now_v7().simple());
            seen.insert(id.clone());
        }
        let data = clean_fields(k.fields, &s.data, &format!("{i}"), &mut problems);
        out.sections.push(Section { id, kind: k.kind.to_string(), data });
    }
    out.seo.title = out.seo.title.trim().to_string();
    out.seo.description = out.seo.description.trim().to_string();
    if out.seo.title.chars().count() > 70 {
        problems.insert("seo.title".into(), "page-error-too-long");
    }
    if out.seo.description.chars().count() > 200 {
        problems.insert("seo.description".into(), "page-error-too-long");
    }
    if !out.seo.image.is_empty() && uuid::Uuid::parse_str(&out.seo.image).is_err() {
        out.seo.image.clear();
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn clean_fields(
    fields: &[(&'static str, Field)],
    data: &Map<String, Value>,
    at: &str,
    problems: &mut Problems,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, field) in fields {
        let place = format!("{at}.{name}");
        let Some(v) = data.get(*name) else { continue };
        if let Some(v) = clean_value(*field, v, &place, problems) {
            out.insert((*name).to_string(), v);
        }
    }
    out
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn clean_value(field: Field, v: &Value, place: &str, problems: &mut Problems) -> Option<Value> {
    let s = text_of(v);
    let s = s.trim();
    match field {
        Field::Text { max } | Field::Multiline { max } => {
            let s = if matches!(field, Field::Text { .. }) { s.replace(['\n', '\r'], " ") } else { s.to_string() };
            if s.chars().count() > max {
                problems.insert(place.into(), "page-error-too-long");
            }
            Some(Value::String(s))
        }
        Field::Rich => Some(Value::String(kernel::html::sanitize(s))),
        Field::Html => Some(Value::String(clean_custom_html(s))),
        Field::Url => {
            if s.is_empty() {
                return Some(Value::String(String::new()));
            }
            if safe_url(s) {
                Some(Value::String(s.to_string()))
            } else {
                problems.insert(place.into(), "page-error-link");
                None
            }
        }
        Field::Image | Field::Video | Field::Course | Field::Form => {
            (s.is_empty() || uuid::Uuid::parse_str(s).is_ok()).then(|| Value::String(s.to_string()))
        }
        Field::Offers => {
            let ids: Vec<Value> = match v {
                Value::Array(a) => a.iter().map(text_of).collect::<Vec<_>>(),
                _ => s.split(',').map(str::to_string).collect(),
            }
            .into_iter()
            .map(|x| x.trim().to_string())
            .filter(|x| uuid::Uuid::parse_str(x).is_ok())
            .take(4)
            .map(Value::String)
            .collect();
            Some(Value::Array(ids))
        }
        Field::Date => {
            if s.is_empty() {
                return Some(Value::String(String::new()));
            }
            match chrono::DateTime::parse_from_rfc3339(s) {
                Ok(at) => Some(Value::String(at.with_timezone(&chrono::Utc).to_rfc3339())),
                Err(_) => {
                    problems.insert(place.into(), "page-error-date");
                    None
                }
            }
        }
        Field::Number { min, max } => {
            if s.is_empty() {
                return None;
            }
            match s.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Some(Value::from(n)),
                _ => {
                    problems.insert(place.into(), "page-error-number");
                    None
                }
            }
        }
        Field::Choice { options } => Some(Value::String(if options.contains(&s) { s } else { options[0] }.to_string())),
        Field::Toggle => Some(Value::Bool(matches!(v, Value::Bool(true)) || matches!(s, "true" | "on" | "1"))),
        Field::List { item, max } => {
            let Value::Array(items) = v else { return Some(Value::Array(Vec::new())) };
            let list = items
                .iter()
                .take(max)
                .enumerate()
                .filter_map(|(j, it)| it.as_object().map(|o| (j, o)))
                .map(|(j, o)| Value::Object(clean_fields(item, o, &format!("{place}.{j}"), problems)))
                .collect();
            Some(Value::Array(list))
        }
    }
}

/// Whether `url` may be a link on a page: http(s), mailto, a path on this site, or an anchor.
pub fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#')
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
}

/// A creator's custom HTML block: the rich-text allow-list plus layout elements and `class`
/// (never scripts, styles, event handlers, forms or frames).
pub fn clean_custom_html(html: &str) -> String {
    use std::{collections::HashSet, sync::LazyLock};
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["div", "section", "span", "h1", "h2", "h3", "h4", "h5", "h6", "small", "figure", "figcaption"])
            .add_generic_attributes(["class", "id", "aria-label", "role"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect::<HashSet<_>>())
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        b
    });
    CLEANER.clean(html).to_string()
}

/// A new section of `kind` with its defaults (empty text, first choices), or `None` for an
/// unknown kind.
pub fn blank(kind_name: &str) -> Option<Section> {
    let k = kind(kind_name)?;
    let mut data = Map::new();
    for (name, field) in k.fields {
        let v = match field {
            Field::Choice { options } => Value::String(options[0].to_string()),
            Field::Toggle => Value::Bool(true),
            Field::List { .. } | Field::Offers => Value::Array(Vec::new()),
            Field::Number { .. } => continue,
            _ => Value::String(String::new()),
        };
        data.insert((*name).to_string(), v);
    }
    Some(Section { id: format!("s{}", uuid::Uuid::now_v7().simple()), kind: k.kind.to_string(), data })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(sections: Value) -> Document {
        serde_json::from_value(json!({ "sections": sections })).unwrap()
    }

    #[test]
    fn unknown_kinds_and_fields_are_dropped_and_script_never_survives() {
        let d = doc(json!([
            {"id": "a", "kind": "hero", "data": {"headline": " Paint <script>x</script> ", "evil": "1"}},
            {"id": "b", "kind": "nope", "data": {}},
            {"id": "c", "kind": "text", "data": {"body": "<p onclick=\"x()\">Hi<script>alert(1)</script></p>"}},
            {"id": "d", "kind": "html", "data": {"html": "<div class=\"x\"><img src=x onerror=alert(1)><iframe></iframe></div>"}}
        ]));
        let out = clean(&d).unwrap();
        assert_eq!(out.sections.len(), 3);
        // Plain text is kept as typed (escaped when shown), with no field the kind lacks.
        assert_eq!(out.sections[0].data["headline"], "Paint <script>x</script>");
        assert!(!out.sections[0].data.contains_key("evil"));
        assert_eq!(out.sections[1].data["body"], "<p>Hi</p>");
        let html = out.sections[2].data["html"].as_str().unwrap();
        assert!(html.contains("class=\"x\"") && !html.contains("onerror") && !html.contains("iframe"), "{html}");
    }

    #[test]
    fn bad_links_long_text_and_dates_are_reported_in_place() {
        let d = doc(json!([
            {"id": "a", "kind": "cta", "data": {"button_url": "javascript:alert(1)", "heading": "x".repeat(141)}},
            {"id": "b", "kind": "countdown", "data": {"ends_at": "soon"}},
            {"id": "c", "kind": "faq", "data": {"items": [{"question": "Q", "answer": "A"}, {"question": "q".repeat(201)}]}}
        ]));
        let p = clean(&d).unwrap_err();
        assert_eq!(p.get("0.button_url"), Some(&"page-error-link"));
        assert_eq!(p.get("0.heading"), Some(&"page-error-too-long"));
        assert_eq!(p.get("1.ends_at"), Some(&"page-error-date"));
        assert_eq!(p.get("2.items.1.question"), Some(&"page-error-too-long"));
        assert!(safe_url("/checkout/x") && safe_url("#pricing") && !safe_url("//evil.example"));
    }

    #[test]
    fn duplicate_ids_are_renamed_and_every_kind_has_a_blank() {
        let d = doc(json!([{"id": "a", "kind": "text"}, {"id": "a", "kind": "text"}]));
        let out = clean(&d).unwrap();
        assert_ne!(out.sections[0].id, out.sections[1].id);
        for k in SPEC {
            let s = blank(k.kind).unwrap();
            assert!(clean(&Document { sections: vec![s], seo: Seo::default() }).is_ok(), "{}", k.kind);
        }
    }
}
