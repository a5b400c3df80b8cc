//! Refused items leave the library on their own: an item whose only file was refused stays
//! [`REFUSED_KEPT_DAYS`] days (so the creator can read why), counting nothing toward storage,
//! then this job removes it and anything it still keeps in storage.

use chrono::{Duration, Utc};
use kernel::{
    AppState,
    db::TenantTx,
    jobs::{self, Job, NewJob},
};
use serde_json::json;

use crate::{
    model::{MediaId, REFUSED_KEPT_DAYS},
    service, store,
};

/// Job: removes a refused item once its days are up.
pub const SWEEP_JOB: &str = "media.sweep_refused";

/// Plans the removal of an item just refused, in the transaction that refuses it.
pub async fn schedule(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<()> {
    let at = Utc::now() + Duration::days(REFUSED_KEPT_DAYS);
    jobs::enqueue(tx, NewJob::new(SWEEP_JOB, json!({ "media": media })).at(at).key(media.to_string())).await?;
    Ok(())
}

pub(crate) async fn sweep_refused(state: AppState, job: Job) -> anyhow::Result<()> {
    let id: MediaId = serde_json::from_value(job.payload["media"].clone())?;
    let due = {
        let mut tx = state.db.tenant(job.tenant).await?;
        let Some(item) = store::find(&mut tx, id).await? else { return Ok(()) };
        // A later file may have been accepted: then the item stays.
        let Some(refused_at) = item.refused_at.filter(|_| item.status == "failed") else { return Ok(()) };
        let due = refused_at + Duration::days(REFUSED_KEPT_DAYS);
        if due > Utc::now() {
            let again = NewJob::new(SWEEP_JOB, json!({ "media": id })).at(due);
            jobs::enqueue(&mut tx, again).await?;
            tx.commit().await?;
            return Ok(());
        }
        due
    };
    service::delete_media(&state, job.tenant, id).await?;
    tracing::info!(media = %id, %due, "refused item removed");
    Ok(())
}
