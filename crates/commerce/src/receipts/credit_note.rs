//! A credit note: what a refund (or a chargeback) gave back of which receipt, with the
//! refunded share of its tax, drawn like the receipt it credits.

use chrono::{DateTime, Utc};
use kernel::{
    db::TenantTx,
    format::{date, money},
    i18n::{self, Locale},
    web::School,
};

use super::{Document, RECEIPT_SELECT, ReceiptRow, pdf, percent, receipt, t, tax_label};
use crate::model::{PaymentId, RefundId};

/// A refund with the payment it gives back.
#[derive(Clone, Debug, sqlx::FromRow)]
struct CreditRow {
    payment_id: PaymentId,
    kind: String,
    amount: i64,
    reason: String,
    credit_note_number: String,
    occurred_at: DateTime<Utc>,
}

/// The credit note of `refund`, or `None` when the school has no such refund.
pub async fn credit_note(
    tx: &mut TenantTx,
    school: &School,
    refund: RefundId,
    locale: Locale,
) -> anyhow::Result<Option<Document>> {
    let row: Option<CreditRow> = sqlx::query_as(
        "select payment_id, kind, amount, reason, credit_note_number, occurred_at from refunds
          where tenant_id = $1 and id = $2 and credit_note_number is not null",
    )
    .bind(tx.tenant())
    .bind(refund)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(c) = row else { return Ok(None) };
    let Some(receipt) = receipt(tx, school, c.payment_id, locale).await? else { return Ok(None) };
    let r: ReceiptRow = sqlx::query_as(sqlx::AssertSqlSafe(RECEIPT_SELECT))
        .bind(tx.tenant())
        .bind(c.payment_id)
        .fetch_one(&mut **tx)
        .await?;
    let m = |v: i64| money(v, &r.currency, locale);
    let zone = school.time_zone.as_str();
    // The tax given back is the refunded share of the payment's tax.
    let tax = if r.amount > 0 { (i128::from(c.amount) * i128::from(r.tax) / i128::from(r.amount)) as i64 } else { 0 };
    let what = i18n::t_args(
        locale,
        if c.kind == "dispute" { "receipts-pdf-chargeback-of" } else { "receipts-pdf-refund-of" },
        &[("number", receipt.number.clone().into()), ("what", receipt.description.clone().into())],
    );
    let mut totals = vec![];
    let mut notes = vec![];
    if tax > 0 {
        let label = tax_label(tx, r.country.as_deref(), locale).await?;
        let args = [("label", label.into()), ("rate", percent(r.tax_rate_bp, locale).into())];
        totals.push((i18n::t_args(locale, "receipts-pdf-tax-included", &args), format!("-{}", m(tax)), false));
    }
    totals.push((t(locale, "receipts-pdf-total-credited"), format!("-{}", m(c.amount)), true));
    if !c.reason.trim().is_empty() {
        notes.push(i18n::t_args(locale, "receipts-pdf-reason", &[("reason", c.reason.trim().to_string().into())]));
    }
    notes.push(i18n::t_args(locale, "receipts-pdf-credit-note-explain", &[("number", receipt.number.clone().into())]));
    let day = date(c.occurred_at, zone, locale);
    let sheet = pdf::Sheet {
        title: t(locale, "receipts-pdf-credit-note"),
        number: c.credit_note_number.clone(),
        meta: vec![
            (t(locale, "receipts-pdf-date"), day.clone()),
            (t(locale, "receipts-pdf-credits"), format!("{} ({})", receipt.number, receipt.date)),
        ],
        lines: vec![(what, format!("-{}", m(c.amount)))],
        totals,
        notes,
        ..receipt.sheet
    };
    Ok(Some(Document {
        user_id: r.user_id,
        email: r.email,
        name: r.name,
        number: c.credit_note_number,
        amount: m(c.amount),
        date: day,
        description: receipt.description,
        credits: Some(receipt.number),
        sheet,
    }))
}
