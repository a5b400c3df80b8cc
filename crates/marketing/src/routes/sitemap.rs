//! `GET /sitemap.xml` and `GET /robots.txt` on a school's site: what search engines may crawl.
//! The sitemap lists the home page, every published page not marked "keep out of search
//! engines", and the course catalogue when the school has published courses; addresses are
//! on the school's canonical site (its verified domain when it has one).

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use identity::Ctx;
use kernel::AppResult;

use crate::{pages, seo, store};

/// Paths no crawler should visit: the admin, the API, checkout, lessons and accounts.
pub const DISALLOWED: [&str; 5] = ["/admin", "/api", "/checkout", "/learn", "/account"];

/// The sitemap.
pub async fn sitemap(ctx: Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let site = seo::site_url(&ctx.state, &mut tx, &ctx.school).await?;
    let mut home: Option<DateTime<Utc>> = None;
    let mut urls: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
    for page in store::pages(&mut tx).await? {
        let Some(doc) = pages::published(&mut tx, &page).await? else { continue };
        if doc.seo.noindex {
            continue;
        }
        if page.is_home {
            home = page.published_at;
        } else {
            urls.push((format!("{site}/p/{}", page.slug), page.published_at));
        }
    }
    let courses = courses::store::published_courses(&mut tx).await?;
    tx.commit().await?;
    if !courses.is_empty() {
        let newest = courses.iter().map(|c| c.updated_at).max();
        urls.insert(0, (format!("{site}/courses"), newest));
    }
    urls.insert(0, (format!("{site}/"), home));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&loc));
        xml.push_str("</loc>");
        if let Some(at) = lastmod {
            xml.push_str(&format!("<lastmod>{}</lastmod>", at.format("%Y-%m-%dT%H:%M:%SZ")));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(text(xml, "application/xml; charset=utf-8"))
}

/// The crawling rules, pointing to the sitemap.
pub async fn robots(ctx: Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let site = seo::site_url(&ctx.state, &mut tx, &ctx.school).await?;
    tx.commit().await?;
    Ok(text(robots_txt(&site), "text/plain; charset=utf-8"))
}

/// `robots.txt` for the site at `site`.
pub fn robots_txt(site: &str) -> String {
    let mut out = String::from("User-agent: *\n");
    for path in DISALLOWED {
        out.push_str(&format!("Disallow: {path}\n"));
    }
    out.push_str(&format!("\nSitemap: {site}/sitemap.xml\n"));
    out
}

fn text(body: String, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}

/// `s` with XML's special characters escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_keeps_crawlers_out_of_private_places_and_names_the_sitemap() {
        let r = robots_txt("https://acme.example");
        for p in DISALLOWED {
            assert!(r.contains(&format!("Disallow: {p}\n")));
        }
        assert!(r.ends_with("Sitemap: https://acme.example/sitemap.xml\n"));
        assert_eq!(escape("a&b<c>"), "a&amp;b&lt;c&gt;");
    }
}
