//! Receipts and credit notes (issue 10, item 7). Every successful payment carries a gap-free
//! receipt number and every refund a credit note number, both taken by the [`crate::ledger`];
//! this module turns those ledger rows into documents: a PDF with the seller's legal details
//! (from `commerce_settings`, falling back to the school's name), the buyer's billing details
//! as they were on the order, the lines, discount, tax with its rate and whether prices
//! included it, the total, the card and, for subscriptions and plans, the period paid for. A
//! document is drawn from the ledger each time it is asked for, so it never disagrees with it.

mod credit_note;
pub mod list;
pub mod mail;
pub mod pdf;
pub mod settings;

pub use credit_note::credit_note;
pub use list::{Entry, for_order, for_user};

use crate::model::{PaymentId, SubscriptionId};
use chrono::{DateTime, Months, Utc};
use kernel::{
    db::TenantTx,
    format::{date, money},
    i18n::{self, Locale},
    ids::UserId,
    web::School,
};

/// A payment with everything its receipt prints.
#[derive(Clone, Debug, sqlx::FromRow)]
struct ReceiptRow {
    id: PaymentId,
    order_id: crate::model::OrderId,
    user_id: UserId,
    subscription_id: Option<SubscriptionId>,
    currency: String,
    amount: i64,
    tax: i64,
    receipt_number: String,
    occurred_at: DateTime<Utc>,
    email: String,
    name: String,
    country: Option<String>,
    billing_address: String,
    subtotal: i64,
    discount: i64,
    tax_rate_bp: i32,
    tax_inclusive: bool,
    brand: Option<String>,
    last4: Option<String>,
    /// Whether this is the order's first payment (the one the checkout's lines describe).
    first: bool,
    /// For a renewal: the end of the period it paid for.
    renewed_until: Option<DateTime<Utc>>,
}

const RECEIPT_SELECT: &str = "
    select p.id, p.order_id, o.user_id, p.subscription_id, p.currency, p.amount, p.tax, p.receipt_number,
           p.occurred_at, o.email, o.name, o.country, o.billing_address, o.subtotal, o.discount, o.tax_rate_bp,
           o.tax_inclusive, m.brand, m.last4,
           not exists (select 1 from payments e where e.tenant_id = p.tenant_id and e.order_id = p.order_id
                         and e.status = 'succeeded' and e.id < p.id) as first,
           (select (c.detail->>'period_end')::timestamptz from subscription_changes c
             where c.tenant_id = p.tenant_id and c.subscription_id = p.subscription_id and c.kind = 'renewed'
               and c.detail->>'payment_id' = p.id::text limit 1) as renewed_until
      from payments p
      join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
      left join payment_methods m on m.tenant_id = p.tenant_id and m.id = p.payment_method_id
     where p.tenant_id = $1 and p.id = $2 and p.status = 'succeeded' and p.receipt_number is not null";

/// One line of a document: what, and how much.
#[derive(Clone, Debug, sqlx::FromRow)]
struct ItemRow {
    kind: String,
    amount: i64,
    offer_name: String,
    product_name: String,
}

/// A document ready to be drawn or mailed.
#[derive(Clone, Debug)]
pub struct Document {
    /// The buyer, who alone may download it.
    pub user_id: UserId,
    /// The buyer's email on the order.
    pub email: String,
    /// The buyer's name on the order.
    pub name: String,
    /// `R-000001` or `CN-000001`.
    pub number: String,
    /// What was paid (receipt) or given back (credit note), formatted.
    pub amount: String,
    /// The document's date in the school's time zone, formatted.
    pub date: String,
    /// What it is about ("Watercolor · Pay in full").
    pub description: String,
    /// For a credit note: the receipt it credits.
    pub credits: Option<String>,
    /// The page.
    pub sheet: pdf::Sheet,
}

impl Document {
    /// The PDF.
    pub fn pdf(&self) -> anyhow::Result<Vec<u8>> {
        pdf::render(&self.sheet)
    }

    /// The file name a browser saves it as.
    pub fn filename(&self) -> String {
        format!("{}.pdf", self.number)
    }
}

fn t(locale: Locale, key: &str) -> String {
    i18n::t(locale, key)
}

/// A tax rate in basis points as a percentage: 2000 → "20", 775 → "7.75" (or "7,75").
pub fn percent(rate_bp: i32, locale: Locale) -> String {
    let whole = rate_bp / 100;
    let frac = rate_bp % 100;
    let text = if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    };
    if locale == Locale::Es { text.replace('.', ",") } else { text }
}

