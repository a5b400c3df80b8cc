//! The demo school's marketing (`make demo`): a built home page, the sales page for Watercolor
//! Foundations with both of its offers, a lead-magnet page whose form delivers the color mixing
//! cheat sheet, the thank-you page it leads to, forty contacts who arrived over the last two
//! months, and the page views, opt-ins and sales of those months, so every list and chart has
//! something believable in it.
//!
//! Pages go through the page builder's own rules ([`pages::create`], [`pages::save_draft`],
//! [`pages::publish`]) and contacts through [`crate::contacts::upsert`] and [`crate::contacts::tag`]; each
//! row is then moved back to the day it happened. The funnel's history is written only when its
//! tables exist, and a failure there never stops the demo.

mod copy;
mod people;

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, TenantId, db::TenantTx, ids::UserId};
use serde_json::json;

use self::people::{OptIn, SOURCES};
use crate::{
    model::{FormId, PageId},
    pages,
    sections::Document,
    store,
};

/// The sales page's address: `/p/watercolor-foundations`.
pub const SALES_PAGE: &str = "watercolor-foundations";
/// The lead-magnet page's address.
pub const LEAD_PAGE: &str = "free-color-mixing-cheat-sheet";
/// Where opt-ins land.
pub const THANK_YOU_PAGE: &str = "cheat-sheet-thank-you";
/// The home page's address (it is also the school's `/`).
pub const HOME_PAGE: &str = "home";

/// What the other demo seeds made that the pages show.
#[derive(Clone, Copy, Debug)]
pub struct DemoSchool {
    /// The school.
    pub school: TenantId,
    /// Maya, the owner, who built and published the pages.
    pub owner: UserId,
    /// Watercolor Foundations (the sales page's curriculum).
    pub foundations: Option<courses::CourseId>,
    /// The welcome video (the heroes' video).
    pub welcome: Option<media::MediaId>,
    /// The color mixing PDF the opt-in form delivers.
    pub handout: Option<media::MediaId>,
}

/// What the seed made, for tests and the operator's summary.
#[derive(Clone, Debug, Default)]
pub struct DemoMarketing {
    /// Pages published.
    pub pages: usize,
    /// Contacts made.
    pub contacts: usize,
    /// Page views recorded (none when the funnel's tables are missing).
    pub views: u64,
}

