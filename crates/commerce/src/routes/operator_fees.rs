//! `GET/POST /operator/payments`: the operator's application fee on Stripe sales, per plan,
//! as a percentage (stored in basis points in `plan_fees`). A plan without a fee pays none.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppResult, AppState, i18n,
    web::{FieldErrors, Shell, Visitor},
};
use minijinja::context;
use tenancy::operator::Operator;

/// Reads `"2.5"` (a percentage, at most two decimals, 0–50) as basis points.
pub fn parse_percent(input: &str) -> Option<i32> {
    let s = input.trim().trim_end_matches('%').trim().replace(',', ".");
    if s.is_empty() {
        return Some(0);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i32 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    let bp = whole.checked_mul(100)?.checked_add(frac)?;
    (0..=5000).contains(&bp).then_some(bp)
}

async fn render(
    state: &AppState,
    shell: &Shell,
    values: &[(String, String)],
    errors: &FieldErrors,
) -> AppResult<Response> {
    let plans: Vec<minijinja::Value> = kernel::plan::PLANS
        .iter()
        .map(|p| {
            let value = values.iter().find(|(k, _)| k == p.name).map(|(_, v)| v.clone()).unwrap_or_default();
            context! { name => p.name, value }
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = kernel::web::render(
        state,
        shell,
        "commerce/operator_fees.html",
        context! { plans, errors => minijinja::value::Serde(errors),
        configured => state.config.stripe_secret_key.is_some(),
        webhook_url => format!("{}/hooks/stripe", state.config.platform_url()),
        client_id => state.config.stripe_connect_client_id.clone() },
    )?;
    Ok((status, html).into_response())
}

/// The page.
pub async fn page(_: Operator, State(state): State<AppState>, shell: Shell) -> AppResult<Response> {
    let fees = crate::stripe::account::plan_fees(&state).await?;
    let values: Vec<(String, String)> =
        fees.into_iter().map(|(plan, bp)| (plan, crate::stripe::provider::percent_of_bp(bp))).collect();
    render(&state, &shell, &values, &FieldErrors::default()).await
}

/// Saves every plan's fee.
pub async fn save(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    kernel::web::Form(form): kernel::web::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let mut parsed = Vec::new();
    let mut values = Vec::new();
    for plan in kernel::plan::PLANS {
        let raw =
            form.iter().find(|(k, _)| k == &format!("fee_{}", plan.name)).map(|(_, v)| v.clone()).unwrap_or_default();
        values.push((plan.name.to_string(), raw.clone()));
        match parse_percent(&raw) {
            Some(bp) => parsed.push((plan.name, bp)),
            None => errors.add(&format!("fee_{}", plan.name), i18n::t(shell.locale, "stripe-fee-invalid")),
        }
    }
    if !errors.is_empty() {
        return render(&state, &shell, &values, &errors).await;
    }
    for (plan, bp) in parsed {
        crate::stripe::account::set_plan_fee(&state, plan, bp).await?;
    }
    tracing::info!(operator = %op.email, "operator changed the plans' application fees");
    visitor.flash("success", i18n::t(shell.locale, "stripe-fees-saved"));
    Ok(Redirect::to("/operator/payments").into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_percent;

    #[test]
    fn percentages_read_as_basis_points() {
        assert_eq!(parse_percent("2.5"), Some(250));
        assert_eq!(parse_percent("2,25 %"), Some(225));
        assert_eq!(parse_percent(""), Some(0));
        assert_eq!(parse_percent("0"), Some(0));
        assert_eq!(parse_percent(".5"), Some(50));
        assert_eq!(parse_percent("50"), Some(5000));
        assert_eq!(parse_percent("50.01"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent("1.234"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_percent("."), None);
    }
}
