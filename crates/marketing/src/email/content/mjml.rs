//! Blocks → an MJML document → HTML through `mrml`, and blocks → the plain-text part. Every
//! creator-written string goes through the merge [`Table`] first, so merge fields travel
//! through MJML as plain tokens and come back intact.

use kernel::web::School;
use serde_json::Value;

use super::{
    RenderError,
    blocks::{Live, walk},
    merge::Table,
};

const BODY_FONT: &str = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const INK: &str = "#27272a";
const MUTED: &str = "#71717a";

/// For attribute values and text: `&`, `<`, `>` and `"` escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn brand(school: &School) -> String {
    if kernel::web::school::parse_hex(&school.brand_color).is_some() {
        school.brand_color.clone()
    } else {
        kernel::web::school::PLATFORM_BRAND_COLOR.to_string()
    }
}

fn on(color: &str) -> &'static str {
    kernel::web::school::parse_hex(color).map_or("#ffffff", kernel::web::school::on_brand)
}

fn heading_font(school: &School) -> String {
    kernel::web::school::FONTS
        .iter()
        .find(|f| f.0 == school.heading_font)
        .map_or(BODY_FONT.to_string(), |f| f.2.replace('\'', ""))
}

/// An absolute link: the school's paths get its address.
fn absolute(school: &School, url: &str) -> String {
    let u = url.trim();
    if u.starts_with('/') { format!("{}{u}", school.base_url.trim_end_matches('/')) } else { u.to_string() }
}

/// The email renderer for one send.
pub struct Mjml<'a> {
    /// The school (brand, fonts, name, address).
    pub school: &'a School,
    /// What blocks refer to.
    pub live: &'a Live,
    /// Merge tags.
    pub table: &'a mut Table,
    /// The school's language's strings.
    pub t: &'a dyn Fn(&str) -> String,
}

