//! The numbers of a send: per broadcast, per automation (and each of its steps), per link, and
//! opens and clicks per hour over the first 48 hours.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use uuid::Uuid;

/// What a report covers.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// Every delivery of a broadcast (its resends included).
    Broadcast(Uuid),
    /// Every delivery of an automation, with a line per step.
    Automation(Uuid),
}

impl Scope {
    /// The deliveries' column the scope filters on: one of two fixed names, never input, so
    /// the queries below may name it in their text.
    fn column(self) -> (&'static str, Uuid) {
        match self {
            Self::Broadcast(id) => ("broadcast_id", id),
            Self::Automation(id) => ("automation_id", id),
        }
    }
}

/// The counts of a set of deliveries.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Totals {
    /// Accepted by the mail server.
    pub sent: i64,
    /// Sent and not bounced.
    pub delivered: i64,
    /// Recipients a person opened it for.
    pub opens: i64,
    /// Recipients whose only opens were a machine's (Apple Mail Privacy Protection).
    pub machine_opens: i64,
    /// Recipients who clicked.
    pub clicks: i64,
    /// Clicks in all.
    pub total_clicks: i64,
    /// Recipients who unsubscribed through it.
    pub unsubscribes: i64,
    /// Bounced.
    pub bounces: i64,
    /// Marked as spam.
    pub complaints: i64,
}

impl Totals {
    /// `part` of the delivered, in percent with one decimal.
    pub fn rate(&self, part: i64) -> f64 {
        if self.delivered == 0 { 0.0 } else { (part as f64 * 1000.0 / self.delivered as f64).round() / 10.0 }
    }
}

/// One link's clicks.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct LinkRow {
    /// The target.
    pub url: String,
    /// Recipients who clicked it.
    pub unique: i64,
    /// Clicks in all.
    pub clicks: i64,
    /// Revenue attributed to it (minor units, in the report's first currency).
    pub revenue: i64,
}

/// One automation step's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct StepRow {
    /// The step's id.
    pub step_id: String,
    /// Its counts.
    pub totals: Totals,
    /// Its revenue (minor units).
    pub revenue: i64,
}

/// Opens and clicks in one hour after the first send.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Hour {
    /// Human opens.
    pub opens: i64,
    /// Clicks.
    pub clicks: i64,
}

/// A report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Whether the school has any delivery in this scope.
    pub exists: bool,
    /// The counts.
    pub totals: Totals,
    /// Revenue by currency (minor units).
    pub revenue: Vec<(String, i64)>,
    /// Per link, most clicked first.
    pub links: Vec<LinkRow>,
    /// Per automation step.
    pub steps: Vec<StepRow>,
    /// 48 hours from the first send.
    pub hours: Vec<Hour>,
    /// When the first one went.
    pub first_sent: Option<DateTime<Utc>>,
}

const TOTALS: &str = "
    select count(*) filter (where d.status = 'sent') as sent,
           count(*) filter (where d.status = 'sent' and d.bounced_at is null) as delivered,
           count(*) filter (where exists (select 1 from email_events e where e.tenant_id = d.tenant_id
             and e.delivery_id = d.id and e.kind = 'open' and not e.machine)) as opens,
           count(*) filter (where exists (select 1 from email_events e where e.tenant_id = d.tenant_id
             and e.delivery_id = d.id and e.kind = 'open' and e.machine)
             and not exists (select 1 from email_events e where e.tenant_id = d.tenant_id
             and e.delivery_id = d.id and e.kind = 'open' and not e.machine)) as machine_opens,
           count(*) filter (where d.clicked_at is not null) as clicks,
           coalesce(sum((select count(*) from email_events e where e.tenant_id = d.tenant_id
             and e.delivery_id = d.id and e.kind = 'click')), 0)::bigint as total_clicks,
           count(*) filter (where d.unsubscribed_at is not null) as unsubscribes,
           count(*) filter (where d.bounced_at is not null) as bounces,
           count(*) filter (where d.complained_at is not null) as complaints
    from email_deliveries d";

