//! `/admin/affiliates/{id}`: one affiliate's profile, numbers, recent referrals and
//! commissions; approving, rejecting, suspending or reinstating them; their personal rate and
//! staff's note.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    db::TenantTx,
    web::{FieldErrors, Form},
};
use minijinja::{Value, context, value::Serde};

use crate::{
    affiliates::{
        Affiliate, AffiliateId, balance,
        program::{
            self, Decision,
            numbers::{self, Period},
            rule_form,
        },
        store,
    },
    catalog::Fields,
};

async fn load(tx: &mut TenantTx, id: &str) -> AppResult<Affiliate> {
    let id: AffiliateId = id.parse().map_err(|_| AppError::NotFound)?;
    store::affiliate(tx, id).await?.ok_or(AppError::NotFound)
}

/// The page.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let a = load(&mut tx, &id).await?;
    tx.commit().await?;
    let fields = Fields(vec![
        ("personal_percent".into(), a.personal_percent_bp.map(rule_form::percent_input).unwrap_or_default()),
        ("staff_note".into(), a.staff_note.clone()),
    ]);
    page(&ctx, &a, &fields, &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, a: &Affiliate, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let now = ctx.state.clock.now();
    let mut tx = ctx.tx().await?;
    let person = identity::store::find(&mut tx, a.user_id).await?.ok_or(AppError::NotFound)?;
    let all = Period::All.bounds(now, &ctx.school.time_zone);
    let row =
        numbers::list(&mut tx, None, &a.code, all, &ctx.school.currency).await?.into_iter().find(|r| r.id == a.id);
    let balances = balance::balances(&mut tx, Some(a.id), now).await?;
    let referrals = numbers::referrals(&mut tx, a.id, 20).await?;
    let commissions = numbers::commissions(&mut tx, a.id, 20).await?;
    let recruiter = match a.recruited_by {
        Some(r) => store::affiliate(&mut tx, r).await?.map(|r| r.code),
        None => None,
    };
    tx.commit().await?;
    let commissions: Vec<Value> = commissions
        .iter()
        .map(|c| {
            let rate = crate::affiliates::commissions::rate_text(&c.rate_label, ctx.shell.locale);
            context! { c => Serde(c), state => c.state(now), rate }
        })
        .collect();
    let html = ctx.render(
        "commerce/affiliates/detail.html",
        context! {
            a => Serde(a), person => context! { name => person.name, email => person.email },
            numbers => Serde(&row), balances => Serde(&balances), referrals => Serde(&referrals), commissions,
            recruiter, currency => ctx.school.currency.clone(),
            form => super::form_values(f), errors => Serde(errors),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// A decision (`approve`, `reject`, `suspend`, `reinstate`) or `staff` (rate and note).
pub async fn act(
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let mut tx = ctx.tx().await?;
    let a = load(&mut tx, &id).await?;
    let back = format!("/admin/affiliates/{}", a.id);
    if action == "staff" {
        let f = Fields(fields);
        let mut errors = FieldErrors::default();
        let rate = match f.get("personal_percent") {
            "" => None,
            typed => {
                let bp = rule_form::parse_percent(typed, 10_000);
                if bp.is_none() {
                    errors.add("personal_percent", ctx.t("program-aff-error-percent"));
                }
                bp
            }
        };
        let note = f.get("staff_note");
        if note.chars().count() > 2000 {
            errors.add("staff_note", ctx.t("program-aff-error-note-long"));
        }
        if !errors.is_empty() {
            tx.commit().await?;
            return page(&ctx, &a, &f, &errors).await;
        }
        program::save_staff_fields(&mut tx, a.id, rate, note).await?;
        tx.commit().await?;
        return Ok(ctx.redirect_with(&back, "success", ctx.t("program-aff-staff-saved")).into_response());
    }
    let decision = Decision::parse(&action).ok_or(AppError::NotFound)?;
    let done = program::decide(&ctx.state, &mut tx, &ctx.school, &a, decision, actor).await?;
    tx.commit().await?;
    let (kind, key) = if done {
        ("success", format!("program-aff-decided-{}", decision.as_str()))
    } else {
        ("error", "program-aff-decision-stale".to_string())
    };
    let message = ctx.t_args(&key, &[("code", a.code.clone().into())]);
    Ok(ctx.redirect_with(&back, kind, message).into_response())
}
