//! What search engines and link previews read of a published page: title, description,
//! canonical address, Open Graph and Twitter cards, and schema.org structured data (`Course`
//! for a curriculum, `Product` with its `Offer`s for pricing, `FAQPage` for questions).

use kernel::{AppState, db::TenantTx, format::minor_digits, web::School};
use minijinja::Value;
use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::{model::Page, sections::Document};

/// The head of a published page, for `marketing/page.html`.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    /// `<title>` before the school's name.
    pub title: String,
    /// Meta and card description (may be empty).
    pub description: String,
    /// The page's one address for search engines.
    pub canonical: String,
    /// Absolute address of the sharing image, if any.
    pub image: Option<String>,
    /// Keep the page out of search engines.
    pub noindex: bool,
    /// `og:site_name`.
    pub site_name: String,
    /// The JSON-LD, escaped for a `<script>` element (see [`script_json`]); empty without data.
    pub json_ld: String,
}

/// The school's address for search engines: its verified custom domain when it has one,
/// otherwise its address on the platform. No trailing slash.
pub async fn site_url(state: &AppState, tx: &mut TenantTx, school: &School) -> sqlx::Result<String> {
    let domains = tenancy::domains::list(tx).await?;
    Ok(domains
        .iter()
        .find(|d| d.verified_at.is_some() && d.stopped_at.is_none())
        .map(|d| format!("{}://{}", state.config.public_scheme, d.domain))
        .unwrap_or_else(|| school.base_url.trim_end_matches('/').to_string()))
}

/// The head for `page` showing `doc` at `path` (`/` or `/p/{slug}`); `live` is the document's
/// live data ([`crate::render::live`]), from which the sharing image's address comes.
pub async fn head(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    page: &Page,
    doc: &Document,
    live: &Value,
    path: &str,
) -> sqlx::Result<Head> {
    let site = site_url(state, tx, school).await?;
    let canonical = format!("{site}{path}");
    let hero = doc.sections.iter().find(|s| s.kind == "hero");
    let hero_text = |field: &str| hero.and_then(|h| h.data.get(field)).and_then(Json::as_str).unwrap_or_default();
    let title = first(&[&doc.seo.title, &page.title, hero_text("headline"), &school.name]);
    let description = first(&[&doc.seo.description, hero_text("subheading"), &school.tagline]);
    let image = [doc.seo.image.as_str(), hero_text("image")]
        .into_iter()
        .filter(|id| !id.is_empty())
        .find_map(|id| image_url(live, id))
        .map(|url| if url.starts_with('/') { format!("{site}{url}") } else { url });
    let graph = structured(tx, school, page, doc, (&site, &canonical, &description), state.clock.now()).await?;
    let json_ld = if graph.is_empty() {
        String::new()
    } else {
        script_json(&json!({ "@context": "https://schema.org", "@graph": graph }))
    };
    Ok(Head { title, description, canonical, image, noindex: doc.seo.noindex, site_name: school.name.clone(), json_ld })
}

fn first(candidates: &[&str]) -> String {
    candidates.iter().map(|s| s.trim()).find(|s| !s.is_empty()).unwrap_or_default().to_string()
}

/// `live.images[id].url`, as the section templates see it.
fn image_url(live: &Value, id: &str) -> Option<String> {
    let url = live.get_attr("images").ok()?.get_item(&Value::from(id)).ok()?.get_attr("url").ok()?;
    url.as_str().filter(|u| !u.is_empty()).map(str::to_string)
}

/// The schema.org items of a document, looked up live (a deleted course or offer is left out).
async fn structured(
    tx: &mut TenantTx,
    school: &School,
    page: &Page,
    doc: &Document,
    (site, canonical, description): (&str, &str, &str),
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<Vec<Json>> {
    let mut graph = Vec::new();
    let mut questions = Vec::new();
    let provider = json!({ "@type": "Organization", "name": school.name, "sameAs": site });
    for s in &doc.sections {
        let text = |field: &str| s.data.get(field).and_then(Json::as_str).unwrap_or_default().trim().to_string();
        match s.kind.as_str() {
            "curriculum" => {
                let Ok(id) = text("course").parse::<courses::CourseId>() else { continue };
                let Some(course) = courses::store::course(tx, id).await? else { continue };
                if course.status != "published" {
                    continue;
                }
                let about = first(&[&course.subtitle, &plain(&course.description_html), &text("subheading")]);
                graph.push(json!({
                    "@type": "Course", "name": course.title, "description": about, "provider": provider,
                }));
            }
            "pricing" => {
                let ids = s.data.get("offers").and_then(Json::as_array).cloned().unwrap_or_default();
                let mut offers = Vec::new();
                for id in ids.iter().filter_map(Json::as_str).filter_map(|i| i.parse::<commerce::OfferId>().ok()) {
                    let Some(o) = commerce::store::offer(tx, id).await? else { continue };
                    if o.archived_at.is_some() {
                        continue;
                    }
                    let open = o.visible && o.closes_at.is_none_or(|at| at > now);
                    offers.push(json!({
                        "@type": "Offer",
                        "name": o.name,
                        "price": decimal(o.amount, &o.currency),
                        "priceCurrency": o.currency,
                        "availability": if open { "https://schema.org/InStock" } else { "https://schema.org/SoldOut" },
                        "url": format!("{site}/checkout/{}?lp={}", o.slug, page.slug),
                    }));
                }
                if !offers.is_empty() {
                    let name = first(&[&text("heading"), &page.title]);
                    graph.push(json!({
                        "@type": "Product", "name": name, "description": description, "url": canonical,
                        "brand": provider, "offers": offers,
                    }));
                }
            }
            "faq" => {
                for item in s.data.get("items").and_then(Json::as_array).into_iter().flatten() {
                    let q = item.get("question").and_then(Json::as_str).unwrap_or_default().trim();
                    let a = item.get("answer").and_then(Json::as_str).unwrap_or_default().trim();
                    if !q.is_empty() && !a.is_empty() {
                        questions.push(json!({
                            "@type": "Question", "name": q,
                            "acceptedAnswer": { "@type": "Answer", "text": a },
                        }));
                    }
                }
            }
            _ => {}
        }
    }
    if !questions.is_empty() {
        graph.push(json!({ "@type": "FAQPage", "mainEntity": questions }));
    }
    Ok(graph)
}

/// `minor` units of `currency` as schema.org wants a price: `"49.00"`, `"1200"` for yen.
pub fn decimal(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let unit = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.abs();
    format!("{sign}{}.{:0width$}", m / unit, m % unit, width = digits as usize)
}

/// Text of sanitised HTML, tags dropped, at most 300 characters.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    words.join(" ").chars().take(300).collect()
}

/// JSON for inside `<script type="application/ld+json">`: `<`, `>` and `&` (and the two line
/// separators JavaScript dislikes) written as `\u` escapes, so no text can close the element.
pub fn script_json(value: &Json) -> String {
    let s = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_decimal_strings() {
        assert_eq!(decimal(4900, "USD"), "49.00");
        assert_eq!(decimal(5, "EUR"), "0.05");
        assert_eq!(decimal(1200, "JPY"), "1200");
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let s = script_json(&json!({ "name": "</script><script>alert(1)</script> & more" }));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        let back: Json = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & more");
    }

    #[test]
    fn course_descriptions_lose_their_tags() {
        assert_eq!(plain("<p>Paint <b>boldly</b></p><p>daily</p>"), "Paint boldly daily");
    }
}
