//! `GET /api/v1/users`: the school's people, newest first, a page at a time.

use axum::{extract::RawQuery, http::StatusCode};
use identity::Role;
use kernel::{
    i18n,
    ids::UserId,
    web::{FieldErrors, Json},
};

use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
    schema::{ApiUser, ListParams, UserList, role_names},
};

/// List people
///
/// Everyone with an account in the school, newest first. Filter by role or search by name and
/// email; follow `next_cursor` to walk through every page.
#[utoipa::path(
    get,
    path = "/users",
    operation_id = "listUsers",
    tag = "Users",
    params(ListParams),
    responses(
        (status = 200, description = "A page of people.", body = UserList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<UserList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<ListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let page = Page::parse(&params, ctx.shell.locale).map_err(|errors| invalid().errors(errors))?;
    let roles: Vec<&str> = page.roles.iter().map(|r| r.as_str()).collect();
    let mut tx = ctx.tx().await?;
    let mut users = identity::store::list(&mut tx, &roles, page.q.as_deref(), page.after, page.limit + 1).await?;
    tx.commit().await?;
    let more = users.len() as i64 > page.limit;
    users.truncate(page.limit as usize);
    let next_cursor = users.last().filter(|_| more).map(|u| encode_cursor(u.id.0));
    Ok(Json(UserList { data: users.iter().map(ApiUser::from).collect(), next_cursor }))
}

/// Validated paging and filters.
struct Page {
    limit: i64,
    after: Option<UserId>,
    roles: Vec<Role>,
    q: Option<String>,
}

impl Page {
    fn parse(p: &ListParams, locale: i18n::Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let limit = paging::limit(p.limit.as_deref(), locale, &mut errors);
        let after = paging::cursor(p.cursor.as_deref(), locale, &mut errors).map(UserId);
        let mut roles = vec![];
        for name in p.role.as_deref().unwrap_or("").split(',').map(str::trim).filter(|r| !r.is_empty()) {
            match Role::parse(name) {
                Some(r) => roles.push(r),
                None => errors.add("role", i18n::t_args(locale, "api-error-role", &[("roles", role_names().into())])),
            }
        }
        let q = paging::search(p.q.as_deref(), locale, &mut errors);
        if errors.is_empty() { Ok(Self { limit, after, roles, q }) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_roles_are_checked() {
        let p = |limit: &str, role: &str| ListParams {
            limit: Some(limit.into()),
            role: Some(role.into()),
            ..Default::default()
        };
        assert_eq!(Page::parse(&p("", ""), i18n::Locale::En).ok().map(|p| p.limit), Some(25));
        assert!(Page::parse(&p("0", ""), i18n::Locale::En).err().is_some_and(|e| e.has("limit")));
        assert!(Page::parse(&p("101", ""), i18n::Locale::En).is_err());
        assert!(Page::parse(&p("10", "student,wizard"), i18n::Locale::En).err().is_some_and(|e| e.has("role")));
        let ok = Page::parse(&p("100", "student, instructor"), i18n::Locale::En).ok().unwrap();
        assert_eq!(ok.roles, vec![Role::Student, Role::Instructor]);
    }
}
