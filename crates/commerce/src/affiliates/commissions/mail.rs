//! The email an affiliate gets for each new commission ("You earned $30.00 from a sale of
//! Painting, payable from Jan 30, 2027"). Sent once per commission: the job locks the ledger
//! row and records the queued message in its `mail_id` in the same transaction, so a retry or
//! a replayed event finds it and sends nothing.

use chrono::{DateTime, Utc};
use kernel::{AppState, events::Event, format, i18n, mail, state::Wiring};
use minijinja::context;

use crate::{
    OrderId,
    affiliates::{AffiliateId, CommissionId, store as affiliates_store},
    store,
};

/// Subscribes the email to `commission.created`.
pub(super) fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "commission.created", "affiliates.commission_email", on_created);
}

type Row = (AffiliateId, OrderId, i32, String, i64, String, DateTime<Utc>, Option<uuid::Uuid>);

async fn on_created(state: AppState, event: Event) -> anyhow::Result<()> {
    let id: CommissionId = serde_json::from_value(event.payload["commission_id"].clone())?;
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let row: Option<Row> = sqlx::query_as(
        "select affiliate_id, order_id, level, kind, amount, currency::text, payable_at, mail_id
         from affiliate_commissions where tenant_id = $1 and id = $2 and status = 'pending' for update",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((affiliate, order, level, kind, amount, currency, payable_at, None)) = row else { return Ok(()) };
    if amount <= 0 {
        return Ok(());
    }
    let Some(affiliate) = affiliates_store::affiliate(&mut tx, affiliate).await? else { return Ok(()) };
    let Some(user) = identity::store::find(&mut tx, affiliate.user_id).await?.filter(|u| u.deleted_at.is_none()) else {
        return Ok(());
    };
    let Some(order) = store::order(&mut tx, order).await? else { return Ok(()) };
    let offer = store::offer(&mut tx, order.offer_id).await?.map(|o| o.name).unwrap_or_default();
    let locale = identity::service::user_locale(&user, &school);
    let money = format::money(amount, &currency, locale);
    let payable = format::date(payable_at, &school.time_zone, locale);
    let subject = i18n::t_args(
        locale,
        "affiliates-commissions-mail-subject",
        &[("amount", money.clone().into()), ("school", school.name.clone().into())],
    );
    let url = format!("{}/affiliates/dashboard", school.base_url);
    let m = mail::compose(
        &state,
        &school,
        locale,
        (&user.email, &user.name),
        "commerce/affiliates/mail/commission",
        subject,
        context! {
            name => user.name.clone(), amount => money, offer, payable, url,
            recurring => kind == "recurring", second_level => level == 2,
        },
    )?;
    let mail_id = mail::queue(&mut tx, &m).await?;
    sqlx::query("update affiliate_commissions set mail_id = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(mail_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
