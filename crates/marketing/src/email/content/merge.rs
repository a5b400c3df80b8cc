//! Merge fields, Liquid-like: `{{ first_name | default: "there" }}`, `{{ fields.city }}`,
//! `{{ course.title }}`. A small parser, not a template engine: a tag names one known field and
//! may give a default, nothing else. Text is tokenised once per send ([`Table::tokenize`]: each
//! tag becomes a plain token that survives MJML and HTML escaping), and the rendered output is
//! then split on those tokens ([`Template::of`]) so that each recipient only fills in values.

use super::{Recipient, RenderError};

/// Fields every email may use (besides `fields.<key>`).
pub const FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "course.title",
    "course.url",
    "order.number",
    "order.total",
    "unsubscribe_url",
    "preferences_url",
];

/// One merge tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// `first_name`, `fields.city`, …
    pub field: String,
    /// What stands in when the value is empty.
    pub default: Option<String>,
}

/// The tags met while tokenising one email, by token number.
#[derive(Clone, Debug, Default)]
pub struct Table {
    tags: Vec<Tag>,
}

const PREFIX: &str = "LYCMERGE";
const SUFFIX: char = 'X';

impl Table {
    /// `text` with every merge tag replaced by a token; `place` names where it is ("the subject").
    pub fn tokenize(&mut self, text: &str, place: &str) -> Result<String, RenderError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                let shown: String = rest[start..].chars().take(30).collect();
                return Err(RenderError::Merge(format!(
                    "The merge tag \"{shown}\" in {place} is not closed with }}}}."
                )));
            };
            let tag = parse_tag(&after[..end], place)?;
            let n = match self.tags.iter().position(|t| *t == tag) {
                Some(n) => n,
                None => {
                    self.tags.push(tag);
                    self.tags.len() - 1
                }
            };
            out.push_str(&format!("{PREFIX}{n}{SUFFIX}"));
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// A token for `field` directly (the footer's links).
    pub fn token(&mut self, field: &str) -> String {
        let tag = Tag { field: field.to_string(), default: None };
        let n = self.tags.iter().position(|t| *t == tag).unwrap_or_else(|| {
            self.tags.push(tag);
            self.tags.len() - 1
        });
        format!("{PREFIX}{n}{SUFFIX}")
    }
}

/// Checks `text`'s merge tags without keeping them.
pub fn check(text: &str, place: &str) -> Result<(), RenderError> {
    Table::default().tokenize(text, place).map(|_| ())
}

fn parse_tag(inner: &str, place: &str) -> Result<Tag, RenderError> {
    // Inside HTML the quotes of a default may arrive escaped (the sanitiser writes `&quot;`).
    let unescaped = inner.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&apos;", "'");
    let inner = unescaped.as_str();
    let malformed =
        || RenderError::Merge(format!("The merge tag \"{{{{{inner}}}}}\" in {place} is not one we can read."));
    let (name, filter) = match inner.split_once('|') {
        Some((n, f)) => (n.trim(), Some(f.trim())),
        None => (inner.trim(), None),
    };
    let ok_name = !name.is_empty()
        && name.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if !ok_name {
        return Err(malformed());
    }
    // `trigger.<key>`: what the event that started an automation carried (its checkout link, …).
    let known = FIELDS.contains(&name)
        || ["fields.", "trigger."]
            .iter()
            .any(|p| name.strip_prefix(p).is_some_and(|k| !k.is_empty() && !k.contains('.')));
    if !known {
        let hint = suggest(name).map(|s| format!(" — did you mean {s}?")).unwrap_or_default();
        return Err(RenderError::Merge(format!("Unknown merge field \"{name}\" in {place}{hint}")));
    }
    let default = match filter {
        None => None,
        Some(f) => {
            let arg = f.strip_prefix("default").map(str::trim_start).and_then(|f| f.strip_prefix(':')).map(str::trim);
            let Some(arg) = arg else { return Err(malformed()) };
            let quoted = arg.len() >= 2
                && ((arg.starts_with('"') && arg.ends_with('"')) || (arg.starts_with('\'') && arg.ends_with('\'')));
            if !quoted {
                return Err(malformed());
            }
            Some(arg[1..arg.len() - 1].to_string())
        }
    };
    Ok(Tag { field: name.to_string(), default })
}

