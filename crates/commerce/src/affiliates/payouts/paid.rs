//! Marking payouts paid. In one transaction per call: the payout takes the next gap-free
//! statement number (`AS-000001`), its ledger rows become `paid`, `payout.paid` is published
//! and the affiliate's email is queued with the link to their statement (`kernel::mail`
//! carries no attachments). The payout row is locked first, so marking a paid payout or batch
//! again, or twice at once, changes nothing.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, format::money, i18n, ids::UserId, mail, web::School};
use minijinja::context;
use serde_json::json;

use crate::affiliates::model::{AffiliateId, PayoutBatchId, PayoutId};

/// How a payout was settled, when not as it was planned.
#[derive(Clone, Copy, Debug)]
pub struct Settled<'a> {
    /// `paypal`, `bank` or `stripe`.
    pub method: &'a str,
    /// The transfer's id at the payment service.
    pub transfer_ref: Option<&'a str>,
}

#[derive(sqlx::FromRow)]
struct Locked {
    batch_id: PayoutBatchId,
    affiliate_id: AffiliateId,
    currency: String,
    amount: i64,
    method: String,
    status: String,
}

/// Marks one payout paid; `Ok(None)` when it was paid already, else its statement number.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn mark_paid(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    id: PayoutId,
    how: Option<Settled<'_>>,
    actor: Option<UserId>,
) -> anyhow::Result<Option<String>> {
    let now = state.clock.now();
    let row: Option<Locked> = sqlx::query_as(
        "select batch_id, affiliate_id, currency::text as currency, amount, method, status
           from affiliate_payouts where tenant_id = $1 and id = $2 for update",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(p) = row else { return Ok(None) };
    if p.status == "paid" {
        return Ok(None);
    }
    let method = how.map_or(p.method.as_str(), |h| h.method).to_string();
    let number = crate::ledger::next_number(tx, "affiliate_statement").await?;
    sqlx::query(
        "update affiliate_payouts set status = 'paid', number = $3, paid_at = $4, method = $5,
                transfer_ref = coalesce($6, transfer_ref)
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&number)
    .bind(now)
    .bind(&method)
    .bind(how.and_then(|h| h.transfer_ref))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "update affiliate_commissions set status = 'paid' where tenant_id = $1 and payout_id = $2 and status = 'pending'",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let payload = json!({
        "payout_id": id, "batch_id": p.batch_id, "affiliate_id": p.affiliate_id,
        "currency": p.currency, "amount": p.amount, "method": method,
    });
    state.events.publish(tx, "payout.paid", payload).await?;
    email(state, tx, school, id, &p, &number, now).await?;
    close_batch(tx, p.batch_id, actor, now).await?;
    Ok(Some(number))
}

/// Marks the batch paid once none of its payouts is open.
async fn close_batch(
    tx: &mut TenantTx,
    batch: PayoutBatchId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update affiliate_payout_batches b set status = 'paid', paid_at = $3, paid_by = $4
          where b.tenant_id = $1 and b.id = $2 and b.status = 'open'
            and not exists (select 1 from affiliate_payouts p
                             where p.tenant_id = b.tenant_id and p.batch_id = b.id and p.status = 'open')",
    )
    .bind(tx.tenant())
    .bind(batch)
    .bind(now)
    .bind(actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks every open payout of `batch` paid; returns how many were. The batch row is locked
/// first so two submits run one after the other.
pub async fn mark_batch_paid(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    batch: PayoutBatchId,
    actor: Option<UserId>,
) -> anyhow::Result<usize> {
    sqlx::query("select 1 from affiliate_payout_batches where tenant_id = $1 and id = $2 for update")
        .bind(tx.tenant())
        .bind(batch)
        .fetch_optional(&mut **tx)
        .await?;
    let open: Vec<PayoutId> = sqlx::query_scalar(
        "select id from affiliate_payouts where tenant_id = $1 and batch_id = $2 and status = 'open' order by id",
    )
    .bind(tx.tenant())
    .bind(batch)
    .fetch_all(&mut **tx)
    .await?;
    let mut n = 0;
    for id in open {
        if mark_paid(state, tx, school, id, None, actor).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Queues the affiliate's email: the amount, the statement number and its link.
async fn email(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    payout: PayoutId,
    p: &Locked,
    number: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(a) = crate::affiliates::store::affiliate(tx, p.affiliate_id).await? else { return Ok(()) };
    let Some(user) = identity::store::find(tx, a.user_id).await? else { return Ok(()) };
    if user.deleted_at.is_some() {
        return Ok(());
    }
    let locale = user.locale.as_deref().and_then(i18n::Locale::parse).unwrap_or(school.default_locale);
    let amount = money(p.amount, &p.currency, locale);
    let subject = i18n::t_args(
        locale,
        "affiliates-payouts-mail-subject",
        &[("amount", amount.clone().into()), ("school", school.name.clone().into())],
    );
    let url = format!("{}/affiliates/payouts/{payout}/statement.pdf", school.base_url);
    let date = kernel::format::date(now, &school.time_zone, locale);
    let m = mail::compose(
        state,
        school,
        locale,
        (&user.email, &user.name),
        "commerce/affiliates/mail/payout_paid",
        subject,
        context! { name => user.name.clone(), amount, number, date, url },
    )?;
    mail::queue(tx, &m).await?;
    Ok(())
}
