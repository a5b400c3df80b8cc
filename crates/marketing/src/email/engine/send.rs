//! Sending claimed rows, each at most once, with a hand-over point.
//!
//! A batch is checked in one query ([`super::check`]), each (email, subject) rendered once and
//! the DKIM key opened once; then each row's message is personalised and sent, many at a time.
//! The row is committed as `sent` — with its Message-ID and its `email.sent`, in one commit —
//! at the last moment before the step that cannot be taken back, and only then is that step
//! taken:
//!
//! - SMTP: MAIL FROM, RCPT TO, DATA → 354 → **hand-over** → body and "." → 250. A server
//!   discards a DATA that never got its ".", so up to the hand-over nothing is sent.
//! - HTTP API: **hand-over** → POST.
//! - Dev mailbox: the mail is kept in the hand-over's own transaction.
//!
//! The hand-over ([`super::handover`]) moves the row only if it is still queued and claimed by
//! this run and its recipient still wants the mail at that instant; otherwise the message is
//! abandoned (for SMTP, by closing the connection in the middle of DATA) and the row is
//! re-checked (skipped with its reason, or left to whoever took it over). The hand-overs of the
//! messages in flight are committed together (a group commit), so a message waits for at most
//! one commit. A refusal after the "." (4xx/5xx) is recorded by a second transaction: retried
//! with backoff, or failed with the address suppressed.
//!
//! A crash after the hand-over leaves the row `sent`: never twice. The price is the other way:
//! a crash between the hand-over's COMMIT being durable and the body's write loses the
//! message. That window is the commit's reply reaching us plus the wake-up of the waiting
//! tasks and their write — microseconds on loopback once the reply is in, but it covers every
//! row of the group being committed, so a SIGKILL landing in it loses at most the messages in
//! flight (`LYCEUM_EMAIL_CONCURRENCY`; the bench's kill at 40 in flight lost 10 of 20,000). A
//! connection that breaks after the body with no verdict also counts the message as sent (the
//! server may well have it).

use std::sync::Arc;

use anyhow::Context as _;
use futures::{SinkExt, StreamExt, channel::mpsc};
use kernel::{AppState, jobs, mail, web::School};
use serde_json::json;
use uuid::Uuid;

use super::{
    Claimed, MAX_ATTEMPTS, Run,
    check::{self, Ready},
    handover::{self, Committer, Hand, Handing},
    message,
    transport::{self, Handed, Route, SendError},
};
use crate::email::{
    content::{self, Prepared},
    deliverability::{self, DkimKey, EmailSettings},
    suppression, tracking,
};

/// What a run sends with.
pub(super) struct Context<'a> {
    state: &'a AppState,
    school: School,
    settings: EmailSettings,
    route: Route,
    sender: mail::Sender,
    committer: Committer,
    pub(super) worker: Uuid,
}

/// A row ready to send, with what its group shares.
pub(super) type Item = (Ready, Arc<Shared>);

/// Rows rendered together: one email with one subject.
type Group = (crate::email::EmailId, Option<String>);

enum Outcome {
    Sent,
    Skipped,
    Failed,
    Retried,
    Lost,
}