/// Seeds the pages, form, contacts and funnel history, once: a school that already has the
/// sales page is left alone.
pub async fn seed(state: &AppState, demo: DemoSchool) -> anyhow::Result<DemoMarketing> {
    let mut tx = state.db.tenant(demo.school).await?;
    if store::page_by_slug(&mut tx, SALES_PAGE).await?.is_some() {
        return Ok(DemoMarketing::default());
    }
    let by = Some(demo.owner.0);
    let now = state.clock.now();
    let mut offers = vec![];
    for slug in [commerce::demo::FOUNDATIONS, commerce::demo::FOUNDATIONS_PLAN] {
        if let Some(offer) = commerce::store::offer_by_slug(&mut tx, slug).await? {
            offers.push(offer.id.to_string());
        }
    }
    let sales_path = format!("/p/{SALES_PAGE}");
    let thanks =
        page(state, &mut tx, "Thank you", THANK_YOU_PAGE, "thank-you", copy::thank_you(&sales_path), by).await?;
    let form = cheat_sheet_form(&mut tx, thanks, demo.handout).await?;
    let refs = copy::Refs {
        video: demo.welcome.map(|m| m.to_string()).unwrap_or_default(),
        course: demo.foundations.map(|c| c.to_string()).unwrap_or_default(),
        offers,
        form: form.to_string(),
        closes_at: (now + Duration::days(9)).to_rfc3339(),
    };
    let lead =
        page(state, &mut tx, "Free color mixing cheat sheet", LEAD_PAGE, "lead-magnet", copy::lead_magnet(&refs), by)
            .await?;
    let sales =
        page(state, &mut tx, "Watercolor Foundations", SALES_PAGE, "sales-page", copy::sales(&refs), by).await?;
    let lead_path = format!("/p/{LEAD_PAGE}");
    let home =
        page(state, &mut tx, "Home", HOME_PAGE, "catalogue", copy::home(&refs, &sales_path, &lead_path), by).await?;
    pages::make_home(state, &mut tx, home).await.map_err(|e| anyhow::anyhow!("the demo home page: {e:?}"))?;
    // Built over the two weeks before the history starts.
    for (id, days) in [(home, 70), (sales, 66), (lead, 64), (thanks, 64)] {
        let at = now - Duration::days(days);
        sqlx::query(
            "update pages set created_at = $3, published_at = $3, draft_saved_at = $3 where tenant_id = $1 and id = $2",
        )
        .bind(demo.school)
        .bind(id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("update page_versions set created_at = $3 where tenant_id = $1 and page_id = $2")
            .bind(demo.school)
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("update forms set created_at = $3 where tenant_id = $1 and id = $2")
        .bind(demo.school)
        .bind(form)
        .bind(now - Duration::days(64))
        .execute(&mut *tx)
        .await?;
    let optins = people::people(state, &mut tx, now, form, lead, home).await?;
    tx.commit().await?;
    if let Err(e) = submissions(state, demo.school, form, &optins).await {
        tracing::warn!(error = ?e, "the demo form submissions were not seeded");
    }
    let views = match funnel(state, demo.school, now, Pages { home, sales, lead, thanks }, &optins).await {
        Ok(views) => views,
        Err(e) => {
            tracing::warn!(error = ?e, "the demo funnel history was not seeded");
            0
        }
    };
    if let Err(e) = crate::email::demo::seed(state, demo.school, demo.owner.0, form).await {
        tracing::warn!(error = ?e, "the demo email was not seeded");
    }
    Ok(DemoMarketing { pages: 4, contacts: people::PEOPLE.len(), views })
}

/// Makes, fills and publishes one page.
async fn page(
    state: &AppState,
    tx: &mut TenantTx,
    title: &str,
    slug: &str,
    template: &str,
    doc: Document,
    by: Option<uuid::Uuid>,
) -> anyhow::Result<PageId> {
    let fail = |e: pages::PageError| anyhow::anyhow!("the demo page {slug}: {e:?}");
    let id = pages::create(state, tx, title, slug, template, by).await.map_err(fail)?;
    pages::save_draft(state, tx, id, 1, &doc, by).await.map_err(fail)?;
    pages::publish(state, tx, id, by).await.map_err(fail)?;
    Ok(id)
}

/// The opt-in form: email and first name, consent, tags, the PDF as its lead magnet.
async fn cheat_sheet_form(
    tx: &mut TenantTx,
    thanks: PageId,
    handout: Option<media::MediaId>,
) -> anyhow::Result<FormId> {
    let id = FormId::new();
    let fields = json!([
        { "key": "email", "label": "", "kind": "email", "required": true, "options": [] },
        { "key": "first_name", "label": "", "kind": "first_name", "required": false, "options": [] }
    ]);
    let magnet = match handout {
        Some(m) => json!({ "kind": "file", "media_id": m }),
        None => json!({ "kind": "none" }),
    };
    sqlx::query(
        "insert into forms (tenant_id, id, name, fields, consent_text, consent_required, double_opt_in, tags, lead_magnet,
                            button_label, thank_you_page_id, embed_key)
         values ($1, $2, $3, $4, $5, true, false, $6, $7, $8, $9, $10)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind("Color mixing cheat sheet")
    .bind(fields)
    .bind("Send me the cheat sheet and Maya's weekly painting tip. I can unsubscribe at any time.")
    .bind(vec!["Lead magnet".to_string(), "Cheat sheet".to_string()])
    .bind(magnet)
    .bind("Send me the cheat sheet")
    .bind(thanks)
    .bind(uuid::Uuid::new_v4().simple().to_string())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The form's submissions, when the forms' table exists: one confirmed submission per opt-in.
async fn submissions(state: &AppState, school: TenantId, form: FormId, optins: &[OptIn]) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(school).await?;
    let ready: bool =
        sqlx::query_scalar("select to_regclass('form_submissions') is not null").fetch_one(&mut *tx).await?;
    if !ready {
        return Ok(());
    }
    for o in optins {
        let (utm_source, utm_medium, utm_campaign) = SOURCES[o.source];
        let utm = if utm_source.is_empty() {
            json!({})
        } else {
            json!({ "utm_source": utm_source, "utm_medium": utm_medium, "utm_campaign": utm_campaign })
        };
        sqlx::query(
            "insert into form_submissions (tenant_id, id, form_id, contact_id, page_id, variant, data, utm, status,
                                           confirmed_at, created_at)
             values ($1, gen_random_uuid(), $2, $3, $4, '', $5, $6, 'confirmed', $7, $7)",
        )
        .bind(school)
        .bind(form)
        .bind(o.contact)
        .bind(o.page)
        .bind(json!({ "email": o.email, "first_name": o.first_name }))
        .bind(utm)
        .bind(o.at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo's pages.
#[derive(Clone, Copy, Debug)]
struct Pages {
    home: PageId,
    sales: PageId,
    lead: PageId,
    thanks: PageId,
}

/// Sixty days of page views (about four in five from distinct visitors, a third from
/// Instagram, the rest from YouTube, Pinterest, the newsletter and search), the form's
/// opt-ins, and the sales page's checkout starts and purchases, when the funnel's tables exist.
async fn funnel(
    state: &AppState,
    school: TenantId,
    now: DateTime<Utc>,
    p: Pages,
    optins: &[OptIn],
) -> anyhow::Result<u64> {
    let mut tx = state.db.tenant(school).await?;
    let ready: bool =
        sqlx::query_scalar("select to_regclass('page_views') is not null and to_regclass('funnel_events') is not null")
            .fetch_one(&mut *tx)
            .await?;
    if !ready {
        return Ok(0);
    }
    let mut views = 0;
    // (page, fewest views a day, how many more on a busy day)
    for (page, base, spread) in [(p.home, 22, 14), (p.sales, 12, 10), (p.lead, 4, 5), (p.thanks, 0, 2)] {
        views += sqlx::query(
            "insert into page_views (tenant_id, id, page_id, variant, visitor_key, day, utm_source, utm_medium,
                                     utm_campaign, referrer_host, at)
             select $1, gen_random_uuid(), $2, '', md5($2::text || ':' || d || ':' || (v * 4 / 5)), t.at::date,
                    (array['instagram', 'instagram', 'instagram', 'youtube', 'youtube', 'newsletter', 'pinterest', '', '', ''])[v % 10 + 1],
                    (array['social', 'social', 'social', 'video', 'video', 'email', 'social', '', '', ''])[v % 10 + 1],
                    (array['spring-launch', 'spring-launch', 'spring-launch', 'color-mixing', 'color-mixing', 'spring-launch', 'cheat-sheet', '', '', ''])[v % 10 + 1],
                    (array['instagram.com', 'instagram.com', 'l.instagram.com', 'youtube.com', 'youtube.com', '', 'pinterest.com', 'google.com', 'google.com', ''])[v % 10 + 1],
                    t.at
             from generate_series(0, 59) d,
                  lateral (select $3 + (d * 7919) % ($4 + 1) + case when extract(isodow from $5::timestamptz - make_interval(days => d)) >= 6 then $4 / 2 else 0 end as n) k,
                  generate_series(1, k.n) v,
                  lateral (select $5::timestamptz - make_interval(days => d, mins => (v * 53 + d * 17) % 600) as at) t",
        )
        .bind(school)
        .bind(page)
        .bind(base)
        .bind(spread)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    let event = |tx: &mut TenantTx, kind: &'static str, page: PageId, source: usize, amount: Option<i64>, at| {
        let (utm_source, _, utm_campaign) = SOURCES[source % SOURCES.len()];
        sqlx::query(
            "insert into funnel_events (tenant_id, id, kind, page_id, variant, utm_source, utm_campaign, amount, currency, at)
             values ($1, gen_random_uuid(), $2, $3, '', $4, $5, $6, case when $6::bigint is null then null else 'USD' end, $7)",
        )
        .bind(tx.tenant())
        .bind(kind)
        .bind(page)
        .bind(utm_source)
        .bind(utm_campaign)
        .bind(amount)
        .bind(at)
    };
    for o in optins {
        event(&mut tx, "optin", o.page, o.source, None, o.at).execute(&mut *tx).await?;
    }
    // Fourteen sales over the two months (every third one on the payment plan) and about three
    // checkout starts for each.
    for n in 0..42_i64 {
        let at: DateTime<Utc> = now - Duration::days(58 - n * 58 / 41) - Duration::minutes((n * 211) % 700);
        event(&mut tx, "checkout", p.sales, n as usize, None, at).execute(&mut *tx).await?;
        if n % 3 == 1 {
            let amount = if n % 9 == 4 { 7_500 } else { 19_900 };
            let paid = at + Duration::minutes(6);
            event(&mut tx, "purchase", p.sales, n as usize, Some(amount), paid.min(now)).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(views)
}
