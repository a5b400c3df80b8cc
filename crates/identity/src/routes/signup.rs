//! `GET/POST /signup`: a student creates an account.

use axum::{
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppResult, rate,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, model::Role, service};

/// The signup form's fields.
#[derive(Deserialize, Default)]
pub struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    page(&ctx, &SignupForm::default(), &FieldErrors::default())
}

fn page(ctx: &Ctx, f: &SignupForm, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render(
        "identity/signup.html",
        context! { form => context!{ name => f.name.clone(), email => f.email.clone() }, errors => Serde(errors), next => kernel::web::local_path(f.next.as_deref()) },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn submit(ctx: Ctx, headers: HeaderMap, Form(f): Form<SignupForm>) -> AppResult<Response> {
    ctx.ensure_open()?;
    // Typos do not count against the limit; accounts made (or addresses found taken) do.
    if let Err(wait) = ctx.rate_peek("signup", super::SIGNUP_LIMIT) {
        return Ok(rate::too_many_requests(page(&ctx, &f, &super::wait_errors(&ctx, "email", wait))?, wait));
    }
    let account = match service::NewAccount::parse(&f.name, &f.email, &f.password, ctx.shell.locale) {
        Ok(a) => a,
        Err(errors) => return page(&ctx, &f, &errors),
    };
    ctx.rate_hit("signup", super::SIGNUP_LIMIT);
    let mut tx = ctx.tx().await?;
    // An affiliate's referral cookie, checked by the affiliate program when it records the sign-up.
    let mut origin = serde_json::Map::new();
    if let Some(referral) = kernel::web::cookie(&headers, "lyceum_ref") {
        origin.insert("referral".into(), referral.into());
        origin.insert(
            "ip_hash".into(),
            kernel::web::ip_hash(&ctx.state.config.keys, ctx.school.id, &ctx.shell.client_ip).into(),
        );
    }
    let Some(user) = service::create_account_from(&ctx.state, &mut tx, &account, Role::Student, false, origin).await?
    else {
        let mut errors = FieldErrors::default();
        errors.add("email", ctx.t("validation-email-taken"));
        return page(&ctx, &f, &errors);
    };
    // A language picked on the site before signing up was the person's own choice: keep it.
    if let Some(locale) = ctx.visitor.chosen_language() {
        crate::store::set_locale(&mut tx, user.id, locale.code()).await?;
    }
    service::send_verification(&ctx.state, &mut tx, &ctx.school, &user).await?;
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
    tx.commit().await?;
    let to = kernel::web::safe_redirect(f.next.as_deref(), "/dashboard");
    Ok(ctx.redirect_with(&to, "success", ctx.t("signup-welcome-flash")).into_response())
}
