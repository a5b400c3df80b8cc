//! `POST /api/v1/users`: adds a person to the school, the way signing up would.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Role, service::NewAccount};
use kernel::{AppError, i18n, secret::random_token, web::FieldErrors};

use crate::{
    auth::ApiCtx,
    body::ApiJson,
    problem::{ApiResult, ProblemBody},
    schema::{ApiUser, NewUser, role_names},
};

/// Create a person
///
/// Creates an account, as if the person had signed up: students get the school's welcome
/// email. Without a `password` the person gets an email to confirm their address and sets a
/// password with "Forgot password?" on the login page. Needs a read and write key.
#[utoipa::path(
    post,
    path = "/users",
    operation_id = "createUser",
    tag = "Users",
    request_body(content = NewUser, content_type = "application/json"),
    responses(
        (status = 201, description = "The account was created.", body = ApiUser,
            headers(("Location" = String, description = "The new person's URL in this API."))),
        (status = 409, description = "An account with this email already exists.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a JSON object, or a field is missing, unknown or not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn create(ctx: ApiCtx, ApiJson(input): ApiJson<NewUser>) -> ApiResult<Response> {
    if ctx.school.suspended() {
        return Err(AppError::Suspended.into());
    }
    let (account, role, generated) = match validate(&input, ctx.shell.locale) {
        Ok(v) => v,
        Err(errors) => {
            let problem = ctx.problem(StatusCode::UNPROCESSABLE_ENTITY).detail(ctx.t("api-error-invalid-fields"));
            return Err(problem.errors(errors).into());
        }
    };
    let mut tx = ctx.tx().await?;
    let Some(user) = identity::service::create_account(&ctx.state, &mut tx, &account, role, false).await? else {
        let mut errors = FieldErrors::default();
        errors.add("email", ctx.t("api-error-email-taken"));
        let problem = ctx.problem(StatusCode::CONFLICT).detail(ctx.t("api-error-email-taken"));
        return Err(problem.errors(errors).into());
    };
    if generated {
        identity::service::send_verification(&ctx.state, &mut tx, &ctx.school, &user).await?;
    }
    tx.commit().await?;
    let location = format!("/api/v1/users/{}", user.id);
    let mut res = (StatusCode::CREATED, kernel::web::Json(ApiUser::from(&user))).into_response();
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).expect("a path is a header value"));
    Ok(res)
}

/// Checks every field at once: the account, its role, and whether the password was made up.
fn validate(input: &NewUser, locale: i18n::Locale) -> Result<(NewAccount, Role, bool), FieldErrors> {
    let mut errors = FieldErrors::default();
    let role = match input.role.as_deref().map(str::trim) {
        None | Some("") => Some(Role::Student),
        Some(name) => match Role::parse(name) {
            Some(Role::Owner) => {
                errors.add("role", i18n::t(locale, "api-error-role-owner"));
                None
            }
            Some(r) => Some(r),
            None => {
                errors.add("role", i18n::t_args(locale, "api-error-role", &[("roles", role_names().into())]));
                None
            }
        },
    };
    // No password: an unguessable one nobody knows, so the account opens only through a reset.
    let generated = input.password.is_none();
    let password = input.password.clone().unwrap_or_else(|| random_token(32));
    let account = NewAccount::parse(&input.name, &input.email, &password, locale);
    if let Err(e) = &account {
        for (field, message) in &e.0 {
            errors.add(field, message.clone());
        }
    }
    match (account, role) {
        (Ok(account), Some(role)) if errors.is_empty() => Ok((account, role, generated)),
        _ => Err(errors),
    }
}
