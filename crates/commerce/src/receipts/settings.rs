//! The school's billing settings: the seller's legal details printed on receipts, whether
//! prices include tax, what a refund does to access, the grace days of a failed renewal, and
//! the tax rate per buyer country. Forms are parsed here into values that cannot be invalid.

use kernel::{
    db::TenantTx,
    i18n::{self, Locale},
    web::FieldErrors,
};
use serde::{Deserialize, Serialize};

use crate::countries;

/// The billing form as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct BillingForm {
    /// Seller's legal name.
    #[serde(default)]
    pub legal_name: String,
    /// Seller's postal address, several lines.
    #[serde(default)]
    pub address: String,
    /// VAT number, EIN, CIF …
    #[serde(default)]
    pub tax_id: String,
    /// `on` when prices include tax (empty or absent when tax is added).
    #[serde(default)]
    pub prices_include_tax: Option<String>,
    /// `revoke` or `keep`.
    #[serde(default)]
    pub refund_access: String,
    /// Whole days, 0 to 60.
    #[serde(default)]
    pub grace_days: String,
}

impl BillingForm {
    /// The form filled with what is saved.
    pub fn from_settings(s: &crate::store::Settings) -> Self {
        Self {
            legal_name: s.legal_name.clone(),
            address: s.address.clone(),
            tax_id: s.tax_id.clone(),
            prices_include_tax: s.prices_include_tax.then(|| "on".into()),
            refund_access: s.refund_access.clone(),
            grace_days: s.grace_days.to_string(),
        }
    }
}

/// Valid billing settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Billing {
    /// Seller's legal name (empty: the school's name is printed).
    pub legal_name: String,
    /// Seller's address, trimmed lines.
    pub address: String,
    /// Seller's tax id.
    pub tax_id: String,
    /// Whether prices include tax.
    pub prices_include_tax: bool,
    /// `revoke` or `keep`.
    pub refund_access: String,
    /// Days a failed renewal keeps access.
    pub grace_days: i32,
}

impl Billing {
    /// Checks every field; the errors are in `locale`.
    pub fn parse(f: &BillingForm, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let legal_name = f.legal_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if legal_name.chars().count() > 200 {
            errors.add("legal_name", i18n::t(locale, "receipts-err-legal-name"));
        }
        let address = f.address.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        if address.chars().count() > 500 || address.lines().count() > 8 {
            errors.add("address", i18n::t(locale, "receipts-err-address"));
        }
        let tax_id = f.tax_id.trim().to_string();
        if tax_id.chars().count() > 60 {
            errors.add("tax_id", i18n::t(locale, "receipts-err-tax-id"));
        }
        if !matches!(f.refund_access.as_str(), "revoke" | "keep") {
            errors.add("refund_access", i18n::t(locale, "receipts-err-refund-access"));
        }
        let grace_days = match f.grace_days.trim().parse::<i32>() {
            Ok(d) if (0..=60).contains(&d) => d,
            _ => {
                errors.add("grace_days", i18n::t(locale, "receipts-err-grace-days"));
                0
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            legal_name,
            address,
            tax_id,
            prices_include_tax: matches!(f.prices_include_tax.as_deref(), Some("on" | "1" | "true")),
            refund_access: f.refund_access.clone(),
            grace_days,
        })
    }
}

/// Saves the billing settings (the provider settings are left as they are).
pub async fn save(tx: &mut TenantTx, b: &Billing) -> sqlx::Result<()> {
    sqlx::query(
        "insert into commerce_settings (tenant_id, legal_name, address, tax_id, prices_include_tax, refund_access, grace_days)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (tenant_id) do update set legal_name = excluded.legal_name, address = excluded.address,
           tax_id = excluded.tax_id, prices_include_tax = excluded.prices_include_tax,
           refund_access = excluded.refund_access, grace_days = excluded.grace_days",
    )
    .bind(tx.tenant())
    .bind(&b.legal_name)
    .bind(&b.address)
    .bind(&b.tax_id)
    .bind(b.prices_include_tax)
    .bind(&b.refund_access)
    .bind(b.grace_days)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A tax rate row as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RateForm {
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    pub country: String,
    /// A percentage, up to two decimals ("20", "7.5", "7,75").
    #[serde(default)]
    pub rate: String,
    /// "VAT", "GST", "IVA" …
    #[serde(default)]
    pub label: String,
}

/// A valid tax rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TaxRate {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// Basis points (2000 = 20%).
    pub rate_bp: i32,
    /// Printed beside the tax.
    pub label: String,
}

