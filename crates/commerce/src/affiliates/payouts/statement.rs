//! A paid payout's statement: the school (legal name and address), the affiliate, the number
//! and date, every commission it settles (date, order, offer, kind, basis, amount), the
//! clawbacks netted against it, and the total. Drawn from the ledger each time it is asked for.

use chrono::{DateTime, Utc};
use kernel::{
    db::TenantTx,
    format::{date, money},
    i18n::{self, Locale},
    web::School,
};

use super::{Payout, payout, statement_pdf::Sheet};
use crate::affiliates::model::PayoutId;

#[derive(sqlx::FromRow)]
struct LineRow {
    occurred_at: DateTime<Utc>,
    order_id: uuid::Uuid,
    kind: String,
    level: i32,
    basis: i64,
    amount: i64,
    rate_label: String,
    offer: String,
}

/// A statement ready to draw.
#[derive(Clone, Debug)]
pub struct Statement {
    /// The payout it is for.
    pub payout: Payout,
    /// The page.
    pub sheet: Sheet,
}

impl Statement {
    /// The PDF.
    pub fn pdf(&self) -> anyhow::Result<Vec<u8>> {
        super::statement_pdf::render(&self.sheet)
    }

    /// The file name a browser saves it as.
    pub fn filename(&self) -> String {
        format!("{}.pdf", self.sheet.number)
    }
}

/// An order as the statement shows it: short, without the buyer.
pub fn order_ref(order: uuid::Uuid) -> String {
    let hex = order.simple().to_string();
    format!("#{}", hex[hex.len() - 8..].to_uppercase())
}

/// The statement of `id`, or `None` when the school has no such paid payout.
pub async fn statement(
    tx: &mut TenantTx,
    school: &School,
    id: PayoutId,
    locale: Locale,
) -> anyhow::Result<Option<Statement>> {
    let Some(p) = payout(tx, id).await? else { return Ok(None) };
    let (Some(number), Some(paid_at)) = (p.number.clone(), p.paid_at) else { return Ok(None) };
    let rows: Vec<LineRow> = sqlx::query_as(
        "select c.occurred_at, c.order_id, c.kind, c.level, c.basis, c.amount, c.rate_label, f.name as offer
           from affiliate_commissions c
           join orders o on o.tenant_id = c.tenant_id and o.id = c.order_id
           join offers f on f.tenant_id = o.tenant_id and f.id = o.offer_id
          where c.tenant_id = $1 and c.payout_id = $2 and c.status <> 'cancelled'
          order by c.occurred_at, c.id",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let t = |key: &str| i18n::t(locale, key);
    let zone = school.time_zone.as_str();
    let cur = p.currency.as_str();
    let m = |v: i64| money(v, cur, locale);
    let line = |r: &LineRow| {
        let mut kind = t(&format!("affiliates-payouts-kind-{}", r.kind));
        if r.level == 2 {
            kind = format!("{kind} · {}", t("affiliates-payouts-level-two"));
        }
        if !r.rate_label.is_empty() {
            kind = format!("{kind} ({})", crate::affiliates::commissions::rate_text(&r.rate_label, locale));
        }
        [date(r.occurred_at, zone, locale), order_ref(r.order_id), r.offer.clone(), kind, m(r.basis), m(r.amount)]
    };
    let earned: Vec<_> = rows.iter().filter(|r| r.amount >= 0).map(line).collect();
    let clawbacks: Vec<_> = rows.iter().filter(|r| r.amount < 0).map(line).collect();
    let earned_sum: i64 = rows.iter().filter(|r| r.amount >= 0).map(|r| r.amount).sum();
    let clawed_sum: i64 = rows.iter().filter(|r| r.amount < 0).map(|r| r.amount).sum();
    let mut totals = vec![(t("affiliates-payouts-pdf-earned"), m(earned_sum), false)];
    if clawed_sum != 0 {
        totals.push((t("affiliates-payouts-pdf-clawed"), m(clawed_sum), false));
    }
    totals.push((t("affiliates-payouts-pdf-total"), m(p.amount), true));

    let s = crate::store::settings(tx).await?;
    let mut seller =
        vec![if s.legal_name.trim().is_empty() { school.name.clone() } else { s.legal_name.trim().to_string() }];
    seller.extend(s.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    let method = t(&format!("affiliates-payouts-method-{}", p.method));
    let mut meta = vec![
        (t("affiliates-payouts-pdf-date"), date(paid_at, zone, locale)),
        (t("affiliates-payouts-pdf-method"), method),
    ];
    if let Some(r) = &p.transfer_ref {
        meta.push((t("affiliates-payouts-pdf-transfer"), r.clone()));
    }
    let sheet = Sheet {
        title: t("affiliates-payouts-pdf-title"),
        number,
        school_name: school.name.clone(),
        meta,
        seller_heading: t("affiliates-payouts-pdf-from"),
        seller,
        payee_heading: t("affiliates-payouts-pdf-to"),
        payee: vec![p.name.clone(), p.email.clone(), format!("{} {}", t("affiliates-payouts-pdf-code"), p.code)],
        columns: [
            t("affiliates-payouts-pdf-col-date"),
            t("affiliates-payouts-pdf-col-order"),
            t("affiliates-payouts-pdf-col-offer"),
            t("affiliates-payouts-pdf-col-kind"),
            t("affiliates-payouts-pdf-col-basis"),
            t("affiliates-payouts-pdf-col-amount"),
        ],
        earned_heading: t("affiliates-payouts-pdf-earned-heading"),
        earned,
        clawbacks_heading: t("affiliates-payouts-pdf-clawbacks-heading"),
        clawbacks,
        totals,
        footer: school.base_url.clone(),
        accent: kernel::web::school::parse_hex(&school.brand_color).unwrap_or((79, 70, 229)),
        language: locale.code().to_string(),
    };
    Ok(Some(Statement { payout: p, sheet }))
}
