//! The transactional outbox. A domain publishes an event in the same transaction as its
//! change; each subscriber then runs as its own idempotent job, so one failing subscriber
//! neither blocks nor repeats the others.

use std::{collections::HashMap, future::Future};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    db::TenantTx,
    ids::{EventId, TenantId},
    jobs::{self, Job, JobRegistry, NewJob},
    state::AppState,
};

/// An event as a subscriber receives it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    /// The event's id (subscribers use it to stay idempotent).
    pub id: EventId,
    /// What happened, e.g. `user.signed_up`.
    pub kind: String,
    /// Details, owned by the publishing domain.
    pub payload: Value,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The school it happened in.
    #[serde(skip, default = "nil_tenant")]
    pub tenant: TenantId,
}

fn nil_tenant() -> TenantId {
    TenantId(uuid::Uuid::nil())
}

/// Which subscriber jobs each event kind fans out to.
#[derive(Clone, Default)]
pub struct EventBus {
    subscribers: HashMap<String, Vec<String>>,
    // Events are dated by the application's clock, so analytics that bucket them by day agree
    // with every other rule when tests or the demo move time forward.
    clock: crate::clock::Clock,
}

impl EventBus {
    /// Dates events by `clock` (the application's; see [`crate::clock`]).
    pub fn with_clock(mut self, clock: crate::clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Subscribes `name` to events of `kind`; `handler` runs as the job `name`.
    pub fn subscribe<F, Fut>(&mut self, jobs: &mut JobRegistry, kind: &str, name: &str, handler: F)
    where
        F: Fn(AppState, Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.subscribers.entry(kind.to_string()).or_default().push(name.to_string());
        let handler = std::sync::Arc::new(handler);
        jobs.register(name, move |state: AppState, job: Job| {
            let handler = handler.clone();
            async move {
                let mut event: Event = serde_json::from_value(job.payload)?;
                event.tenant = job.tenant;
                handler(state, event).await
            }
        });
    }

    /// Records an event and queues its subscribers, inside the caller's transaction.
    pub async fn publish(&self, tx: &mut TenantTx, kind: &str, payload: Value) -> sqlx::Result<EventId> {
        let event = Event {
            id: EventId::new(),
            kind: kind.into(),
            payload,
            occurred_at: self.clock.now(),
            tenant: tx.tenant(),
        };
        sqlx::query("insert into events (tenant_id, id, kind, payload, created_at) values ($1, $2, $3, $4, $5)")
            .bind(tx.tenant())
            .bind(event.id)
            .bind(kind)
            .bind(&event.payload)
            .bind(event.occurred_at)
            .execute(&mut **tx)
            .await?;
        let body = serde_json::to_value(&event).expect("events serialise");
        for name in self.subscribers.get(kind).into_iter().flatten() {
            jobs::enqueue(tx, NewJob::new(name, body.clone()).key(event.id.to_string())).await?;
        }
        Ok(event.id)
    }

    /// Records one event of `kind` per payload and queues their subscribers, inside the
    /// caller's transaction, in one statement per table (for senders that publish in bulk,
    /// such as the email engine's group commit).
    pub async fn publish_many(
        &self,
        tx: &mut TenantTx,
        kind: &str,
        payloads: Vec<Value>,
    ) -> sqlx::Result<Vec<EventId>> {
        if payloads.is_empty() {
            return Ok(vec![]);
        }
        let now = self.clock.now();
        let ids: Vec<uuid::Uuid> = payloads.iter().map(|_| EventId::new().0).collect();
        sqlx::query(
            "insert into events (tenant_id, id, kind, payload, created_at)
             select $1, e.id, $2, e.payload, $4 from unnest($3::uuid[], $5::jsonb[]) as e(id, payload)",
        )
        .bind(tx.tenant())
        .bind(kind)
        .bind(&ids)
        .bind(now)
        .bind(&payloads)
        .execute(&mut **tx)
        .await?;
        let subscribers = self.subscribers.get(kind).map(Vec::as_slice).unwrap_or_default();
        if !subscribers.is_empty() {
            let bodies: Vec<Value> = ids
                .iter()
                .zip(payloads)
                .map(|(id, payload)| {
                    let event =
                        Event { id: EventId(*id), kind: kind.into(), payload, occurred_at: now, tenant: tx.tenant() };
                    serde_json::to_value(&event).expect("events serialise")
                })
                .collect();
            let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
            for name in subscribers {
                let job_ids: Vec<uuid::Uuid> = ids.iter().map(|_| crate::ids::JobId::new().0).collect();
                let max_attempts = NewJob::new(name, Value::Null).max_attempts;
                sqlx::query(
                    "insert into jobs (tenant_id, id, kind, payload, run_at, idempotency_key, max_attempts)
                     select $1, j.id, $2, j.payload, now(), j.key, $6
                     from unnest($3::uuid[], $4::jsonb[], $5::text[]) as j(id, payload, key)
                     on conflict (tenant_id, kind, idempotency_key) where idempotency_key is not null do nothing",
                )
                .bind(tx.tenant())
                .bind(name)
                .bind(&job_ids)
                .bind(&bodies)
                .bind(&keys)
                .bind(max_attempts)
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query("select pg_notify('lyceum_jobs', '')").execute(&mut **tx).await?;
        }
        Ok(ids.into_iter().map(EventId).collect())
    }
}