/// The known field closest to `name`, when one is close.
fn suggest(name: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .map(|f| (distance(name, f), *f))
        .filter(|(d, f)| *d <= 2.max(f.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One piece of rendered output.
#[derive(Clone, Debug)]
enum Piece {
    Lit(String),
    Field(usize),
}

/// Rendered output split on its tokens, ready to be filled for each recipient.
#[derive(Clone, Debug)]
pub struct Template {
    pieces: Vec<Piece>,
    tags: Vec<Tag>,
    html: bool,
}

impl Template {
    /// Splits `rendered` (made from tokenised text of `table`); `html` escapes values.
    pub fn of(rendered: &str, table: &Table, html: bool) -> Self {
        let mut pieces = Vec::new();
        let mut rest = rendered;
        while let Some(start) = rest.find(PREFIX) {
            let digits: String = rest[start + PREFIX.len()..].chars().take_while(char::is_ascii_digit).collect();
            let end = start + PREFIX.len() + digits.len();
            match digits.parse::<usize>() {
                Ok(n) if n < table.tags.len() && rest[end..].starts_with(SUFFIX) => {
                    pieces.push(Piece::Lit(rest[..start].to_string()));
                    pieces.push(Piece::Field(n));
                    rest = &rest[end + 1..];
                }
                _ => {
                    pieces.push(Piece::Lit(rest[..end].to_string()));
                    rest = &rest[end..];
                }
            }
        }
        pieces.push(Piece::Lit(rest.to_string()));
        Self { pieces, tags: table.tags.clone(), html }
    }

    /// The output with its merge tags written back as tags (`{{ first_name }}`).
    pub fn source(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Field(n) => {
                    let tag = &self.tags[*n];
                    match &tag.default {
                        Some(d) => out.push_str(&format!("{{{{ {} | default: \"{d}\" }}}}", tag.field)),
                        None => out.push_str(&format!("{{{{ {} }}}}", tag.field)),
                    }
                }
            }
        }
        out
    }

    /// The output for `r`.
    pub fn fill(&self, r: &Recipient) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Field(n) => {
                    let tag = &self.tags[*n];
                    let mut v = value(r, &tag.field);
                    if v.trim().is_empty()
                        && let Some(d) = &tag.default
                    {
                        v = d.clone();
                    }
                    if self.html {
                        out.push_str(&escape(&v));
                    } else {
                        out.push_str(&v);
                    }
                }
            }
        }
        out
    }
}

/// `&`, `<`, `>`, `"` and `'` escaped: safe in text and in quoted attributes, and a URL stays
/// readable (for the tracking helper that rewrites links).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The value of one field for `r` ('' when it has none).
pub fn value(r: &Recipient, field: &str) -> String {
    match field {
        "first_name" => r.first_name.clone(),
        "last_name" => r.last_name.clone(),
        "email" => r.email.clone(),
        "unsubscribe_url" => r.unsubscribe_url.clone(),
        "preferences_url" => r.preferences_url.clone(),
        f => match f.split_once('.') {
            Some(("fields", key)) => json_text(&r.fields[key]),
            Some((group, key)) => json_text(&r.extra[group][key]),
            None => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(text: &str, r: &Recipient, html: bool) -> Result<String, RenderError> {
        let mut t = Table::default();
        let tok = t.tokenize(text, "the subject")?;
        Ok(Template::of(&tok, &t, html).fill(r))
    }

    #[test]
    fn tags_fill_with_defaults_and_escape_for_html_only() {
        let r = Recipient {
            first_name: "<b>Ann</b>".into(),
            fields: serde_json::json!({"city": "Oslo"}),
            extra: serde_json::json!({"order": {"number": 42}}),
            ..Recipient::default()
        };
        assert_eq!(fill("Hi {{first_name}} of {{ fields.city }}", &r, false).unwrap(), "Hi <b>Ann</b> of Oslo");
        assert_eq!(fill("Hi {{ first_name }}", &r, true).unwrap(), "Hi &lt;b&gt;Ann&lt;/b&gt;");
        assert_eq!(fill("#{{ order.number }}", &r, false).unwrap(), "#42");
        let nobody = Recipient::default();
        assert_eq!(
            fill("<p>Hi {{ first_name | default: &quot;there&quot; }},</p>", &nobody, true).unwrap(),
            "<p>Hi there,</p>"
        );
        let nobody = Recipient::default();
        assert_eq!(fill("Hi {{ first_name | default: \"there\" }}!", &nobody, false).unwrap(), "Hi there!");
        assert_eq!(fill("Hi {{ first_name | default: 'you' }}", &nobody, false).unwrap(), "Hi you");
    }

    #[test]
    fn unknown_and_malformed_tags_are_explained() {
        let e = check("Hi {{ frist_name }}", "the subject").unwrap_err().to_string();
        assert_eq!(e, "Unknown merge field \"frist_name\" in the subject — did you mean first_name?");
        assert!(check("Hi {{ first_name", "the subject").unwrap_err().to_string().contains("not closed"));
        assert!(check("{{ first_name | upcase }}", "x").unwrap_err().to_string().contains("not one we can read"));
        assert!(check("{{ first name }}", "x").is_err());
        assert!(check("{{ fields.plan }} {{ course.url }}", "x").is_ok());
    }
}
