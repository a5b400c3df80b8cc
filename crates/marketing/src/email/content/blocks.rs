//! An email's blocks (`emails.doc.blocks`): what each kind holds, cleaning what the editor
//! sends (rich text sanitised against a tight allow-list, library images that are images,
//! links that are links), and looking up what the blocks refer to (images, courses, offers)
//! when an email is rendered.

use std::{
    collections::{BTreeMap, HashSet},
    sync::LazyLock,
};

use kernel::{AppState, db::TenantTx, web::School};
use serde_json::{Map, Value, json};

/// Every block kind, in palette order.
pub const KINDS: &[&str] = &["heading", "text", "image", "button", "divider", "columns", "course", "product", "footer"];

/// The kinds a column may hold.
pub const COLUMN_KINDS: &[&str] = &["heading", "text", "image", "button"];

/// `(block id, Fluent key)` for each block the editor must fix.
pub type Problems = Vec<(String, &'static str)>;

static TEXT: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = ["p", "br", "strong", "b", "em", "i", "u", "a", "ul", "ol", "li"].into_iter().collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .generic_attributes(HashSet::new())
        .add_tag_attributes("a", &["href"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(None)
        .strip_comments(true);
    b
});

/// A text block's HTML with everything but paragraphs, emphasis, lists and links removed.
pub fn sanitize(html: &str) -> String {
    TEXT.clean(html).to_string()
}

/// Whether `url` may be a link: a full address, mail, a path of the school, or a merge field.
pub fn link_ok(url: &str) -> bool {
    let u = url.trim();
    u.is_empty()
        || u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"))
        || u.starts_with("{{")
}

fn hex_ok(c: &str) -> bool {
    c.is_empty() || kernel::web::school::parse_hex(c).is_some()
}

fn text_of(b: &Value, key: &str, max: usize) -> Value {
    Value::String(b[key].as_str().unwrap_or_default().chars().take(max).collect())
}

/// The document as stored: known kinds and fields only, ids given, text sanitised. `Err` names
/// the blocks to fix (a file that is not an image, a link that is not one, a bad colour).
pub async fn clean(tx: &mut TenantTx, doc: &Value) -> sqlx::Result<Result<Value, Problems>> {
    let mut problems = Problems::new();
    let blocks =
        clean_list(tx, doc["blocks"].as_array().map(Vec::as_slice).unwrap_or_default(), KINDS, &mut problems).await?;
    Ok(if problems.is_empty() { Ok(json!({ "blocks": blocks })) } else { Err(problems) })
}

async fn clean_list(
    tx: &mut TenantTx,
    list: &[Value],
    kinds: &[&str],
    problems: &mut Problems,
) -> sqlx::Result<Vec<Value>> {
    let mut out = Vec::new();
    for b in list.iter().take(200) {
        let kind = b["kind"].as_str().unwrap_or_default();
        if !kinds.contains(&kind) {
            continue;
        }
        let id = b["id"]
            .as_str()
            .filter(|s| !s.is_empty() && s.len() <= 64)
            .map_or_else(|| uuid::Uuid::now_v7().simple().to_string(), str::to_string);
        let mut m = Map::new();
        m.insert("id".into(), Value::String(id.clone()));
        m.insert("kind".into(), Value::String(kind.into()));
        match kind {
            "heading" => {
                m.insert("text".into(), text_of(b, "text", 300));
                let level = if b["level"].as_str() == Some("2") || b["level"].as_i64() == Some(2) { "2" } else { "1" };
                m.insert("level".into(), Value::String(level.into()));
            }
            "text" => {
                m.insert("html".into(), Value::String(sanitize(b["html"].as_str().unwrap_or_default())));
            }
            "image" => {
                let media_id = b["media_id"].as_str().unwrap_or_default().trim().to_string();
                if !media_id.is_empty()
                    && media::picker::chosen(tx, media::picker::PickKind::Image, &media_id).await?.is_err()
                {
                    problems.push((id.clone(), "email-editor-not-image"));
                }
                m.insert("media_id".into(), Value::String(media_id));
                m.insert("alt".into(), text_of(b, "alt", 300));
                m.insert("link".into(), text_of(b, "link", 2000));
                if !link_ok(b["link"].as_str().unwrap_or_default()) {
                    problems.push((id.clone(), "email-editor-bad-url"));
                }
            }
            "button" => {
                m.insert("label".into(), text_of(b, "label", 120));
                m.insert("url".into(), text_of(b, "url", 2000));
                m.insert("color".into(), text_of(b, "color", 7));
                if !link_ok(b["url"].as_str().unwrap_or_default()) {
                    problems.push((id.clone(), "email-editor-bad-url"));
                }
                if !hex_ok(b["color"].as_str().unwrap_or_default()) {
                    problems.push((id.clone(), "email-editor-bad-color"));
                }
            }
            "columns" => {
                let mut cols = Vec::new();
                for i in 0..2 {
                    let list = b["columns"][i].as_array().map(Vec::as_slice).unwrap_or_default();
                    cols.push(Value::Array(Box::pin(clean_list(tx, list, COLUMN_KINDS, problems)).await?));
                }
                m.insert("columns".into(), Value::Array(cols));
            }
            "course" => {
                m.insert("course_id".into(), text_of(b, "course_id", 64));
            }
            "product" => {
                m.insert("offer_id".into(), text_of(b, "offer_id", 64));
            }
            _ => {}
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

/// Every block of `blocks`, columns' blocks included.
pub fn walk(blocks: &[Value]) -> Vec<&Value> {
    let mut out = Vec::new();
    for b in blocks {
        out.push(b);
        if let Some(cols) = b["columns"].as_array() {
            for c in cols {
                out.extend(walk(c.as_array().map(Vec::as_slice).unwrap_or_default()));
            }
        }
    }
    out
}

/// A library image as an email shows it (absolute address).
#[derive(Clone, Debug)]
pub struct Image {
    /// Absolute URL.
    pub url: String,
    /// Its title, the default alternative text.
    pub alt: String,
}

/// A course card.
#[derive(Clone, Debug)]
pub struct Course {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Cover image.
    pub cover: Option<Image>,
    /// Absolute URL.
    pub url: String,
}

/// A product card.
#[derive(Clone, Debug)]
pub struct Offer {
    /// The offer's name.
    pub name: String,
    /// Formatted price.
    pub price: String,
    /// Absolute buy link.
    pub url: String,
}

/// What the blocks refer to that still exists, by id.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// Library images.
    pub images: BTreeMap<String, Image>,
    /// Courses.
    pub courses: BTreeMap<String, Course>,
    /// Offers on sale.
    pub offers: BTreeMap<String, Offer>,
    /// The footer's postal address.
    pub postal_address: String,
}

async fn image(state: &AppState, tx: &mut TenantTx, base: &str, id: &str) -> anyhow::Result<Option<Image>> {
    let Ok(mid) = id.parse::<media::MediaId>() else { return Ok(None) };
    let Some(m) = media::store::find(tx, mid).await? else { return Ok(None) };
    Ok(media::public_image::describe(state, tx.tenant(), &m)
        .await?
        .map(|img| Image { url: format!("{base}{}", img.url), alt: img.alt }))
}

/// Looks up what `blocks` refer to.
pub async fn live(state: &AppState, tx: &mut TenantTx, school: &School, blocks: &[Value]) -> anyhow::Result<Live> {
    let base = school.base_url.trim_end_matches('/');
    let mut live =
        Live { postal_address: super::super::deliverability::settings(tx).await?.postal_address, ..Live::default() };
    for b in walk(blocks) {
        match b["kind"].as_str().unwrap_or_default() {
            "image" => {
                let id = b["media_id"].as_str().unwrap_or_default();
                if let Some(img) = image(state, tx, base, id).await? {
                    live.images.insert(id.to_string(), img);
                }
            }
            "course" => {
                let id = b["course_id"].as_str().unwrap_or_default();
                let Ok(cid) = id.parse::<courses::CourseId>() else { continue };
                let Some(c) = courses::store::course(tx, cid).await? else { continue };
                let cover = match c.cover_media_id {
                    Some(m) => image(state, tx, base, &m.to_string()).await?,
                    None => None,
                };
                let url = format!("{base}/courses/{}", c.slug);
                live.courses.insert(id.to_string(), Course { title: c.title, subtitle: c.subtitle, cover, url });
            }
            "product" => {
                let id = b["offer_id"].as_str().unwrap_or_default();
                let Ok(oid) = id.parse::<commerce::model::OfferId>() else { continue };
                let Some(o) = commerce::store::offer(tx, oid).await? else { continue };
                if commerce::checkout::on_sale(state, tx, &o).await?.is_err() {
                    continue;
                }
                let price = kernel::format::money(o.amount, &o.currency, school.default_locale);
                let url = format!("{base}/checkout/{}", o.slug);
                live.offers.insert(id.to_string(), Offer { name: o.name, price, url });
            }
            _ => {}
        }
    }
    Ok(live)
}

/// Starter layouts for a new email: `(key, name's Fluent key)`.
pub const STARTERS: &[&str] = &["blank", "newsletter", "announcement", "launch", "welcome"];

fn block(kind: &str, rest: Value) -> Value {
    let mut b = json!({ "id": uuid::Uuid::now_v7().simple().to_string(), "kind": kind });
    if let (Some(m), Value::Object(r)) = (b.as_object_mut(), rest) {
        m.extend(r);
    }
    b
}

/// A starter's blocks and subject, in the school's language.
pub fn starter(key: &str, t: &dyn Fn(&str) -> String) -> (String, Value) {
    let heading = |k: &str| block("heading", json!({ "text": t(k), "level": "1" }));
    let text = |k: &str| block("text", json!({ "html": format!("<p>{}</p>", minijinja::HtmlEscape(&t(k))) }));
    let greeting = block("text", json!({ "html": "<p>Hi {{ first_name | default: \"there\" }},</p>" }));
    let button = |k: &str, url: &str| block("button", json!({ "label": t(k), "url": url, "color": "" }));
    let footer = block("footer", json!({}));
    let blocks = match key {
        "newsletter" => vec![
            heading("email-editor-starter-newsletter-heading"),
            greeting,
            text("email-editor-starter-newsletter-body"),
            block("divider", json!({})),
            block(
                "columns",
                json!({ "columns": [
                    [heading("email-editor-starter-column-one"), text("email-editor-starter-column-body")],
                    [heading("email-editor-starter-column-two"), text("email-editor-starter-column-body")],
                ] }),
            ),
            footer,
        ],
        "announcement" => vec![
            heading("email-editor-starter-announcement-heading"),
            greeting,
            text("email-editor-starter-announcement-body"),
            button("email-editor-starter-read-more", "/"),
            footer,
        ],
        "launch" => vec![
            heading("email-editor-starter-launch-heading"),
            greeting,
            text("email-editor-starter-launch-body"),
            block("course", json!({ "course_id": "" })),
            block("product", json!({ "offer_id": "" })),
            footer,
        ],
        "welcome" => vec![
            heading("email-editor-starter-welcome-heading"),
            greeting,
            text("email-editor-starter-welcome-body"),
            button("email-editor-starter-start", "/"),
            footer,
        ],
        _ => vec![footer],
    };
    let subject = if key == "blank" { String::new() } else { t(&format!("email-editor-starter-{key}-heading")) };
    (subject, json!({ "blocks": blocks }))
}
