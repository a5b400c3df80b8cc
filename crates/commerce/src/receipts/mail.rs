//! The receipt email (from `payment.succeeded`) and the credit note email (from
//! `order.refunded`). Each is sent once per payment or refund: the job records the document in
//! `receipt_mails` in the same transaction that queues the message, so a job that runs again
//! (a retry, a replayed event) finds the row and sends nothing. `kernel::mail` carries no
//! attachments, so the message links to the PDF on the student's account.

use kernel::{AppState, events::Event, i18n, mail, state::Wiring};
use minijinja::context;

use crate::model::{PaymentId, RefundId};

/// Subscribes the two emails.
pub fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "payment.succeeded", "commerce.receipt_email", on_payment);
    w.events.subscribe(&mut w.jobs, "order.refunded", "commerce.credit_note_email", on_refund);
}

/// Claims the right to mail document `id`; false when it was mailed already.
async fn claim(tx: &mut kernel::db::TenantTx, id: uuid::Uuid, kind: &str, mail_id: uuid::Uuid) -> sqlx::Result<bool> {
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into receipt_mails (tenant_id, id, kind, mail_id) values ($1, $2, $3, $4)
         on conflict (tenant_id, id) do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(kind)
    .bind(mail_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(fresh.is_some())
}

async fn on_payment(state: AppState, event: Event) -> anyhow::Result<()> {
    let payment: PaymentId = serde_json::from_value(event.payload["payment_id"].clone())?;
    send(&state, &event, payment.0, "receipt").await
}

async fn on_refund(state: AppState, event: Event) -> anyhow::Result<()> {
    let refund: RefundId = serde_json::from_value(event.payload["refund_id"].clone())?;
    send(&state, &event, refund.0, "credit_note").await
}

async fn send(state: &AppState, event: &Event, id: uuid::Uuid, kind: &str) -> anyhow::Result<()> {
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from receipt_mails where tenant_id = $1 and id = $2)")
            .bind(tx.tenant())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if exists {
        return Ok(());
    }
    // The buyer's language, from their account when it still exists.
    let user_id = serde_json::from_value(event.payload["user_id"].clone())?;
    let user = identity::store::find(&mut tx, user_id).await?;
    let locale = match &user {
        Some(u) => identity::service::user_locale(u, &school),
        None => school.default_locale,
    };
    let doc = match kind {
        "receipt" => super::receipt(&mut tx, &school, PaymentId(id), locale).await?,
        _ => super::credit_note(&mut tx, &school, RefundId(id), locale).await?,
    };
    let Some(doc) = doc else { return Ok(()) };
    let (to_email, to_name) = match &user {
        Some(u) if u.deleted_at.is_none() => (u.email.clone(), u.name.clone()),
        _ => (doc.email.clone(), doc.name.clone()),
    };
    let path = if kind == "receipt" { "receipts" } else { "credit-notes" };
    let url = format!("{}/account/{path}/{id}", school.base_url);
    let list_url = format!("{}/account/receipts", school.base_url);
    let args = [("number", doc.number.clone().into()), ("school", school.name.clone().into())];
    let subject = i18n::t_args(locale, &format!("receipts-mail-{kind}-subject"), &args);
    let m = mail::compose(
        state,
        &school,
        locale,
        (&to_email, &to_name),
        &format!("commerce/mail/{kind}"),
        subject,
        context! {
            name => to_name.clone(), number => doc.number.clone(), amount => doc.amount.clone(),
            date => doc.date.clone(), description => doc.description.clone(), credits => doc.credits.clone(),
            url, list_url,
        },
    )?;
    let mail_id = mail::queue(&mut tx, &m).await?;
    if !claim(&mut tx, id, kind, mail_id).await? {
        // Another worker mailed it in the meantime: ours goes with the transaction, unsent.
        drop(tx);
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}
