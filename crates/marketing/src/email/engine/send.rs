//! Sending claimed rows, each at most once.
//!
//! Every row is sent inside its own short transaction that first locks the row and checks it is
//! still `queued` and still claimed by this run (a run whose lease ran out and whose rows another
//! worker took skips them). The message goes to the server while the lock is held, and the
//! transaction that moves the row to `sent` (with its Message-ID) and releases the claim is
//! committed right after the server accepted it, before the next message of this task is taken.
//! The only window for a duplicate is a crash between the server's "250 OK" and that commit —
//! one message per task in flight at most, a few milliseconds — which no SMTP client can close.

use std::sync::Arc;

use anyhow::Context as _;
use futures::{StreamExt, stream};
use kernel::{AppState, db::TenantTx, jobs, mail, web::School};
use serde_json::json;
use uuid::Uuid;

use super::{
    Claimed, MAX_ATTEMPTS, Run, message,
    transport::{self, Route, SendError},
};
use crate::email::{
    content::{self, Prepared, Recipient},
    deliverability::{self, EmailSettings},
    suppression, tracking,
};

/// What a run sends with.
pub(super) struct Context<'a> {
    state: &'a AppState,
    school: School,
    settings: EmailSettings,
    route: Route,
    sender: mail::Sender,
    pub(super) worker: Uuid,
}

/// The row's contact: whether it exists, its status, whether it is suppressed, names, fields.
type Contact = (bool, String, bool, String, String, serde_json::Value);

/// Rows rendered together: one email with one subject.
type Group = (crate::email::EmailId, Option<String>);

enum Outcome {
    Sent,
    Skipped,
    Failed,
    Retried,
    Lost,
}

impl<'a> Context<'a> {
    pub(super) fn new(state: &'a AppState, school: School, settings: EmailSettings, worker: Uuid) -> Self {
        let sender = mail::sender(&state.config.mail_from, &school);
        Self { route: transport::route(state), state, school, settings, sender, worker }
    }

