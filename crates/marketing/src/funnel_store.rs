//! SQL for funnel tracking: page views, funnel events and A/B tests. Every function takes the
//! school's transaction; the numbers the stats page shows are computed here from marketing's own
//! rows (which came from the beacon and from other domains' events).

use chrono::{DateTime, NaiveDate, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use serde_json::Value;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::{model::PageId, sections::Document};

/// A counted page view, as the beacon reported it.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The page.
    pub page: Option<PageId>,
    /// `""`, `"a"` or `"b"`.
    pub variant: String,
    /// The day's hash of school, address and browser.
    pub visitor_key: String,
    /// `utm_source` of the page's address.
    pub utm_source: String,
    /// `utm_medium`.
    pub utm_medium: String,
    /// `utm_campaign`.
    pub utm_campaign: String,
    /// The referring site's host name.
    pub referrer_host: String,
}

/// Stores a view of a published page of this school in one statement; `false` when the page is
/// not one of the school's published pages.
pub async fn insert_view(tx: &mut TenantTx, v: &View, at: DateTime<Utc>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into page_views (tenant_id, id, page_id, variant, visitor_key, day, utm_source, utm_medium,
                                 utm_campaign, referrer_host, at)
         select $1, $2, p.id, $4, $5, ($11 at time zone 'UTC')::date, $6, $7, $8, $9, $11
         from pages p where p.tenant_id = $1 and p.id = $3 and p.published_version is not null
                        and p.archived_at is null and $10",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(v.page)
    .bind(&v.variant)
    .bind(&v.visitor_key)
    .bind(&v.utm_source)
    .bind(&v.utm_medium)
    .bind(&v.utm_campaign)
    .bind(&v.referrer_host)
    .bind(v.page.is_some())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A step of the funnel, recorded once per event.
#[derive(Debug, Clone)]
pub struct FunnelEvent {
    /// The event's id (a redelivery finds its row already there).
    pub id: Uuid,
    /// `optin`, `checkout` or `purchase`.
    pub kind: &'static str,
    /// The page it is credited to.
    pub page: PageId,
    /// The variant the visitor saw.
    pub variant: String,
    /// `utm_source`.
    pub utm_source: String,
    /// `utm_campaign`.
    pub utm_campaign: String,
    /// For a purchase: what was paid, in minor units, and its currency.
    pub amount: Option<(i64, String)>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// Records `e` unless its event was recorded already.
pub async fn record(tx: &mut TenantTx, e: &FunnelEvent) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into funnel_events (tenant_id, id, kind, page_id, variant, utm_source, utm_campaign, amount, currency, at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (tenant_id, id) do nothing",
    )
    .bind(tx.tenant())
    .bind(e.id)
    .bind(e.kind)
    .bind(e.page)
    .bind(&e.variant)
    .bind(&e.utm_source)
    .bind(&e.utm_campaign)
    .bind(e.amount.as_ref().map(|a| a.0))
    .bind(e.amount.as_ref().map(|a| a.1.as_str()))
    .bind(e.at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One day's (or one source's) numbers.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct Counts {
    /// The day (for a daily row).
    pub day: Option<NaiveDate>,
    /// `utm_source` (for a source row).
    pub utm_source: Option<String>,
    /// `utm_campaign` (for a source row).
    pub utm_campaign: Option<String>,
    /// The variant (for an A/B row).
    pub variant: Option<String>,
    /// Unique visitors: distinct visitor keys per day, summed.
    pub visitors: i64,
    /// Views.
    pub views: i64,
    /// Opt-ins.
    pub optins: i64,
    /// Checkouts started.
    pub checkouts: i64,
    /// Purchases.
    pub sales: i64,
    /// What the purchases brought in, in minor units of the school's main currency.
    pub revenue: i64,
}

/// The page's views and funnel events in `[from, to)`, counted per `group`.
async fn grouped(
    tx: &mut TenantTx,
    page: PageId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: &str,
    group: Group,
) -> sqlx::Result<Vec<Counts>> {
    let (cols, key) = match group {
        Group::Total => {
            ("null::date as day, null::text as utm_source, null::text as utm_campaign, null::text as variant", "k")
        }
        Group::Day => ("d as day, null::text as utm_source, null::text as utm_campaign, null::text as variant", "d"),
        Group::Source => {
            ("null::date as day, src as utm_source, camp as utm_campaign, null::text as variant", "src, camp")
        }
        Group::Variant => {
            ("null::date as day, null::text as utm_source, null::text as utm_campaign, var as variant", "var")
        }
    };
    let sql = format!(
        "with v as (
           select 1 as k, (at at time zone 'UTC')::date as d, utm_source as src, utm_campaign as camp,
                  variant as var, day, visitor_key
           from page_views where tenant_id = $1 and page_id = $2 and at >= $3 and at < $4),
         e as (
           select 1 as k, (at at time zone 'UTC')::date as d, utm_source as src, utm_campaign as camp,
                  variant as var, kind, amount, currency
           from funnel_events where tenant_id = $1 and page_id = $2 and at >= $3 and at < $4),
         vs as (
           select {key}, count(distinct (day, visitor_key))::bigint as visitors, count(*)::bigint as views
           from v group by {key}),
         es as (
           select {key},
                  count(*) filter (where kind = 'optin')::bigint as optins,
                  count(*) filter (where kind = 'checkout')::bigint as checkouts,
                  count(*) filter (where kind = 'purchase')::bigint as sales,
                  coalesce(sum(amount) filter (where kind = 'purchase' and currency = $5), 0)::bigint as revenue
           from e group by {key})
         select {cols}, coalesce(vs.visitors, 0) as visitors, coalesce(vs.views, 0) as views,
                coalesce(es.optins, 0) as optins, coalesce(es.checkouts, 0) as checkouts,
                coalesce(es.sales, 0) as sales, coalesce(es.revenue, 0) as revenue
         from vs full join es using ({key})
         order by {key}",
    );
    // `key` and `cols` come from the fixed table above, never from input.
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(tx.tenant())
        .bind(page)
        .bind(from)
        .bind(to)
        .bind(currency)
        .fetch_all(&mut **tx)
        .await
}

/// How [`grouped`] groups.
#[derive(Clone, Copy)]
enum Group {
    Total,
    Day,
    Source,
    Variant,
}

/// The page's totals over `[from, to)`.
pub async fn totals(
    tx: &mut TenantTx,
    page: PageId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: &str,
) -> sqlx::Result<Counts> {
    Ok(grouped(tx, page, from, to, currency, Group::Total).await?.into_iter().next().unwrap_or_default())
}

/// The page's numbers per day (UTC) over `[from, to)`; days without activity are missing.
pub async fn daily(
    tx: &mut TenantTx,
    page: PageId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: &str,
) -> sqlx::Result<Vec<Counts>> {
    grouped(tx, page, from, to, currency, Group::Day).await
}

/// The page's numbers per UTM source and campaign over `[from, to)`.
pub async fn by_source(
    tx: &mut TenantTx,
    page: PageId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: &str,
) -> sqlx::Result<Vec<Counts>> {
    grouped(tx, page, from, to, currency, Group::Source).await
}

/// The page's numbers per A/B variant since `from`.
pub async fn by_variant(
    tx: &mut TenantTx,
    page: PageId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Counts>> {
    grouped(tx, page, from, to, "", Group::Variant).await
}

/// An A/B test of a page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Experiment {
    /// Its id.
    pub id: Uuid,
    /// The page under test.
    pub page_id: PageId,
    /// Variant B (variant A is the page's published version).
    #[sqlx(json)]
    pub variant_b: Document,
    /// `optin` or `purchase`: what counts as a conversion.
    pub goal: String,
    /// When visitors started being split.
    pub started_at: DateTime<Utc>,
    /// When it was ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// The variant kept.
    pub winner: Option<String>,
}

const EXPERIMENT: &str = "select id, page_id, variant_b, goal, started_at, ended_at, winner from page_experiments";

/// The page's running test, if any.
pub async fn running(tx: &mut TenantTx, page: PageId) -> sqlx::Result<Option<Experiment>> {
    sqlx::query_as(AssertSqlSafe(format!("{EXPERIMENT} where tenant_id = $1 and page_id = $2 and ended_at is null")))
        .bind(tx.tenant())
        .bind(page)
        .fetch_optional(&mut **tx)
        .await
}

/// The page's most recent test, running or ended.
pub async fn latest(tx: &mut TenantTx, page: PageId) -> sqlx::Result<Option<Experiment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{EXPERIMENT} where tenant_id = $1 and page_id = $2 order by started_at desc limit 1"
    )))
    .bind(tx.tenant())
    .bind(page)
    .fetch_optional(&mut **tx)
    .await
}

