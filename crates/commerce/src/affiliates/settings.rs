//! The school's affiliate program settings and commission rules, with the defaults a school
//! that never saved them has.

use std::collections::BTreeMap;

use kernel::db::TenantTx;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::model::RuleId;
use crate::model::OfferId;

/// The program's settings.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Settings {
    /// Whether links are tracked and commissions earned.
    pub enabled: bool,
    /// `open` or `approval`.
    pub signup: String,
    /// The terms an applicant accepts.
    pub terms: String,
    /// How long a referral cookie lasts.
    pub cookie_days: i32,
    /// `first_click` or `last_click`.
    pub attribution: String,
    /// Days a commission is held before it is payable.
    pub holding_days: i32,
    /// The smallest payout per currency (minor units).
    #[sqlx(json)]
    pub min_payout: BTreeMap<String, i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            enabled: false,
            signup: "approval".into(),
            terms: String::new(),
            cookie_days: 30,
            attribution: "last_click".into(),
            holding_days: 30,
            min_payout: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The smallest payout in `currency` (0: none).
    pub fn min_payout_in(&self, currency: &str) -> i64 {
        self.min_payout.get(currency).copied().unwrap_or(0)
    }
}

/// The school's settings, or the defaults.
pub async fn load(tx: &mut TenantTx) -> sqlx::Result<Settings> {
    let row: Option<Settings> = sqlx::query_as(
        "select enabled, signup, terms, cookie_days, attribution, holding_days, min_payout from affiliate_settings",
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.unwrap_or_default())
}

/// A commission rule: the default (no offer) or an offer's own.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Rule {
    /// Its id (`None` for the built-in default a school never saved).
    pub id: Option<RuleId>,
    /// The offer it is for; `None` for the school's default.
    pub offer_id: Option<OfferId>,
    /// `percent` or `fixed`.
    pub kind: String,
    /// For `percent`: basis points of the sale net of tax.
    pub percent_bp: i32,
    /// For `fixed`: minor units per currency.
    #[sqlx(json)]
    pub amounts: BTreeMap<String, i64>,
    /// `first`, `months` or `forever`.
    pub recurring: String,
    /// For `months`.
    pub recurring_months: Option<i32>,
    /// Sales in a calendar month after which the tier rate applies.
    pub tier_sales: Option<i32>,
    /// The tier's percentage.
    pub tier_percent_bp: Option<i32>,
    /// The tier's fixed amounts.
    #[sqlx(json(nullable))]
    pub tier_amounts: Option<BTreeMap<String, i64>>,
    /// The recruiter's share of the sale (basis points).
    pub second_level_bp: i32,
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            id: None,
            offer_id: None,
            kind: "percent".into(),
            percent_bp: 3000,
            amounts: BTreeMap::new(),
            recurring: "first".into(),
            recurring_months: None,
            tier_sales: None,
            tier_percent_bp: None,
            tier_amounts: None,
            second_level_bp: 0,
        }
    }
}

const RULE_COLUMNS: &str = "id, offer_id, kind, percent_bp, amounts, recurring, recurring_months, tier_sales,
    tier_percent_bp, tier_amounts, second_level_bp";

/// The rule that applies to `offer`: its own, else the school's default, else the built-in one.
pub async fn rule_for(tx: &mut TenantTx, offer: OfferId) -> sqlx::Result<Rule> {
    let row: Option<Rule> = sqlx::query_as(AssertSqlSafe(format!(
        "select {RULE_COLUMNS} from affiliate_rules where offer_id = $1 or offer_id is null
         order by offer_id is null limit 1"
    )))
    .bind(offer)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.unwrap_or_default())
}

/// Every saved rule, the default first.
pub async fn rules(tx: &mut TenantTx) -> sqlx::Result<Vec<Rule>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {RULE_COLUMNS} from affiliate_rules order by offer_id is not null, created_at"
    )))
    .fetch_all(&mut **tx)
    .await
}
