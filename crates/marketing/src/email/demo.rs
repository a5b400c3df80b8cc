//! The demo school's email (`make demo`): its postal address for the footers, the welcome series
//! running on the cheat-sheet form, the abandoned-cart recipe, a newsletter sent three weeks ago
//! to the subscribed contacts with its opens and clicks, and the next one scheduled for next
//! week, so the broadcasts list, a report and the automations have something believable in
//! them. Called by [`crate::demo::seed`] after the contacts exist; a failure is logged, never
//! fatal.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, TenantId, db::TenantTx};
use serde_json::json;
use uuid::Uuid;

use super::{
    EmailId, automations, broadcasts,
    content::{self},
    deliverability::settings_store,
};
use crate::model::FormId;

/// What the email seed made.
#[derive(Clone, Copy, Debug, Default)]
pub struct DemoEmail {
    /// Automations made (active or not).
    pub automations: usize,
    /// Deliveries of the sent newsletter.
    pub delivered: usize,
}

const ADDRESS: &str = "Maya Chen Studio · 2150 Shattuck Ave, Suite 400 · Berkeley, CA 94704 · USA";

/// Seeds the email part of the demo school.
pub async fn seed(state: &AppState, school: TenantId, owner: Uuid, form: FormId) -> anyhow::Result<DemoEmail> {
    let now = state.clock.now();
    let mut tx = state.db.tenant(school).await?;
    settings_store::ensure(&mut tx).await?;
    settings_store::save(&mut tx, ADDRESS, true).await?;
    // A school that has sent for months is past its warm-up.
    settings_store::skip_warmup(&mut tx, now - Duration::days(60)).await?;
    let mut made = DemoEmail::default();
    if let Some(welcome) = automations::recipes::create(&mut tx, "welcome", Some(form.0), Some(owner)).await? {
        automations::store::set_status(&mut tx, welcome, "active").await?;
        made.automations += 1;
    }
    if automations::recipes::create(&mut tx, "abandoned_cart", None, Some(owner)).await?.is_some() {
        made.automations += 1;
    }
    let sent =
        newsletter(&mut tx, "March studio notes", "Three greens, one brush, and a free live session", owner).await?;
    made.delivered = history(&mut tx, sent, now - Duration::days(21)).await?;
    let next =
        newsletter(&mut tx, "April studio notes", "Painting spring light: what we'll do in April", owner).await?;
    sqlx::query(
        "update broadcasts set status = 'scheduled', send_at = $3, start_at = $3, segment = $4 where tenant_id = $1 and id = $2",
    )
    .bind(school)
    .bind(next.1)
    .bind(now + Duration::days(6))
    .bind(json!({ "match": "all", "rules": [] }))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(made)
}

/// An email written from the editor's newsletter layout and a broadcast of it.
async fn newsletter(
    tx: &mut TenantTx,
    name: &str,
    subject: &str,
    owner: Uuid,
) -> anyhow::Result<(EmailId, broadcasts::BroadcastId)> {
    let doc = json!({ "blocks": [
        { "id": "h1", "kind": "heading", "text": subject, "level": "1" },
        { "id": "t1", "kind": "text", "html": "<p>Hi {{ first_name | default: \"there\" }},</p><p>This month in the studio we mixed twelve greens from three tubes, and I filmed the whole thing so you can paint along. The cheat sheet is updated with the new swatches.</p>" },
        { "id": "b1", "kind": "button", "label": "Watch the demo", "url": "/p/watercolor-foundations", "color": "" },
        { "id": "d1", "kind": "divider" },
        { "id": "t2", "kind": "text", "html": "<p><strong>Live session:</strong> on the last Thursday of the month I paint a full botanical study live and answer your questions. Students of Watercolor Foundations get the replay.</p><p>Happy painting,<br>Maya</p>" },
        { "id": "f1", "kind": "footer" },
    ]});
    let email = content::create(tx, name, subject, doc, Some(owner)).await?;
    let broadcast = broadcasts::store::insert(tx, email, name, None, None, Some(owner)).await?;
    Ok((email, broadcast))
}

/// The sent newsletter's deliveries to every subscribed contact, with opens for about half and
/// clicks for a fifth, spread over the two days after `at`.
async fn history(
    tx: &mut TenantTx,
    (email, broadcast): (EmailId, broadcasts::BroadcastId),
    at: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let school = tx.tenant();
    let n = sqlx::query(
        "insert into email_deliveries
           (tenant_id, id, email_id, contact_id, to_email, source, broadcast_id, status, not_before, sent_at,
            message_id, opened_at, clicked_at, created_at)
         select c.tenant_id, gen_random_uuid(), $2, c.id, c.email, 'broadcast', $3, 'sent', $4, $4,
                gen_random_uuid()::text || '@demo.lyceum.test',
                case when (row_number() over (order by c.created_at)) % 2 = 0
                     then $4 + make_interval(mins => ((row_number() over (order by c.created_at)) * 37 % 2800)::int) end,
                case when (row_number() over (order by c.created_at)) % 5 = 0
                     then $4 + make_interval(mins => ((row_number() over (order by c.created_at)) * 37 % 2800 + 3)::int) end,
                $4
         from contacts c
         where c.tenant_id = $1 and c.status = 'subscribed' and c.created_at < $4",
    )
    .bind(school)
    .bind(email)
    .bind(broadcast)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    for (kind, column, url) in [("open", "opened_at", None), ("click", "clicked_at", Some("/p/watercolor-foundations"))]
    {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into email_events (tenant_id, id, delivery_id, kind, url, at)
             select tenant_id, gen_random_uuid(), id, $3, $4, {column}
             from email_deliveries where tenant_id = $1 and broadcast_id = $2 and {column} is not null"
        )))
        .bind(school)
        .bind(broadcast)
        .bind(kind)
        .bind(url)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "update broadcasts set status = 'sent', send_at = $3, start_at = $3, started_at = $3,
                finished_at = $3 + interval '4 minutes', segment = $4, recipients = $5, created_at = $3 - interval '1 day'
         where tenant_id = $1 and id = $2",
    )
    .bind(school)
    .bind(broadcast)
    .bind(at)
    .bind(json!({ "match": "all", "rules": [] }))
    .bind(n as i32)
    .execute(&mut **tx)
    .await?;
    Ok(n as usize)
}