/// Starts a test with `doc` as variant B.
pub async fn insert_experiment(
    tx: &mut TenantTx,
    page: PageId,
    doc: &Document,
    goal: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into page_experiments (tenant_id, id, page_id, variant_b, goal, started_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(page)
    .bind(sqlx::types::Json(doc))
    .bind(goal)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Replaces the running test's variant B and goal.
pub async fn update_experiment(tx: &mut TenantTx, id: Uuid, doc: &Document, goal: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update page_experiments set variant_b = $3, goal = $4 where tenant_id = $1 and id = $2 and ended_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(sqlx::types::Json(doc))
    .bind(goal)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends the test keeping `winner`.
pub async fn end_experiment(tx: &mut TenantTx, id: Uuid, winner: &str, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "update page_experiments set ended_at = $3, winner = $4 where tenant_id = $1 and id = $2 and ended_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(at)
    .bind(winner)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id of the school's page with `slug` (for crediting a purchase to `?lp=`).
pub async fn page_id_by_slug(tx: &mut TenantTx, slug: &str) -> sqlx::Result<Option<PageId>> {
    sqlx::query_scalar("select id from pages where tenant_id = $1 and slug = $2")
        .bind(tx.tenant())
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}

/// A JSON string field of `v`, or `""`.
pub fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().chars().take(200).collect()
}
