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
}
