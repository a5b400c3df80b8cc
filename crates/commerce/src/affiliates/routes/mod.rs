//! The affiliate program's pages: one file per page or action.

mod admin_detail;
mod admin_fraud;
mod admin_invite;
mod admin_list;
mod admin_payout_batch;
mod admin_payouts;
mod admin_rules;
mod admin_settings;
mod apply;
mod join;
mod payout_statement;
mod portal_commissions;
mod portal_dashboard;
mod portal_payout;

use std::collections::BTreeMap;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::{AppState, format::CURRENCIES};

use crate::catalog::Fields;

use super::attribution::clicks;

/// The program's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/a/{code}", get(clicks::short_link))
        .route("/a/{code}/{*path}", get(clicks::short_link))
        .route("/affiliates", get(apply::page).post(apply::submit))
        .route("/affiliates/join/{token}", get(join::page).post(join::submit))
        .route("/admin/affiliates", get(admin_list::list))
        .route("/admin/affiliates/settings", get(admin_settings::form).post(admin_settings::save))
        .route("/admin/affiliates/rules", get(admin_rules::list))
        .route("/admin/affiliates/rules/{offer}", get(admin_rules::form).post(admin_rules::save))
        .route("/admin/affiliates/rules/{offer}/delete", post(admin_rules::delete))
        .route("/admin/affiliates/invite", get(admin_invite::form).post(admin_invite::send))
        .route("/admin/affiliates/fraud", get(admin_fraud::page))
        .route("/admin/affiliates/{id}", get(admin_detail::show))
        .route("/admin/affiliates/{id}/{action}", post(admin_detail::act))
        .route("/affiliates/dashboard", get(portal_dashboard::page))
        .route("/affiliates/dashboard/commissions", get(portal_commissions::list))
        .route("/affiliates/dashboard/payout", get(portal_payout::form).post(portal_payout::submit))
        .route("/admin/affiliates/payouts", get(admin_payouts::page).post(admin_payouts::create))
        .route("/admin/affiliates/payouts/{batch}", get(admin_payout_batch::show))
        .route("/admin/affiliates/payouts/{batch}/paypal.csv", get(admin_payout_batch::paypal_csv))
        .route("/admin/affiliates/payouts/{batch}/wise.csv", get(admin_payout_batch::wise_csv))
        .route("/admin/affiliates/payouts/{batch}/paid", post(admin_payout_batch::mark_batch))
        .route("/admin/affiliates/payouts/{batch}/{payout}/paid", post(admin_payout_batch::mark_one))
        .route("/admin/affiliates/payouts/{batch}/{payout}/stripe", post(admin_payout_batch::stripe))
        .route("/admin/affiliates/payouts/{batch}/{payout}/statement.pdf", get(admin_payout_batch::statement))
        .route("/affiliates/payouts/{payout}/statement.pdf", get(payout_statement::download))
}

/// A form's typed values by name (the first of each), for a template.
fn form_values(f: &Fields) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in &f.0 {
        out.entry(k.clone()).or_insert_with(|| v.trim().to_string());
    }
    out
}

/// The currencies a per-currency field group shows: the school's, then any with a value.
fn currencies_in(f: &Fields, school: &str, prefixes: &[&str]) -> Vec<String> {
    let mut out = vec![school.to_string()];
    for c in CURRENCIES {
        let used = prefixes.iter().any(|p| !f.get(&format!("{p}_{c}")).is_empty());
        if used && !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    }
    out
}