/// What one group of a batch shares.
pub(super) struct Shared {
    prepared: Prepared,
    topic: String,
    dkim: Option<DkimKey>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        state: &'a AppState,
        school: School,
        settings: EmailSettings,
        worker: Uuid,
    ) -> anyhow::Result<Self> {
        let sender = mail::sender(&state.config.mail_from, &school);
        let committer = Committer::start(state, school.id, worker);
        Ok(Self { route: transport::route(state)?, state, school, settings, sender, committer, worker })
    }

    /// How many messages are in flight at once.
    pub(super) fn parallel(&self) -> usize {
        match self.route {
            Route::Remote(_) => self.state.config.email_concurrency,
            // Each kept message holds a database connection until its commit.
            Route::Keep => {
                self.state.config.email_concurrency.min((self.state.db.max_connections() as usize / 2).max(1))
            }
        }
    }

    /// Checks and renders one claimed batch and feeds its sendable rows to `feed`, where
    /// [`Self::deliver_all`] takes them; the rows not to send are counted in `out` here.
    pub(super) async fn prepare_batch(
        &self,
        rows: Vec<Claimed>,
        feed: &mut mpsc::Sender<Item>,
        out: &mut Run,
    ) -> anyhow::Result<()> {
        let mut groups: Vec<(Group, Vec<Claimed>)> = vec![];
        for row in rows {
            let key = (row.email_id, row.subject.clone());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, g)) => g.push(row),
                None => groups.push((key, vec![row])),
            }
        }
        for ((email_id, subject), rows) in groups {
            let mut tx = self.state.db.tenant(self.school.id).await?;
            let Some(email) = content::find(&mut tx, email_id).await? else {
                continue; // deleted: its rows went with it
            };
            let prepared = content::prepare(self.state, &mut tx, &self.school, &email, subject.as_deref()).await;
            let prepared = match prepared {
                Ok(p) => p,
                Err(e) => {
                    for row in &rows {
                        finish(&mut tx, row, self.worker, "failed", &e.to_string()).await?;
                        out.failed += 1;
                    }
                    tx.commit().await?;
                    continue;
                }
            };
            let checked = check::check(&mut tx, self.worker, rows, &email.topic).await?;
            let dkim = deliverability::dkim_key(self.state, &mut tx, &self.sender.email).await?;
            tx.commit().await?;
            out.skipped += checked.skipped;
            let shared = Arc::new(Shared { prepared, topic: email.topic.clone(), dkim });
            for ready in checked.ready {
                // The sender stops taking only when the sending side failed (and said why).
                if feed.send((ready, shared.clone())).await.is_err() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Sends what [`Self::prepare_batch`] feeds, [`Self::parallel`] at a time, until the feed
    /// closes: the next batch is claimed and rendered while this one is still going out, so
    /// the connections never wait for a batch boundary.
    pub(super) async fn deliver_all(&self, queue: mpsc::Receiver<Item>, out: &mut Run) -> anyhow::Result<()> {
        let mut results = queue
            .map(|(ready, shared)| async move { self.deliver(ready, &shared).await })
            .buffer_unordered(self.parallel());
        while let Some(r) = results.next().await {
            match r? {
                Outcome::Sent => out.sent += 1,
                Outcome::Skipped => out.skipped += 1,
                Outcome::Failed => out.failed += 1,
                Outcome::Retried => out.retried += 1,
                Outcome::Lost => {}
            }
        }
        Ok(())
    }

    async fn deliver(&self, ready: Ready, shared: &Shared) -> anyhow::Result<Outcome> {
        let state = self.state;
        let Ready { row, mut recipient } = ready;
        let links = tracking::links(state, &self.school.base_url, row.id);
        recipient.unsubscribe_url = links.unsubscribe.clone();
        recipient.preferences_url = links.preferences.clone();
        let rendered = match shared.prepared.personalise(&recipient) {
            Ok(r) => r,
            Err(e) => {
                let mut tx = state.db.tenant(self.school.id).await?;
                finish(&mut tx, &row, self.worker, "failed", &e.to_string()).await?;
                tx.commit().await?;
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
        if let Some(dkim) = &shared.dkim {
            let mut signed = format!("{}\r\n", dkim.header(&outgoing.raw)?).into_bytes();
            signed.extend_from_slice(&outgoing.raw);
            outgoing.raw = signed;
        }
        outgoing.envelope_from = deliverability::envelope_from(state, &self.sender.email, row.id);
        let handing = Handing {
            id: row.id,
            message_id,
            topic: shared.topic.clone(),
            event: json!({
                "delivery_id": row.id, "contact_id": row.contact_id, "email_id": row.email_id,
                "broadcast_id": row.broadcast_id, "automation_id": row.automation_id, "step_id": row.step_id,
            }),
        };
        let transport = match &self.route {
            Route::Remote(t) => t,
            Route::Keep => {
                let mut tx = state.db.tenant(self.school.id).await?;
                if handover::commit(state, &mut tx, self.worker, &[handing]).await?.is_empty() {
                    tx.commit().await?;
                    return self.withdrawn(row, &shared.topic).await;
                }
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
                mail::keep(&mut tx, &kept).await?;
                tx.commit().await?;
                return Ok(Outcome::Sent);
            }
        };
        let _permit = transport::in_flight(state).acquire().await.context("provider cap")?;
        let hand = Hand::new(&self.committer, handing);
        match transport.send(&outgoing, &hand).await {
            Ok(Handed::Accepted) => Ok(Outcome::Sent),
            Ok(Handed::Unconfirmed(e)) => {
                tracing::warn!(delivery = %row.id, error = %e, "no verdict after the message body; counted as sent");
                Ok(Outcome::Sent)
            }
            Ok(Handed::Withdrawn) => self.withdrawn(row, &shared.topic).await,
            Err(SendError::Handover(e)) => Err(e.context("handing a message over")),
            Err(refusal) => self.refused(&row, hand.done(), refusal).await,
        }
    }

    /// The hand-over said no: the row is skipped with its reason if it is still ours, or left
    /// to whoever has it now.
    async fn withdrawn(&self, row: Claimed, topic: &str) -> anyhow::Result<Outcome> {
        let mut tx = self.state.db.tenant(self.school.id).await?;
        let checked = check::check(&mut tx, self.worker, vec![row], topic).await?;
        tx.commit().await?;
        Ok(if checked.skipped > 0 { Outcome::Skipped } else { Outcome::Lost })
    }

    /// Records a refusal: before the hand-over on the still-claimed row, after it on the row
    /// already `sent` (the server refused the message after its ".").
    async fn refused(&self, row: &Claimed, handed_over: bool, refusal: SendError) -> anyhow::Result<Outcome> {
        let state = self.state;
        let now = state.clock.now();
        let attempt = row.attempts + 1;
        let mut tx = state.db.tenant(self.school.id).await?;
        let (status, error, not_before, bounced) = match &refusal {
            SendError::Permanent(e) => ("failed", e, None, Some(now)),
            SendError::Temporary(e) if attempt >= MAX_ATTEMPTS => ("failed", e, None, None),
            SendError::Temporary(e) => {
                ("queued", e, Some(now + chrono::Duration::seconds(60 * jobs::backoff_seconds(attempt))), None)
            }
            SendError::Handover(_) => unreachable!("not a refusal"),
        };
        let recorded = sqlx::query(
            "update email_deliveries set status = $3, attempts = $4, not_before = coalesce($5, not_before),
               bounced_at = coalesce($6, bounced_at), last_error = $7, sent_at = null,
               claimed_by = null, claimed_until = null
             where tenant_id = $1 and id = $2
               and (case when $8 then status = 'sent' else status = 'queued' and claimed_by = $9 end)",
        )
        .bind(self.school.id)
        .bind(row.id)
        .bind(status)
        .bind(attempt)
        .bind(not_before)
        .bind(bounced)
        .bind(error)
        .bind(handed_over)
        .bind(self.worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if recorded == 0 {
            tx.commit().await?;
            return Ok(Outcome::Lost);
        }
        if matches!(refusal, SendError::Permanent(_)) {
            suppression::suppress(&mut tx, &row.to_email, "bounce", error).await?;
        }
        tx.commit().await?;
        Ok(if status == "failed" { Outcome::Failed } else { Outcome::Retried })
    }
}

async fn finish(
    tx: &mut kernel::db::TenantTx,
    row: &Claimed,
    worker: Uuid,
    status: &str,
    why: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "update email_deliveries set status = $3, last_error = $4, claimed_by = null, claimed_until = null
         where tenant_id = $1 and id = $2 and status = 'queued' and claimed_by = $5",
    )
    .bind(tx.tenant())
    .bind(row.id)
    .bind(status)
    .bind(why)
    .bind(worker)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
