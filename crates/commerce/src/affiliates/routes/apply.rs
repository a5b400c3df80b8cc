//! `/affiliates` on the school's site: what the program pays, its terms, and the application.
//! A logged-in person applies with their account; a visitor creates one on the same form (or
//! is sent to log in when the address has one). Open signup approves at once.

use axum::{
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, User, service::NewAccount};
use kernel::{
    AppResult,
    db::TenantTx,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    affiliates::{
        program::{self, Joining, rule_form},
        settings, store,
    },
    catalog::Fields,
};

/// `?ref=code`: the affiliate whose link brought the applicant.
#[derive(Deserialize, Default)]
pub struct RefQuery {
    #[serde(default, rename = "ref")]
    code: String,
}

/// The page: closed, the person's status, or the application form.
pub async fn page(ctx: Ctx, Query(q): Query<RefQuery>) -> AppResult<Response> {
    let mut fields = vec![("ref".to_string(), q.code.trim().chars().take(40).collect::<String>())];
    if let Some(user) = &ctx.user {
        let mut tx = ctx.tx().await?;
        fields.push(("code".into(), program::suggest_code(&mut tx, &user.name).await?));
        tx.commit().await?;
    }
    render(&ctx, &Fields(fields), &FieldErrors::default()).await
}

async fn render(ctx: &Ctx, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let s = settings::load(&mut tx).await?;
    let rule = settings::rules(&mut tx).await?.into_iter().find(|r| r.offer_id.is_none()).unwrap_or_default();
    let mine = match &ctx.user {
        Some(u) => store::of_user(&mut tx, u.id).await?,
        None => None,
    };
    tx.commit().await?;
    let fixed: Vec<String> = rule.amounts.iter().map(|(c, a)| kernel::format::money(*a, c, ctx.shell.locale)).collect();
    let html = ctx.render(
        "commerce/affiliates/apply.html",
        context! {
            closed => !s.enabled, settings => Serde(&s), rule => Serde(&rule),
            rate => rule_form::percent_label(rule.percent_bp, ctx.shell.locale), fixed => fixed.join(" · "),
            second_level => (rule.second_level_bp > 0).then(|| rule_form::percent_label(rule.second_level_bp, ctx.shell.locale)),
            tier_rate => rule.tier_percent_bp.map(|bp| rule_form::percent_label(bp, ctx.shell.locale)),
            mine => Serde(&mine), form => super::form_values(f), errors => Serde(errors),
            logged_in => ctx.user.is_some(),
        },
    )?;
    let status = if !s.enabled {
        StatusCode::NOT_FOUND
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

/// The person joining: the logged-in one, or a new account made from the form's name, email
/// and password (`true`: new). `None` with `errors` filled when that cannot be done.
pub(super) async fn person(
    ctx: &Ctx,
    tx: &mut TenantTx,
    f: &Fields,
    errors: &mut FieldErrors,
) -> AppResult<Option<(User, bool)>> {
    if let Some(user) = &ctx.user {
        return Ok(Some((User::clone(user), false)));
    }
    let account = match NewAccount::parse(f.get("name"), f.get("email"), f.get("password"), ctx.shell.locale) {
        Ok(a) => a,
        Err(e) => {
            for (k, v) in e.0 {
                errors.add(&k, v);
            }
            return Ok(None);
        }
    };
    if !errors.is_empty() {
        return Ok(None);
    }
    ctx.rate_limit("signup", identity::routes::SIGNUP_LIMIT)?;
    match identity::service::create_account(&ctx.state, tx, &account, identity::Role::Student, false).await? {
        Some(user) => Ok(Some((user, true))),
        None => {
            errors.add("email", ctx.t("program-aff-error-email-has-account"));
            Ok(None)
        }
    }
}

/// Welcomes a person whose account this form made: a verification email and a session.
pub(super) async fn welcome(ctx: &Ctx, tx: &mut TenantTx, user: &User) -> AppResult<()> {
    identity::service::send_verification(&ctx.state, tx, &ctx.school, user).await?;
    identity::service::start_session(&ctx.state, tx, &ctx.visitor, user, false, &ctx.device()).await
}

/// The code the applicant chose, or one made from their name.
pub(super) async fn chosen_code(
    ctx: &Ctx,
    tx: &mut TenantTx,
    f: &Fields,
    name: &str,
    errors: &mut FieldErrors,
) -> AppResult<String> {
    if f.get("code").is_empty() {
        return Ok(program::suggest_code(tx, name).await?);
    }
    match program::parse_code(f.get("code")) {
        Ok(code) => Ok(code),
        Err(e) => {
            errors.add("code", ctx.t(e.message()));
            Ok(String::new())
        }
    }
}

/// Applies.
pub async fn submit(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let f = Fields(fields);
    let mut tx = ctx.tx().await?;
    let s = settings::load(&mut tx).await?;
    if !s.enabled {
        tx.commit().await?;
        return render(&ctx, &f, &FieldErrors::default()).await;
    }
    if let Some(u) = &ctx.user
        && store::of_user(&mut tx, u.id).await?.is_some()
    {
        tx.commit().await?;
        return Ok(ctx.redirect_with("/affiliates", "info", ctx.t("program-aff-already-applied")).into_response());
    }
    let mut errors = FieldErrors::default();
    if !f.on("terms") {
        errors.add("terms", ctx.t("program-aff-error-terms"));
    }
    let (pitch, website) = (f.get("pitch"), f.get("website"));
    if pitch.chars().count() > 2000 {
        errors.add("pitch", ctx.t("program-aff-error-pitch-long"));
    }
    if website.chars().count() > 300 {
        errors.add("website", ctx.t("program-aff-error-website-long"));
    }
    let name = ctx.user.as_ref().map(|u| u.name.clone()).unwrap_or_else(|| f.get("name").to_string());
    let code = chosen_code(&ctx, &mut tx, &f, &name, &mut errors).await?;
    let Some((user, new)) = person(&ctx, &mut tx, &f, &mut errors).await?.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&ctx, &f, &errors).await;
    };
    let recruited_by = store::by_code(&mut tx, f.get("ref")).await?.filter(|a| a.approved()).map(|a| a.id);
    let joining =
        Joining { code, pitch: pitch.into(), website: website.into(), recruited_by, personal_percent_bp: None };
    let open = s.signup == "open";
    if let Err(e) = program::join(&ctx.state, &mut tx, &ctx.school, &user, &joining, open, None).await? {
        drop(tx);
        errors.add("code", ctx.t(e.message()));
        return render(&ctx, &f, &errors).await;
    }
    if new {
        welcome(&ctx, &mut tx, &user).await?;
    }
    tx.commit().await?;
    let key = if open { "program-aff-applied-approved" } else { "program-aff-applied-pending" };
    Ok(ctx.redirect_with("/affiliates", "success", ctx.t(key)).into_response())
}
