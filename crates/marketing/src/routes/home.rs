//! `GET /` on a school's site: the school's home page, a built page. With a published home page
//! (`pages.is_home`) it is that page, exactly as at `/p/{slug}`; without one, a page made in
//! memory from the "course catalogue home" template with the hero the creator wrote on the
//! branding page (`tenancy::hero`), so nothing a school wrote before the builder is lost.

use axum::{
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};
use serde_json::{Value, json};

use crate::{
    page_templates, render,
    routes::public_page::{private, serve},
    sections::Document,
    seo,
};

/// The home page.
pub async fn show(ctx: Ctx, headers: HeaderMap) -> AppResult<Response> {
    if let Some(res) = serve(&ctx, &headers, None).await? {
        return Ok(res);
    }
    fallback(&ctx).await
}

/// The template a school without a home page is shown: the course catalogue home.
fn home_template() -> &'static str {
    "catalogue"
}

/// The home page of a school that has not built one.
async fn fallback(ctx: &Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let saved = tenancy::hero::load(&mut tx).await?;
    let hero = saved.shown(&ctx.school, ctx.shell.locale);
    let mut doc = page_templates::document(home_template(), &ctx.school.name);
    let button = match &ctx.shell.user {
        // Someone logged in gets their own place, named for what is there.
        Some(u) if u.is_staff => ("/admin".to_string(), ctx.t("home-open-admin")),
        Some(_) => ("/dashboard".to_string(), ctx.t("home-open-dashboard")),
        None if ctx.school.suspended() && hero.button_path == "/signup" => (String::new(), String::new()),
        None => (hero.button_path.to_string(), hero.button_label.clone()),
    };
    let secondary = if ctx.shell.user.is_none() && hero.button_path != "/login" {
        ("/login".to_string(), ctx.t("nav-login"))
    } else {
        (String::new(), String::new())
    };
    let data = json!({
        "headline": hero.headline, "subheading": hero.text,
        "button_label": button.1, "button_url": button.0,
        "secondary_label": secondary.1, "secondary_url": secondary.0,
    });
    with_hero(&mut doc, data);
    doc.seo.title = if ctx.school.tagline.is_empty() { ctx.school.name.clone() } else { ctx.school.tagline.clone() };
    doc.seo.description = if hero.text.is_empty() {
        ctx.t_args("meta-home", &[("school", ctx.school.name.clone().into())])
    } else {
        hero.text.clone()
    };
    let live = render::live(&ctx.state, &mut tx, &doc, "", ctx.shell.locale).await?;
    let site = seo::site_url(&ctx.state, &mut tx, &ctx.school).await?;
    tx.commit().await?;
    let head = seo::Head {
        title: doc.seo.title.clone(),
        description: doc.seo.description.clone(),
        canonical: format!("{site}/"),
        image: None,
        noindex: false,
        site_name: ctx.school.name.clone(),
        json_ld: String::new(),
    };
    let html = ctx.render(
        "marketing/page.html",
        context! { head => Serde(&head), variant => "", ..render::document_context(&doc, live) },
    )?;
    let mut res = html.into_response();
    if ctx.user.is_some() {
        return Ok(private(res));
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(res)
}

/// Puts the creator's hero over the template's first hero section (or a new one on top).
fn with_hero(doc: &mut Document, data: Value) {
    let Value::Object(fields) = data else { return };
    match doc.sections.iter_mut().find(|s| s.kind == "hero") {
        Some(s) => s.data.extend(fields),
        None => doc.sections.insert(0, page_templates::section("hero", Value::Object(fields))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_creators_hero_replaces_the_templates() {
        let mut doc = page_templates::document(home_template(), "School");
        with_hero(&mut doc, json!({ "headline": "Paint with Ana", "button_url": "/signup" }));
        let hero = doc.sections.iter().find(|s| s.kind == "hero").unwrap();
        assert_eq!(hero.data["headline"], "Paint with Ana");
        assert_eq!(hero.data["button_url"], "/signup");
        assert_eq!(doc.sections.iter().filter(|s| s.kind == "hero").count(), 1);
    }
}