impl Mjml<'_> {
    fn tok(&mut self, s: &str, place: &str) -> Result<String, RenderError> {
        self.table.tokenize(s, place)
    }

    /// `blocks` as MJML content (inside a column).
    fn content(&mut self, b: &Value) -> Result<String, RenderError> {
        let brand = brand(self.school);
        let s = |k: &str| b[k].as_str().unwrap_or_default();
        Ok(match s("kind") {
            "heading" => {
                let text = esc(&self.tok(s("text"), "a heading")?);
                let size = if s("level") == "2" { "20px" } else { "26px" };
                format!(
                    "<mj-text font-family=\"{}\" font-size=\"{size}\" font-weight=\"700\" line-height=\"1.3\" color=\"#18181b\"><h{lvl} style=\"margin:0;font-size:{size};\">{text}</h{lvl}></mj-text>",
                    esc(&heading_font(self.school)),
                    lvl = if s("level") == "2" { 2 } else { 1 },
                )
            }
            "text" => {
                let html = self.tok(s("html"), "a text block")?;
                let html = super::blocks::sanitize(&html).replace("<br>", "<br />");
                let html = html.replace("<a href=", &format!("<a style=\"color:{brand};\" href="));
                format!("<mj-text>{html}</mj-text>")
            }
            "image" => match self.live.images.get(s("media_id")) {
                Some(img) => {
                    let alt = if s("alt").is_empty() { img.alt.clone() } else { s("alt").to_string() };
                    let alt = esc(&self.tok(&alt, "an image's description")?);
                    let link = self.tok(&absolute(self.school, s("link")), "an image's link")?;
                    let href = if link.is_empty() { String::new() } else { format!(" href=\"{}\"", esc(&link)) };
                    format!("<mj-image src=\"{}\" alt=\"{alt}\"{href} border-radius=\"8px\" />", esc(&img.url))
                }
                None => String::new(),
            },
            "button" => {
                let color = if s("color").is_empty() { brand.clone() } else { s("color").to_string() };
                let label = esc(&self.tok(s("label"), "a button's label")?);
                let url = esc(&self.tok(&absolute(self.school, s("url")), "a button's link")?);
                format!(
                    "<mj-button background-color=\"{color}\" color=\"{}\" href=\"{url}\" border-radius=\"8px\" font-weight=\"600\" inner-padding=\"12px 24px\">{label}</mj-button>",
                    on(&color)
                )
            }
            "divider" => "<mj-divider border-color=\"#e4e4e7\" border-width=\"1px\" />".to_string(),
            "course" => match self.live.courses.get(s("course_id")) {
                Some(c) => {
                    let mut out = String::new();
                    if let Some(img) = &c.cover {
                        out.push_str(&format!(
                            "<mj-image src=\"{}\" alt=\"{}\" href=\"{}\" border-radius=\"8px\" />",
                            esc(&img.url),
                            esc(&c.title),
                            esc(&c.url)
                        ));
                    }
                    out.push_str(&format!(
                        "<mj-text font-family=\"{}\" font-size=\"20px\" font-weight=\"700\" color=\"#18181b\">{}</mj-text>",
                        esc(&heading_font(self.school)),
                        esc(&c.title)
                    ));
                    if !c.subtitle.is_empty() {
                        out.push_str(&format!("<mj-text color=\"{MUTED}\">{}</mj-text>", esc(&c.subtitle)));
                    }
                    out.push_str(&format!(
                        "<mj-button background-color=\"{brand}\" color=\"{}\" href=\"{}\" border-radius=\"8px\" font-weight=\"600\">{}</mj-button>",
                        on(&brand),
                        esc(&c.url),
                        esc(&(self.t)("email-editor-course-cta"))
                    ));
                    out
                }
                None => String::new(),
            },
            "product" => match self.live.offers.get(s("offer_id")) {
                Some(o) => format!(
                    "<mj-text font-family=\"{}\" font-size=\"20px\" font-weight=\"700\" color=\"#18181b\">{}</mj-text>\
                     <mj-text font-size=\"18px\" color=\"{INK}\">{}</mj-text>\
                     <mj-button background-color=\"{brand}\" color=\"{}\" href=\"{}\" border-radius=\"8px\" font-weight=\"600\">{}</mj-button>",
                    esc(&heading_font(self.school)),
                    esc(&o.name),
                    esc(&o.price),
                    on(&brand),
                    esc(&o.url),
                    esc(&(self.t)("email-editor-product-cta"))
                ),
                None => String::new(),
            },
            _ => String::new(),
        })
    }

    fn footer(&mut self) -> String {
        let unsub = self.table.token("unsubscribe_url");
        let prefs = self.table.token("preferences_url");
        let address = esc(&self.live.postal_address).replace('\n', "<br />");
        format!(
            "<mj-section padding=\"8px 24px 32px\"><mj-column>\
             <mj-text align=\"center\" font-size=\"12px\" line-height=\"1.6\" color=\"{MUTED}\">\
             <p style=\"margin:0 0 4px;\"><strong>{name}</strong></p><p style=\"margin:0 0 8px;\">{address}</p>\
             <p style=\"margin:0;\"><a href=\"{unsub}\" style=\"color:{MUTED};\">{u}</a> · <a href=\"{prefs}\" style=\"color:{MUTED};\">{p}</a></p>\
             </mj-text></mj-column></mj-section>",
            name = esc(&self.school.name),
            u = esc(&(self.t)("email-editor-unsubscribe")),
            p = esc(&(self.t)("email-editor-preferences")),
        )
    }

    /// The whole MJML document.
    pub fn document(&mut self, subject: &str, preheader: &str, blocks: &[Value]) -> Result<String, RenderError> {
        let title = esc(&self.tok(subject, "the subject")?);
        let preview = esc(&self.tok(preheader, "the preheader")?);
        let mut body = String::new();
        for b in blocks {
            match b["kind"].as_str().unwrap_or_default() {
                "footer" => body.push_str(&self.footer()),
                "columns" => {
                    let mut cols = String::new();
                    for c in b["columns"].as_array().map(Vec::as_slice).unwrap_or_default() {
                        let mut inner = String::new();
                        for x in c.as_array().map(Vec::as_slice).unwrap_or_default() {
                            inner.push_str(&self.content(x)?);
                        }
                        cols.push_str(&format!("<mj-column>{inner}</mj-column>"));
                    }
                    body.push_str(&format!(
                        "<mj-section background-color=\"#ffffff\" padding=\"8px 12px\">{cols}</mj-section>"
                    ));
                }
                _ => {
                    let inner = self.content(b)?;
                    if !inner.is_empty() {
                        body.push_str(&format!(
                            "<mj-section background-color=\"#ffffff\" padding=\"4px 12px\"><mj-column>{inner}</mj-column></mj-section>"
                        ));
                    }
                }
            }
        }
        Ok(format!(
            "<mjml><mj-head><mj-title>{title}</mj-title><mj-preview>{preview}</mj-preview>\
             <mj-attributes><mj-all font-family=\"{font}\" /><mj-text font-size=\"16px\" line-height=\"1.6\" color=\"{INK}\" />\
             <mj-section padding=\"0\" /></mj-attributes>\
             <mj-style>p {{ margin: 0 0 12px; }} a {{ color: {brand}; }} @media (max-width: 480px) {{ h1 {{ font-size: 24px !important; }} }}</mj-style>\
             </mj-head><mj-body background-color=\"#f4f4f5\" width=\"600px\">\
             <mj-section padding=\"16px 0 0\"><mj-column><mj-spacer height=\"8px\" /></mj-column></mj-section>{body}</mj-body></mjml>",
            font = esc(BODY_FONT),
            brand = brand(self.school),
        ))
    }
}

