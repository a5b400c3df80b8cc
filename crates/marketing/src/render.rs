//! What visitors see of a built page: its sections rendered by `marketing/page.html`, each
//! with the live data it refers to (a course's curriculum, offers and their prices, a form,
//! library images) looked up at render time, so a deleted course or offer hides its section
//! instead of breaking the page. [`warnings`] tells the editor which sections are hidden and why.

use std::collections::{BTreeMap, BTreeSet};

use kernel::{AppState, TenantId, db::TenantTx, i18n::Locale};
use minijinja::{Value, context, value::Serde};
use serde::Serialize;

use crate::{
    model::FormId,
    sections::{self, Document, Field},
};

/// The ids a document refers to, by kind of thing.
#[derive(Debug, Default)]
struct Refs {
    courses: BTreeSet<String>,
    offers: BTreeSet<String>,
    forms: BTreeSet<String>,
    images: BTreeSet<String>,
    videos: BTreeSet<String>,
}

impl Refs {
    fn add(&mut self, field: Field, v: &serde_json::Value) {
        let one = |set: &mut BTreeSet<String>| {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                set.insert(s.to_string());
            }
        };
        match field {
            Field::Course => one(&mut self.courses),
            Field::Form => one(&mut self.forms),
            Field::Image => one(&mut self.images),
            Field::Video => one(&mut self.videos),
            Field::Offers => {
                for id in v.as_array().into_iter().flatten().filter_map(|x| x.as_str()) {
                    self.offers.insert(id.to_string());
                }
            }
            Field::List { item, .. } => {
                for it in v.as_array().into_iter().flatten() {
                    for (name, f) in item {
                        if let Some(x) = it.get(*name) {
                            self.add(*f, x);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn of(doc: &Document) -> Self {
        let mut refs = Self::default();
        for s in &doc.sections {
            let Some(k) = sections::kind(&s.kind) else { continue };
            for (name, field) in k.fields {
                if let Some(v) = s.data.get(*name) {
                    refs.add(*field, v);
                }
            }
        }
        if !doc.seo.image.is_empty() {
            refs.images.insert(doc.seo.image.clone());
        }
        refs
    }
}

/// A course's curriculum as the curriculum section shows it.
#[derive(Debug, Serialize)]
struct LiveCourse {
    title: String,
    subtitle: String,
    description_html: String,
    url: String,
    modules: Vec<LiveModule>,
    lessons: usize,
    minutes: i64,
}

#[derive(Debug, Serialize)]
struct LiveModule {
    title: String,
    lessons: Vec<LiveLesson>,
    minutes: i64,
}

#[derive(Debug, Serialize)]
struct LiveLesson {
    title: String,
    kind: String,
    minutes: Option<i32>,
    free_preview: bool,
}

/// An offer on sale, with its price in the visitor's language and its checkout link.
#[derive(Debug, Serialize)]
struct LiveOffer {
    id: String,
    name: String,
    product: String,
    description: String,
    kind: String,
    price: String,
    amount: i64,
    currency: String,
    interval: Option<String>,
    installments: Option<i32>,
    trial_days: i32,
    setup_fee: Option<String>,
    url: String,
}

/// A library video: where to watch it.
#[derive(Debug, Serialize)]
struct LiveVideo {
    title: String,
    url: String,
    duration_ms: Option<i64>,
}

/// Everything a document's sections refer to that still exists and may be shown.
#[derive(Debug, Default, Serialize)]
struct Live {
    courses: BTreeMap<String, LiveCourse>,
    offers: BTreeMap<String, LiveOffer>,
    forms: BTreeMap<String, crate::model::Form>,
    images: BTreeMap<String, media::public_image::PublicImage>,
    videos: BTreeMap<String, LiveVideo>,
    /// The moment of rendering, RFC 3339 (a countdown past its end shows its closing text).
    now: String,
}

/// The live data a document's sections refer to, keyed by id, for the section templates:
/// `live.courses[id]`, `live.offers[id]`, `live.forms[id]`, `live.images[id]`
/// (`{url, srcset, width, height, alt}`) and `live.videos[id]`. What was deleted, archived,
/// closed or sold out is absent, and its section hides itself. Buy buttons carry
/// `?lp={page_slug}` so the funnel can credit the page.
pub async fn live(
    state: &AppState,
    tx: &mut TenantTx,
    doc: &Document,
    page_slug: &str,
    locale: Locale,
) -> anyhow::Result<Value> {
    let refs = Refs::of(doc);
    let mut live = Live { now: state.clock.now().to_rfc3339(), ..Live::default() };
    for id in &refs.courses {
        let Ok(cid) = id.parse::<courses::CourseId>() else { continue };
        let Some(course) = courses::store::course(tx, cid).await? else { continue };
        let lessons = courses::store::lessons(tx, cid).await?;
        let mut modules = Vec::new();
        for m in courses::store::modules(tx, cid).await? {
            let ls: Vec<LiveLesson> = lessons
                .iter()
                .filter(|l| l.module_id == m.id && l.status == "published")
                .map(|l| LiveLesson {
                    title: l.title.clone(),
                    kind: l.kind.clone(),
                    minutes: l.duration_minutes,
                    free_preview: l.free_preview,
                })
                .collect();
            let minutes = ls.iter().filter_map(|l| l.minutes).map(i64::from).sum();
            modules.push(LiveModule { title: m.title, lessons: ls, minutes });
        }
        let live_course = LiveCourse {
            url: format!("/courses/{}", course.slug),
            title: course.title,
            subtitle: course.subtitle,
            description_html: course.description_html,
            lessons: modules.iter().map(|m| m.lessons.len()).sum(),
            minutes: modules.iter().map(|m| m.minutes).sum(),
            modules,
        };
        live.courses.insert(id.clone(), live_course);
    }
    for id in &refs.offers {
        let Ok(oid) = id.parse::<commerce::model::OfferId>() else { continue };
        let Some(offer) = commerce::store::offer(tx, oid).await? else { continue };
        if commerce::checkout::on_sale(state, tx, &offer).await?.is_err() {
            continue;
        }
        let product = commerce::store::product(tx, offer.product_id).await?;
        let (product, description) = product.map(|p| (p.name, p.description)).unwrap_or_default();
        let setup_fee = (offer.setup_fee > 0).then(|| kernel::format::money(offer.setup_fee, &offer.currency, locale));
        live.offers.insert(
            id.clone(),
            LiveOffer {
                id: id.clone(),
                price: kernel::format::money(offer.amount, &offer.currency, locale),
                url: format!("/checkout/{}?lp={}", offer.slug, page_slug),
                name: offer.name,
                product,
                description,
                kind: offer.kind,
                amount: offer.amount,
                currency: offer.currency,
                interval: offer.interval,
                installments: offer.installments,
                trial_days: offer.trial_days,
                setup_fee,
            },
        );
    }
    for id in &refs.forms {
        let Ok(fid) = id.parse::<FormId>() else { continue };
        if let Some(form) = crate::store::form(tx, fid).await?.filter(|f| f.archived_at.is_none()) {
            live.forms.insert(id.clone(), form);
        }
    }
    let images: Vec<media::MediaId> = refs.images.iter().filter_map(|id| id.parse().ok()).collect();
    for (id, img) in media::public_image::describe_many(state, tx, &images).await? {
        live.images.insert(id.to_string(), img);
    }
    for id in &refs.videos {
        let Ok(mid) = id.parse::<media::MediaId>() else { continue };
        let Some(m) = media::store::find(tx, mid).await? else { continue };
        if m.kind() == media::Kind::Video && m.is_ready() {
            live.videos.insert(
                id.clone(),
                LiveVideo { title: m.title.clone(), url: format!("/media/{}", m.id), duration_ms: m.duration_ms },
            );
        }
    }
    Ok(Value::from(Serde(live)))
}

/// Sections that visitors will not see, or see in part, because something they refer to is
/// gone: `(section id, Fluent key)` for the editor ("This section's course was deleted").
pub fn warnings(doc: &Document, live: &Value) -> Vec<(String, &'static str)> {
    let has = |group: &str, id: &str| {
        live.get_attr(group).and_then(|g| g.get_item(&Value::from(id))).is_ok_and(|v| !v.is_undefined() && !v.is_none())
    };
    let mut out = Vec::new();
    for s in &doc.sections {
        let Some(k) = sections::kind(&s.kind) else { continue };
        for (name, field) in k.fields {
            let Some(v) = s.data.get(*name) else { continue };
            let id = v.as_str().unwrap_or_default();
            let key = match field {
                Field::Course if !id.is_empty() && !has("courses", id) => Some("section-warning-course"),
                Field::Form if !id.is_empty() && !has("forms", id) => Some("section-warning-form"),
                Field::Image if !id.is_empty() && !has("images", id) => Some("section-warning-image"),
                Field::Video if !id.is_empty() && !has("videos", id) => Some("section-warning-video"),
                Field::Offers => {
                    let ids: Vec<&str> = v.as_array().into_iter().flatten().filter_map(|x| x.as_str()).collect();
                    ids.iter().any(|id| !has("offers", id)).then_some("section-warning-offer")
                }
                _ => None,
            };
            if let Some(key) = key {
                out.push((s.id.clone(), key));
            }
        }
    }
    out
}

/// The template context for a document: its sections and their live data. Rich text is
/// sanitised again by the templates' `rich` filter; custom HTML is sanitised again here.
pub fn document_context(doc: &Document, live: Value) -> Value {
    let mut sections = doc.sections.clone();
    for s in sections.iter_mut().filter(|s| s.kind == "html") {
        if let Some(serde_json::Value::String(html)) = s.data.get_mut("html") {
            *html = sections::clean_custom_html(html);
        }
    }
    context! { sections => Serde(&sections), seo => Serde(&doc.seo), live }
}

/// Forgets what was cached of a school's published pages (after a publish, a restore or a
/// change of home page).
pub fn forget(state: &AppState, tenant: TenantId) {
    crate::cache::forget(state, tenant);
}