    /// Renders each (email, subject) of the batch once, then sends its rows a few at a time.
    pub(super) async fn send_batch(&self, rows: Vec<Claimed>, out: &mut Run) -> anyhow::Result<()> {
        let mut groups: Vec<(Group, Vec<Claimed>)> = vec![];
        for row in rows {
            let key = (row.email_id, row.subject.clone());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, g)) => g.push(row),
                None => groups.push((key, vec![row])),
            }
        }
        let parallel = self.state.config.email_concurrency.min((self.state.db.max_connections() as usize / 2).max(1));
        for ((email_id, subject), rows) in groups {
            let mut tx = self.state.db.tenant(self.school.id).await?;
            let Some(email) = content::find(&mut tx, email_id).await? else {
                continue; // deleted: its rows went with it
            };
            let prepared = content::prepare(self.state, &mut tx, &self.school, &email, subject.as_deref()).await;
            tx.commit().await?;
            let prepared = match prepared {
                Ok(p) => Arc::new(p),
                Err(e) => {
                    for row in &rows {
                        let mut tx = self.state.db.tenant(self.school.id).await?;
                        finish(&mut tx, row, "failed", &e.to_string()).await?;
                        tx.commit().await?;
                        out.failed += 1;
                    }
                    continue;
                }
            };
            let topic = email.topic.clone();
            let mut results = stream::iter(rows)
                .map(|row| {
                    let (prepared, topic) = (prepared.clone(), topic.clone());
                    async move { self.deliver(&row, &prepared, &topic).await }
                })
                .buffer_unordered(parallel);
            while let Some(r) = results.next().await {
                match r? {
                    Outcome::Sent => out.sent += 1,
                    Outcome::Skipped => out.skipped += 1,
                    Outcome::Failed => out.failed += 1,
                    Outcome::Retried => out.retried += 1,
                    Outcome::Lost => {}
                }
            }
        }
        Ok(())
    }

    async fn deliver(&self, row: &Claimed, prepared: &Prepared, topic: &str) -> anyhow::Result<Outcome> {
        let state = self.state;
        let mut tx = state.db.tenant(self.school.id).await?;
        // Locks the row (still queued and still ours?) and reads its contact in one round trip.
        let ours: Option<Contact> = sqlx::query_as(
            "select c.id is not null, coalesce(c.status, ''), c.suppressed_at is not null,
                    coalesce(c.first_name, ''), coalesce(c.last_name, ''), coalesce(c.fields, '{}')
             from email_deliveries d
             left join contacts c on c.tenant_id = d.tenant_id and c.id = d.contact_id
             where d.tenant_id = $1 and d.id = $2 and d.status = 'queued' and d.claimed_by = $3
             for update of d",
        )
        .bind(self.school.id)
        .bind(row.id)
        .bind(self.worker)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(contact) = ours else {
            return Ok(Outcome::Lost); // sent, cancelled, or taken over since we claimed it
        };
        let outcome = self.deliver_locked(&mut tx, row, contact, prepared, topic).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn deliver_locked(
        &self,
        tx: &mut TenantTx,
        row: &Claimed,
        contact: Contact,
        prepared: &Prepared,
        topic: &str,
    ) -> anyhow::Result<Outcome> {
        let state = self.state;
        if suppression::is_suppressed(tx, &row.to_email).await? {
            return skip(tx, row, "suppressed").await;
        }
        let mut recipient = Recipient { email: row.to_email.clone(), ..Recipient::default() };
        if let Some(contact_id) = row.contact_id {
            let (exists, status, suppressed, first_name, last_name, fields) = contact;
            if !exists {
                return skip(tx, row, "contact deleted").await;
            }
            if suppressed {
                return skip(tx, row, "contact suppressed").await;
            }
            if status != "subscribed" {
                return skip(tx, row, &format!("contact {status}")).await;
            }
            if !tracking::wants(tx, contact_id, topic).await? {
                return skip(tx, row, "unsubscribed from the topic").await;
            }
            recipient = Recipient { contact_id: Some(contact_id), first_name, last_name, fields, ..recipient };
        } else if row.source != "test" {
            return skip(tx, row, "contact deleted").await;
        }
        if let (Some(automation), Some(contact)) = (row.automation_id, row.contact_id) {
            // What the trigger carried (`{{ course.title }}`, `{{ order.number }}`, …).
            let t = crate::email::automations::trigger_data(tx, automation, contact.0).await?;
            recipient.extra = serde_json::json!({
                "course": { "title": t["course_title"], "url": t["course_url"] },
                "order": { "number": t["order_number"], "total": t["total"] },
                "trigger": t,
            });
        }
        let links = tracking::links(state, &self.school.base_url, row.id);
        recipient.unsubscribe_url = links.unsubscribe.clone();
        recipient.preferences_url = links.preferences.clone();
        let rendered = match prepared.personalise(&recipient) {
            Ok(r) => r,
            Err(e) => {
                finish(tx, row, "failed", &e.to_string()).await?;
                return Ok(Outcome::Failed);
            }
        };
        let html =
            tracking::decorate(state, &self.school.base_url, row.id, &rendered.html, self.settings.tracking_enabled);
        let message_id = format!("{}@{}", row.id, state.config.platform_hostname());
        let to_name = format!("{} {}", recipient.first_name, recipient.last_name).trim().to_string();
        let mut outgoing = message::build(&message::Parts {
            from: &self.sender,
            to: (&row.to_email, &to_name),
            subject: &rendered.subject,
            html: &html,
            text: &rendered.text,
            message_id: &message_id,
            unsubscribe: &links.unsubscribe,
            date: state.clock.now().into(),
        })
        .context("building the message")?;
        if let Some(dkim) = deliverability::dkim_header(state, tx, &self.sender.email, &outgoing.raw).await? {
            let mut signed = format!("{dkim}\r\n").into_bytes();
            signed.extend_from_slice(&outgoing.raw);
            outgoing.raw = signed;
        }
        outgoing.envelope_from = deliverability::envelope_from(state, &self.sender.email, row.id);
        // The row is moved to `sent` (and `email.sent` published) before the hand-over, behind a
        // savepoint: once the server accepts, only the COMMIT is left to do, and a refusal rolls
        // back to the savepoint and records itself instead.
        let now = state.clock.now();
        sqlx::query("savepoint before_send").execute(&mut **tx).await?;
        sqlx::query(
            "update email_deliveries set status = 'sent', message_id = $3, sent_at = $4, attempts = attempts + 1,
               last_error = null, claimed_by = null, claimed_until = null
             where tenant_id = $1 and id = $2",
        )
        .bind(self.school.id)
        .bind(row.id)
        .bind(&message_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        state
            .events
            .publish(
                tx,
                "email.sent",
                json!({
                    "delivery_id": row.id, "contact_id": row.contact_id, "email_id": row.email_id,
                    "broadcast_id": row.broadcast_id, "automation_id": row.automation_id,
                    "step_id": row.step_id,
                }),
            )
            .await?;
        let result = match &self.route {
            Route::Keep => {
                let kept = mail::OutgoingMail {
                    to_email: row.to_email.clone(),
                    to_name,
                    from_email: self.sender.email.clone(),
                    from_name: self.sender.name.clone(),
                    reply_to: self.sender.reply_to.clone(),
                    subject: rendered.subject.clone(),
                    html,
                    text: rendered.text.clone(),
                    template: "marketing/email".into(),
                };
                mail::keep(tx, &kept).await?;
                Ok(())
            }
            Route::Remote(t) => {
                let _permit = transport::in_flight(state).acquire().await.context("provider cap")?;
                t.send(&outgoing).await
            }
        };
        if result.is_err() {
            sqlx::query("rollback to savepoint before_send").execute(&mut **tx).await?;
        }
        match result {
            Ok(()) => Ok(Outcome::Sent),
            Err(SendError::Permanent(e)) => {
                sqlx::query(
                    "update email_deliveries set status = 'failed', bounced_at = $3, attempts = attempts + 1,
                       last_error = $4, claimed_by = null, claimed_until = null
                     where tenant_id = $1 and id = $2",
                )
                .bind(self.school.id)
                .bind(row.id)
                .bind(now)
                .bind(&e)
                .execute(&mut **tx)
                .await?;
                suppression::suppress(tx, &row.to_email, "bounce", &e).await?;
                Ok(Outcome::Failed)
            }
            Err(SendError::Temporary(e)) => {
                let attempt = row.attempts + 1;
                let give_up = attempt >= MAX_ATTEMPTS;
                let later = now + chrono::Duration::seconds(60 * jobs::backoff_seconds(attempt));
                sqlx::query(
                    "update email_deliveries set status = $3, attempts = $4, not_before = $5, last_error = $6,
                       claimed_by = null, claimed_until = null
                     where tenant_id = $1 and id = $2",
                )
                .bind(self.school.id)
                .bind(row.id)
                .bind(if give_up { "failed" } else { "queued" })
                .bind(attempt)
                .bind(later)
                .bind(&e)
                .execute(&mut **tx)
                .await?;
                Ok(if give_up { Outcome::Failed } else { Outcome::Retried })
            }
        }
    }
}

async fn skip(tx: &mut TenantTx, row: &Claimed, why: &str) -> anyhow::Result<Outcome> {
    finish(tx, row, "skipped", why).await?;
    Ok(Outcome::Skipped)
}

async fn finish(tx: &mut TenantTx, row: &Claimed, status: &str, why: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update email_deliveries set status = $3, last_error = $4, claimed_by = null, claimed_until = null
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(row.id)
    .bind(status)
    .bind(why)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
