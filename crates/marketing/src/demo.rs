//! The demo school's marketing (`make demo`): a built home page, the sales page for Watercolor
//! Foundations with both of its offers, a lead-magnet page whose form delivers the color mixing
//! cheat sheet, the thank-you page it leads to, forty contacts who arrived over the last two
//! months, and the page views, opt-ins and sales of those months, so every list and chart has
//! something believable in it.
//!
//! Pages go through the page builder's own rules ([`pages::create`], [`pages::save_draft`],
//! [`pages::publish`]) and contacts through [`contacts::upsert`] and [`contacts::tag`]; each
//! row is then moved back to the day it happened. The funnel's history is written only when its
//! tables exist, and a failure there never stops the demo.

mod copy;

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, TenantId, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    contacts::{self, Incoming},
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

/// People who found the school: first name, last name.
const PEOPLE: [(&str, &str); 40] = [
    ("Amelia", "Hart"),
    ("Rafael", "Souza"),
    ("Ingrid", "Larsen"),
    ("Kwame", "Mensah"),
    ("Elena", "Petrova"),
    ("Jonah", "Weiss"),
    ("Mei", "Lin"),
    ("Lucas", "Moreau"),
    ("Zara", "Ahmed"),
    ("Declan", "Byrne"),
    ("Paula", "Jiménez"),
    ("Henrik", "Nyberg"),
    ("Ruth", "Abernathy"),
    ("Tariq", "Hassan"),
    ("Camille", "Dubois"),
    ("Owen", "Price"),
    ("Yuki", "Sato"),
    ("Marta", "Kowalska"),
    ("Samuel", "Adeyemi"),
    ("Leah", "Goldberg"),
    ("Nina", "Rossi"),
    ("Arjun", "Mehta"),
    ("Freya", "Lindqvist"),
    ("Diego", "Fuentes"),
    ("Harriet", "Cole"),
    ("Ivan", "Novak"),
    ("Rosa", "Delgado"),
    ("Theo", "Papadopoulos"),
    ("Ayesha", "Siddiqui"),
    ("Felix", "Wagner"),
    ("Clara", "Bianchi"),
    ("Malik", "Johnson"),
    ("Sienna", "Walsh"),
    ("Hugo", "Laurent"),
    ("Beatriz", "Lima"),
    ("Kai", "Nakamura"),
    ("Esther", "Okafor"),
    ("Ronan", "Kelly"),
    ("Vera", "Horvath"),
    ("Maeve", "Gallagher"),
];

/// Where a lead came from (`utm_source`, `utm_medium`, `utm_campaign`).
const SOURCES: [(&str, &str, &str); 5] = [
    ("instagram", "social", "spring-launch"),
    ("youtube", "video", "color-mixing"),
    ("pinterest", "social", "cheat-sheet"),
    ("newsletter", "email", "spring-launch"),
    ("", "", ""),
];

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
    let sales = page(state, &mut tx, "Watercolor Foundations", SALES_PAGE, "sales", copy::sales(&refs), by).await?;
    let lead_path = format!("/p/{LEAD_PAGE}");
    let home = page(state, &mut tx, "Home", HOME_PAGE, "home", copy::home(&refs, &sales_path, &lead_path), by).await?;
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
    let optins = people(state, &mut tx, now, form, lead, home).await?;
    tx.commit().await?;
    let views = match funnel(state, demo.school, now, Pages { home, sales, lead, thanks }, &optins).await {
        Ok(views) => views,
        Err(e) => {
            tracing::warn!(error = ?e, "the demo funnel history was not seeded");
            0
        }
    };
    Ok(DemoMarketing { pages: 4, contacts: PEOPLE.len(), views })
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
        { "key": "email", "label": "Email", "kind": "email", "required": true, "options": [] },
        { "key": "first_name", "label": "First name", "kind": "text", "required": false, "options": [] }
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

/// One opt-in through the form: when, from which page, from which source.
#[derive(Clone, Debug)]
struct OptIn {
    at: DateTime<Utc>,
    page: PageId,
    source: usize,
}

/// The forty contacts, spread over sixty days: most from the cheat-sheet form (on its page or
/// the home page), some imported from a workshop's sign-up sheet, a few customers and two who
/// unsubscribed. Returns the form's opt-ins.
async fn people(
    state: &AppState,
    tx: &mut TenantTx,
    now: DateTime<Utc>,
    form: FormId,
    lead: PageId,
    home: PageId,
) -> anyhow::Result<Vec<OptIn>> {
    let mut optins = vec![];
    for (i, (first, last)) in PEOPLE.iter().enumerate() {
        let ago = 59 - (i as i64 * 59) / 39;
        let at = now - Duration::days(ago) - Duration::minutes((i as i64 * 137) % 900);
        let source_index = i % SOURCES.len();
        let (utm_source, utm_medium, utm_campaign) = SOURCES[source_index];
        let email = format!("{}.{}@example.test", ascii(first), ascii(last));
        let mut tags = vec![];
        let (source, consent) = match i % 10 {
            7 => {
                tags.push("Berkeley library workshop");
                (json!({ "kind": "import", "file": "workshop-signups.csv" }), None)
            }
            9 => {
                tags.push("Customer");
                tags.push("Watercolor Foundations");
                (json!({ "kind": "purchase", "offer": commerce::demo::FOUNDATIONS, "lp": SALES_PAGE }), None)
            }
            n => {
                let page = if n == 8 { home } else { lead };
                optins.push(OptIn { at, page, source: source_index });
                tags.extend(["Lead magnet", "Cheat sheet"]);
                if i % 5 == 0 {
                    tags.extend(["Customer", "Watercolor Foundations"]);
                }
                let consent = json!({
                    "text": "Send me the cheat sheet and Maya's weekly painting tip. I can unsubscribe at any time.",
                    "at": at, "form_id": form, "page_id": page,
                });
                (
                    json!({ "kind": "form", "form_id": form, "page_id": page, "utm_source": utm_source,
                            "utm_medium": utm_medium, "utm_campaign": utm_campaign }),
                    Some(consent),
                )
            }
        };
        let customer = tags.contains(&"Customer");
        let who = Incoming {
            email,
            first_name: Some((*first).to_string()),
            last_name: Some((*last).to_string()),
            source,
            consent,
            status: Some("subscribed"),
            customer,
            ..Incoming::default()
        };
        let (id, _) = contacts::upsert(state, tx, who).await.map_err(|e| anyhow::anyhow!("a demo contact: {e}"))?;
        let names: Vec<String> = tags.iter().map(|t| (*t).to_string()).collect();
        contacts::tag(state, tx, id, &names).await?;
        let unsubscribed = (i == 13 || i == 26).then(|| at + Duration::days(ago / 2));
        sqlx::query(
            "update contacts set created_at = $3, status = case when $4::timestamptz is null then status else 'unsubscribed' end,
               unsubscribed_at = $4 where tenant_id = $1 and id = $2",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .bind(unsubscribed)
        .execute(&mut **tx)
        .await?;
        sqlx::query("update contact_activity set occurred_at = $3 where tenant_id = $1 and contact_id = $2")
            .bind(tx.tenant())
            .bind(id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        sqlx::query("update contact_tags set created_at = $3 where tenant_id = $1 and contact_id = $2")
            .bind(tx.tenant())
            .bind(id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(optins)
}

/// `name` without accents, lower case, for an address.
fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
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