/// A percentage with up to two decimals, 0 to 100, as basis points: "20" → 2000,
/// "7,75" → 775. `None` for anything else.
pub fn parse_percent(input: &str) -> Option<i32> {
    let s = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if whole.len() > 3 {
        return None;
    }
    let whole: i32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i32 = format!("{frac:0<2}").parse().ok()?;
    let bp = whole * 100 + frac;
    (bp <= 10_000).then_some(bp)
}

impl TaxRate {
    /// Checks a row; the errors are in `locale`.
    pub fn parse(f: &RateForm, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let country = f.country.trim().to_uppercase();
        if !countries::is_known(&country) {
            errors.add("country", i18n::t(locale, "receipts-err-country"));
        }
        let rate_bp = parse_percent(&f.rate).unwrap_or_else(|| {
            errors.add("rate", i18n::t(locale, "receipts-err-rate"));
            0
        });
        let label = f.label.split_whitespace().collect::<Vec<_>>().join(" ");
        let label = if label.is_empty() { i18n::t(locale, "receipts-tax-default-label") } else { label };
        if label.chars().count() > 40 {
            errors.add("label", i18n::t(locale, "receipts-err-label"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self { country, rate_bp, label })
    }
}

/// The school's tax rates, by country.
pub async fn rates(tx: &mut TenantTx) -> sqlx::Result<Vec<TaxRate>> {
    sqlx::query_as(
        "select country::text as country, rate_bp, label from tax_rates where tenant_id = $1 order by country",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Adds a country's rate, or changes it when the country has one.
pub async fn upsert_rate(tx: &mut TenantTx, r: &TaxRate) -> sqlx::Result<()> {
    sqlx::query(
        "insert into tax_rates (tenant_id, country, rate_bp, label) values ($1, $2, $3, $4)
         on conflict (tenant_id, country) do update set rate_bp = excluded.rate_bp, label = excluded.label",
    )
    .bind(tx.tenant())
    .bind(&r.country)
    .bind(r.rate_bp)
    .bind(&r.label)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a country's rate; false when it had none.
pub async fn delete_rate(tx: &mut TenantTx, country: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("delete from tax_rates where tenant_id = $1 and country = $2")
        .bind(tx.tenant())
        .bind(country)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(parse_percent("20"), Some(2000));
        assert_eq!(parse_percent("7.5"), Some(750));
        assert_eq!(parse_percent("7,75"), Some(775));
        assert_eq!(parse_percent(" 21 % "), Some(2100));
        assert_eq!(parse_percent("0"), Some(0));
        assert_eq!(parse_percent("100"), Some(10_000));
        assert_eq!(parse_percent("100.01"), None);
        assert_eq!(parse_percent("7.125"), None);
        assert_eq!(parse_percent("-5"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_percent("1e3"), None);
    }

    #[test]
    fn a_rate_needs_a_real_country_and_a_sane_rate() {
        let ok =
            TaxRate::parse(&RateForm { country: "de".into(), rate: "19".into(), label: " VAT ".into() }, Locale::En)
                .ok();
        assert_eq!(ok, Some(TaxRate { country: "DE".into(), rate_bp: 1900, label: "VAT".into() }));
        let bad =
            TaxRate::parse(&RateForm { country: "XX".into(), rate: "120".into(), label: String::new() }, Locale::En)
                .unwrap_err();
        assert!(bad.has("country") && bad.has("rate"));
    }
}