/// The seller block: legal name, address lines and tax id, with the school's name when the
/// school has not filled in its legal details.
async fn seller(tx: &mut TenantTx, school: &School, locale: Locale) -> sqlx::Result<Vec<String>> {
    let s = crate::store::settings(tx).await?;
    let mut lines =
        vec![if s.legal_name.trim().is_empty() { school.name.clone() } else { s.legal_name.trim().to_string() }];
    lines.extend(s.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    if !s.tax_id.trim().is_empty() {
        lines.push(format!("{} {}", t(locale, "receipts-pdf-tax-id"), s.tax_id.trim()));
    }
    Ok(lines)
}

fn buyer(name: &str, email: &str, address: &str, country: Option<&str>, locale: Locale) -> Vec<String> {
    let mut lines = Vec::new();
    if !name.trim().is_empty() {
        lines.push(name.trim().to_string());
    }
    lines.push(email.to_string());
    lines.extend(address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    if let Some(c) = country {
        lines.push(crate::countries::name(c, locale));
    }
    lines
}

async fn tax_label(tx: &mut TenantTx, country: Option<&str>, locale: Locale) -> sqlx::Result<String> {
    let label: Option<String> = match country {
        Some(c) => {
            sqlx::query_scalar("select label from tax_rates where tenant_id = $1 and country = $2")
                .bind(tx.tenant())
                .bind(c)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    Ok(label.unwrap_or_else(|| t(locale, "receipts-tax-default-label")))
}

fn accent(school: &School) -> (u8, u8, u8) {
    kernel::web::school::parse_hex(&school.brand_color).unwrap_or((79, 70, 229))
}

fn line_label(item: &ItemRow, locale: Locale) -> String {
    let base = if item.product_name == item.offer_name {
        item.product_name.clone()
    } else {
        format!("{} · {}", item.product_name, item.offer_name)
    };
    if item.kind == "bump" { format!("{base} ({})", t(locale, "receipts-pdf-add-on")) } else { base }
}

/// The receipt of `payment`, or `None` when the school has no such successful payment.
pub async fn receipt(
    tx: &mut TenantTx,
    school: &School,
    payment: PaymentId,
    locale: Locale,
) -> anyhow::Result<Option<Document>> {
    let row: Option<ReceiptRow> = sqlx::query_as(sqlx::AssertSqlSafe(RECEIPT_SELECT))
        .bind(tx.tenant())
        .bind(payment)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let cur = r.currency.as_str();
    let m = |v: i64| money(v, cur, locale);
    let zone = school.time_zone.as_str();

    // Lines: the checkout's for the first payment, the period's price for a renewal.
    let mut lines = Vec::new();
    let (subtotal, discount) = if r.first {
        let items: Vec<ItemRow> = sqlx::query_as(
            "select i.kind, i.amount, f.name as offer_name, p.name as product_name
               from order_items i
               join offers f on f.tenant_id = i.tenant_id and f.id = i.offer_id
               join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
              where i.tenant_id = $1 and i.order_id = $2 order by i.kind desc, p.name",
        )
        .bind(tx.tenant())
        .bind(r.order_id)
        .fetch_all(&mut **tx)
        .await?;
        for item in &items {
            lines.push((line_label(item, locale), m(item.amount)));
        }
        (r.subtotal, r.discount)
    } else {
        let item: Option<ItemRow> = sqlx::query_as(
            "select 'main' as kind, s.amount, f.name as offer_name, p.name as product_name
               from subscriptions s
               join offers f on f.tenant_id = s.tenant_id and f.id = s.offer_id
               join products p on p.tenant_id = f.tenant_id and p.id = f.product_id
              where s.tenant_id = $1 and s.id = $2",
        )
        .bind(tx.tenant())
        .bind(r.subscription_id)
        .fetch_optional(&mut **tx)
        .await?;
        let net = if r.tax_inclusive { r.amount } else { r.amount - r.tax };
        let price = item.as_ref().map_or(net, |i| i.amount.max(net));
        if let Some(item) = &item {
            lines.push((line_label(item, locale), m(price)));
        }
        (price, price - net)
    };
    let description = lines.first().map(|l| l.0.clone()).unwrap_or_default();

    let label = tax_label(tx, r.country.as_deref(), locale).await?;
    let rate = percent(r.tax_rate_bp, locale);
    let mut totals = vec![(t(locale, "receipts-pdf-subtotal"), m(subtotal), false)];
    if discount > 0 {
        totals.push((t(locale, "receipts-pdf-discount"), format!("-{}", m(discount)), false));
    }
    let mut notes = Vec::new();
    if r.tax > 0 || r.tax_rate_bp > 0 {
        let args = [("label", label.clone().into()), ("rate", rate.clone().into())];
        if r.tax_inclusive {
            totals.push((t(locale, "receipts-pdf-total"), m(r.amount), true));
            totals.push((i18n::t_args(locale, "receipts-pdf-tax-included", &args), m(r.tax), false));
            notes.push(i18n::t_args(locale, "receipts-pdf-prices-include", &args));
        } else {
            totals.push((i18n::t_args(locale, "receipts-pdf-tax-added", &args), m(r.tax), false));
            totals.push((t(locale, "receipts-pdf-total"), m(r.amount), true));
            notes.push(i18n::t_args(locale, "receipts-pdf-prices-exclude", &args));
        }
    } else {
        totals.push((t(locale, "receipts-pdf-total"), m(r.amount), true));
    }

    let day = date(r.occurred_at, zone, locale);
    let mut meta = vec![(t(locale, "receipts-pdf-date"), day.clone())];
    let paid_with = match (&r.brand, &r.last4) {
        (Some(brand), Some(last4)) => i18n::t_args(
            locale,
            "receipts-pdf-card",
            &[("brand", brand_name(brand).into()), ("last4", last4.clone().into())],
        ),
        _ => t(locale, "receipts-pdf-paid"),
    };
    meta.push((t(locale, "receipts-pdf-payment"), paid_with));
    if let Some(sub) = r.subscription_id
        && let Some((from, to, index, of)) = period(tx, sub, &r).await?
    {
        meta.push((
            t(locale, "receipts-pdf-period"),
            format!("{} – {}", date(from, zone, locale), date(to, zone, locale)),
        ));
        if let Some(of) = of {
            let args = [("n", i64::from(index).into()), ("of", i64::from(of).into())];
            meta.push((t(locale, "receipts-pdf-installment"), i18n::t_args(locale, "receipts-pdf-n-of", &args)));
        }
    }
    notes.push(i18n::t_args(locale, "receipts-pdf-thanks", &[("school", school.name.clone().into())]));

    let sheet = pdf::Sheet {
        title: t(locale, "receipts-pdf-receipt"),
        number: r.receipt_number.clone(),
        school_name: school.name.clone(),
        meta,
        seller_heading: t(locale, "receipts-pdf-from"),
        seller: seller(tx, school, locale).await?,
        buyer_heading: t(locale, "receipts-pdf-billed-to"),
        buyer: buyer(&r.name, &r.email, &r.billing_address, r.country.as_deref(), locale),
        columns: (t(locale, "receipts-pdf-description"), t(locale, "receipts-pdf-amount")),
        lines,
        totals,
        notes,
        footer: school.base_url.clone(),
        accent: accent(school),
        language: locale.code().to_string(),
    };
    Ok(Some(Document {
        user_id: r.user_id,
        email: r.email,
        name: r.name,
        number: r.receipt_number,
        amount: m(r.amount),
        date: day,
        description,
        credits: None,
        sheet,
    }))
}

/// The period a subscription payment paid for, its number and, for a plan, how many there are.
async fn period(
    tx: &mut TenantTx,
    sub: SubscriptionId,
    r: &ReceiptRow,
) -> sqlx::Result<Option<(DateTime<Utc>, DateTime<Utc>, i32, Option<i32>)>> {
    let offer: Option<(Option<String>, i32, Option<i32>)> = sqlx::query_as(
        "select f.interval, f.trial_days, f.installments from subscriptions s
           join offers f on f.tenant_id = s.tenant_id and f.id = s.offer_id
          where s.tenant_id = $1 and s.id = $2",
    )
    .bind(tx.tenant())
    .bind(sub)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((interval, trial_days, installments)) = offer else { return Ok(None) };
    let months = Months::new(if interval.as_deref() == Some("year") { 12 } else { 1 });
    let (from, to) = match r.renewed_until {
        Some(end) => (end.checked_sub_months(months).unwrap_or(end), end),
        None if trial_days > 0 => (r.occurred_at, r.occurred_at + chrono::Duration::days(i64::from(trial_days))),
        None => (r.occurred_at, r.occurred_at.checked_add_months(months).unwrap_or(r.occurred_at)),
    };
    let index: i64 = sqlx::query_scalar(
        "select count(*) from payments where tenant_id = $1 and subscription_id = $2 and status = 'succeeded' and id <= $3",
    )
    .bind(tx.tenant())
    .bind(sub)
    .bind(r.id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some((from, to, i32::try_from(index).unwrap_or(1), installments)))
}

fn brand_name(brand: &str) -> String {
    match brand {
        "visa" => "Visa".into(),
        "mastercard" => "Mastercard".into(),
        "amex" => "American Express".into(),
        "discover" => "Discover".into(),
        "card" | "" => "Card".into(),
        other => {
            let mut c = other.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_print_as_percentages() {
        assert_eq!(percent(2000, Locale::En), "20");
        assert_eq!(percent(2050, Locale::En), "20.5");
        assert_eq!(percent(775, Locale::En), "7.75");
        assert_eq!(percent(775, Locale::Es), "7,75");
        assert_eq!(percent(5, Locale::En), "0.05");
        assert_eq!(brand_name("visa"), "Visa");
        assert_eq!(brand_name("jcb"), "Jcb");
    }
}