/// MJML → HTML.
pub fn to_html(mjml: &str) -> Result<String, RenderError> {
    let parsed = mrml::parse(mjml).map_err(|e| RenderError::Layout(format!("The layout could not be read: {e}")))?;
    parsed
        .element
        .render(&mrml::prelude::render::RenderOptions::default())
        .map_err(|e| RenderError::Layout(format!("The layout could not be rendered: {e}")))
}

fn html_to_text(html: &str) -> String {
    // Links as `text (url)`, paragraphs and list items on lines of their own.
    let mut s = html.to_string();
    while let Some(start) = s.find("<a href=\"") {
        let rest = &s[start + 9..];
        let Some(q) = rest.find('"') else { break };
        let url = rest[..q].to_string();
        let Some(close) = rest.find('>') else { break };
        let Some(end) = rest.find("</a>") else { break };
        let inner = rest[close + 1..end].to_string();
        let label = kernel::html::text(&inner);
        let repl = if label.is_empty() || label == url { url.clone() } else { format!("{label} ({url})") };
        s = format!("{}{}{}", &s[..start], repl, &rest[end + 4..]);
    }
    let s = s.replace("<li>", "\n- ").replace("</p>", "\n\n").replace("<br>", "\n").replace("<br />", "\n");
    s.split('\n').map(kernel::html::text).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// The plain-text part (tokenised like the HTML).
pub fn text(m: &mut Mjml<'_>, blocks: &[Value]) -> Result<String, RenderError> {
    let mut parts: Vec<String> = Vec::new();
    for b in walk(blocks) {
        let s = |k: &str| b[k].as_str().unwrap_or_default();
        match s("kind") {
            "heading" => {
                let h = m.tok(s("text"), "a heading")?;
                let rule = if s("level") == "2" { "-" } else { "=" };
                parts.push(format!("{h}\n{}", rule.repeat(h.chars().count().min(60))));
            }
            "text" => parts.push(html_to_text(&m.tok(&sanitize_text(s("html")), "a text block")?)),
            "button" => {
                let label = m.tok(s("label"), "a button's label")?;
                let url = m.tok(&absolute(m.school, s("url")), "a button's link")?;
                parts.push(format!("{label}: {url}"));
            }
            "divider" => parts.push("----".into()),
            "image" if !s("link").is_empty() => {
                let alt = m.tok(s("alt"), "an image's description")?;
                let link = m.tok(&absolute(m.school, s("link")), "an image's link")?;
                parts.push(if alt.is_empty() { link } else { format!("{alt} ({link})") });
            }
            "course" => {
                if let Some(c) = m.live.courses.get(s("course_id")) {
                    parts.push(format!("{}\n{}: {}", c.title, (m.t)("email-editor-course-cta"), c.url));
                }
            }
            "product" => {
                if let Some(o) = m.live.offers.get(s("offer_id")) {
                    parts.push(format!("{} — {}\n{}: {}", o.name, o.price, (m.t)("email-editor-product-cta"), o.url));
                }
            }
            "footer" => {
                let unsub = m.table.token("unsubscribe_url");
                let prefs = m.table.token("preferences_url");
                let mut f = format!("-- \n{}", m.school.name);
                if !m.live.postal_address.is_empty() {
                    f.push_str(&format!("\n{}", m.live.postal_address));
                }
                f.push_str(&format!(
                    "\n{}: {unsub}\n{}: {prefs}",
                    (m.t)("email-editor-unsubscribe"),
                    (m.t)("email-editor-preferences")
                ));
                parts.push(f);
            }
            _ => {}
        }
    }
    Ok(parts.into_iter().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("\n\n"))
}

fn sanitize_text(html: &str) -> String {
    super::blocks::sanitize(html)
}