/// The report of a broadcast or an automation.
pub async fn report(tx: &mut TenantTx, scope: Scope) -> sqlx::Result<Report> {
    let (col, id) = scope.column();
    let exists: Option<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select 1 from email_deliveries where tenant_id = $1 and {col} = $2 limit 1"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_none() {
        return Ok(Report::default());
    }
    let totals: Totals =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{TOTALS} where d.tenant_id = $1 and d.{col} = $2")))
            .bind(tx.tenant())
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let revenue: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select currency, sum(amount)::bigint from email_revenue where tenant_id = $1 and {col} = $2
         group by currency order by 2 desc"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let links: Vec<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select e.url, count(distinct e.delivery_id) as unique, count(*) as clicks,
                coalesce((select sum(r.amount) from email_revenue r where r.tenant_id = $1 and r.{col} = $2
                  and r.url = e.url), 0)::bigint as revenue
         from email_events e join email_deliveries d on d.tenant_id = e.tenant_id and d.id = e.delivery_id
         where e.tenant_id = $1 and d.{col} = $2 and e.kind = 'click' and e.url is not null
         group by e.url order by 2 desc, 3 desc, 1 limit 50"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut steps = Vec::new();
    if let Scope::Automation(_) = scope {
        let ids: Vec<String> = sqlx::query_scalar(
            "select step_id from email_deliveries where tenant_id = $1 and automation_id = $2 and step_id is not null
             group by step_id order by min(created_at)",
        )
        .bind(tx.tenant())
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        for step in ids {
            let totals: Totals = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{TOTALS} where d.tenant_id = $1 and d.automation_id = $2 and d.step_id = $3"
            )))
            .bind(tx.tenant())
            .bind(id)
            .bind(&step)
            .fetch_one(&mut **tx)
            .await?;
            let revenue: i64 = sqlx::query_scalar(
                "select coalesce(sum(amount), 0)::bigint from email_revenue
                 where tenant_id = $1 and automation_id = $2 and step_id = $3",
            )
            .bind(tx.tenant())
            .bind(id)
            .bind(&step)
            .fetch_one(&mut **tx)
            .await?;
            steps.push(StepRow { step_id: step, totals, revenue });
        }
    }
    let first_sent: Option<DateTime<Utc>> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select min(sent_at) from email_deliveries where tenant_id = $1 and {col} = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let mut hours = vec![Hour::default(); 48];
    if let Some(start) = first_sent {
        let rows: Vec<(i32, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select floor(extract(epoch from e.at - $3) / 3600)::int as h, e.kind, count(*)
             from email_events e join email_deliveries d on d.tenant_id = e.tenant_id and d.id = e.delivery_id
             where e.tenant_id = $1 and d.{col} = $2 and e.kind in ('open', 'click') and not e.machine
               and e.at >= $3 and e.at < $3 + interval '48 hours'
             group by 1, 2"
        )))
        .bind(tx.tenant())
        .bind(id)
        .bind(start)
        .fetch_all(&mut **tx)
        .await?;
        for (h, kind, n) in rows {
            if let Some(slot) = usize::try_from(h).ok().and_then(|h| hours.get_mut(h)) {
                if kind == "open" { slot.opens += n } else { slot.clicks += n }
            }
        }
    }
    Ok(Report { exists: true, totals, revenue, links, steps, hours, first_sent })
}

/// A bar of the hourly chart, in a 480 × 100 box.
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top of the opens bar.
    pub open_y: f64,
    /// Its height.
    pub open_h: f64,
    /// Top of the clicks bar.
    pub click_y: f64,
    /// Its height.
    pub click_h: f64,
    /// The hour (1-based) and its numbers, for the tooltip.
    pub hour: usize,
    /// Opens that hour.
    pub opens: i64,
    /// Clicks that hour.
    pub clicks: i64,
}

/// The hourly chart's bars: opens at full width, clicks narrower in front.
pub fn bars(hours: &[Hour]) -> Vec<Bar> {
    let max = hours.iter().map(|h| h.opens.max(h.clicks)).max().unwrap_or(0).max(1) as f64;
    hours
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let open_h = (h.opens as f64 / max * 96.0).round();
            let click_h = (h.clicks as f64 / max * 96.0).round();
            Bar {
                x: i as f64 * 10.0,
                open_y: 100.0 - open_h,
                open_h,
                click_y: 100.0 - click_h,
                click_h,
                hour: i + 1,
                opens: h.opens,
                clicks: h.clicks,
            }
        })
        .collect()
}
