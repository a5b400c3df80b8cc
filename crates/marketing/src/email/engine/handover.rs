//! The hand-over: the commit that moves rows to `sent` just before their message goes out.
//!
//! [`commit`] moves the rows that are still `queued`, still claimed by this worker and whose
//! recipient still wants the mail (not on the suppression list, contact subscribed and not
//! suppressed, not opted out of the email's topic) to `sent` with their Message-ID, and
//! publishes their `email.sent` — one statement for the rows, one for the events. The
//! [`Committer`] groups the hand-overs of all the messages in flight: a task whose message
//! reached the server's 354 sends its row to the committer and waits; the committer takes
//! whatever rows have arrived meanwhile, commits them in one transaction and wakes each task
//! with its answer (a group commit, as a database does with its log).

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use kernel::{AppState, TenantId, db::TenantTx};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::transport::Handover;
use crate::email::DeliveryId;

/// Rows committed together at most.
pub const GROUP: usize = 256;

/// One row to hand over.
#[derive(Clone, Debug)]
pub struct Handing {
    /// The delivery.
    pub id: DeliveryId,
    /// Its Message-ID (`id@host`).
    pub message_id: String,
    /// The email's topic (empty: none).
    pub topic: String,
    /// The `email.sent` payload.
    pub event: serde_json::Value,
}

/// Moves `rows` to `sent` if they are still queued, claimed by `worker` and wanted by their
/// recipient, and publishes `email.sent` for them, in the caller's transaction; returns the
/// rows that were moved (the others must not be sent).
pub async fn commit(
    state: &AppState,
    tx: &mut TenantTx,
    worker: Uuid,
    rows: &[Handing],
) -> anyhow::Result<Vec<DeliveryId>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id.0).collect();
    let message_ids: Vec<&str> = rows.iter().map(|r| r.message_id.as_str()).collect();
    let topics: Vec<&str> = rows.iter().map(|r| r.topic.as_str()).collect();
    let moved: Vec<DeliveryId> = sqlx::query_scalar(
        "update email_deliveries d set status = 'sent', message_id = m.message_id, sent_at = $3,
           attempts = d.attempts + 1, last_error = null, claimed_by = null, claimed_until = null
         from unnest($4::uuid[], $5::text[], $6::text[]) as m(id, message_id, topic)
         where d.tenant_id = $1 and d.id = m.id and d.status = 'queued' and d.claimed_by = $2
           and not exists (select 1 from suppressions s where s.tenant_id = $1 and s.email = lower(d.to_email))
           and (d.contact_id is null or exists (
             select 1 from contacts c where c.tenant_id = $1 and c.id = d.contact_id
               and c.status = 'subscribed' and c.suppressed_at is null))
           and (m.topic = '' or d.contact_id is null or not exists (
             select 1 from contact_topic_optouts o where o.tenant_id = $1 and o.contact_id = d.contact_id
               and o.topic = m.topic))
         returning d.id",
    )
    .bind(tx.tenant())
    .bind(worker)
    .bind(state.clock.now())
    .bind(&ids)
    .bind(&message_ids)
    .bind(&topics)
    .fetch_all(&mut **tx)
    .await?;
    let events = rows.iter().filter(|r| moved.contains(&r.id)).map(|r| r.event.clone()).collect();
    state.events.publish_many(tx, "email.sent", events).await?;
    Ok(moved)
}

struct Request {
    row: Handing,
    reply: oneshot::Sender<Result<bool, String>>,
}

/// Group commits of the hand-overs of one run (see the module doc).
#[derive(Clone)]
pub(super) struct Committer {
    queue: mpsc::UnboundedSender<Request>,
}

impl Committer {
    /// Starts the committer of `worker` for `tenant`; it ends when the last clone is dropped.
    pub(super) fn start(state: &AppState, tenant: TenantId, worker: Uuid) -> Self {
        let (queue, mut incoming) = mpsc::unbounded_channel::<Request>();
        let state = state.clone();
        tokio::spawn(async move {
            while let Some(first) = incoming.recv().await {
                // Let the tasks that are about to hand over join this group.
                tokio::task::yield_now().await;
                let mut group = vec![first];
                while group.len() < GROUP {
                    match incoming.try_recv() {
                        Ok(r) => group.push(r),
                        Err(_) => break,
                    }
                }
                let rows: Vec<Handing> = group.iter().map(|r| r.row.clone()).collect();
                let result = async {
                    let mut tx = state.db.tenant(tenant).await?;
                    let moved = commit(&state, &mut tx, worker, &rows).await?;
                    tx.commit().await?;
                    anyhow::Ok(moved)
                }
                .await;
                for r in group {
                    let answer = match &result {
                        Ok(moved) => Ok(moved.contains(&r.row.id)),
                        Err(e) => Err(format!("{e:#}")),
                    };
                    let _ = r.reply.send(answer);
                }
            }
        });
        Self { queue }
    }

    /// Hands one row over with the next group; `true` when it is now `sent`.
    pub(super) async fn hand(&self, row: Handing) -> anyhow::Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Request { row, reply }).map_err(|_| anyhow::anyhow!("the committer stopped"))?;
        answer.await?.map_err(|e| anyhow::anyhow!(e))
    }
}

/// One message's hand-over through the committer; remembers whether it happened.
pub(super) struct Hand<'a> {
    committer: &'a Committer,
    row: Handing,
    done: AtomicBool,
}

impl<'a> Hand<'a> {
    pub(super) fn new(committer: &'a Committer, row: Handing) -> Self {
        Self { committer, row, done: AtomicBool::new(false) }
    }

    /// Whether the row was committed as `sent`.
    pub(super) fn done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

#[async_trait]
impl Handover for Hand<'_> {
    async fn commit(&self) -> anyhow::Result<bool> {
        let moved = self.committer.hand(self.row.clone()).await?;
        self.done.store(moved, Ordering::Release);
        Ok(moved)
    }
}
