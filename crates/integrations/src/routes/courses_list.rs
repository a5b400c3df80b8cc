//! `GET /api/v1/courses`: the school's courses, newest first, a page at a time.

use axum::{extract::RawQuery, http::StatusCode};
use courses::CourseId;
use kernel::{
    i18n,
    web::{FieldErrors, Json},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::courses::{ApiCourse, CourseList, CourseStatus};
use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// List courses
///
/// The school's courses, drafts and published, newest first. Filter by status; follow
/// `next_cursor` to walk through every page. Fetch one course for its modules and lessons.
#[utoipa::path(
    get,
    path = "/courses",
    operation_id = "listCourses",
    tag = "Courses",
    params(CourseListParams),
    responses(
        (status = 200, description = "A page of courses.", body = CourseList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<CourseList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<CourseListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let page = Page::parse(&params, ctx.shell.locale).map_err(|errors| invalid().errors(errors))?;
    let mut tx = ctx.tx().await?;
    let mut found =
        courses::store::course_page(&mut tx, page.status.map(CourseStatus::as_str), page.before, page.limit + 1)
            .await?;
    tx.commit().await?;
    let more = found.len() as i64 > page.limit;
    found.truncate(page.limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|c| encode_cursor(c.id.0));
    Ok(Json(CourseList { data: found.into_iter().map(ApiCourse::from).collect(), next_cursor }))
}

/// Filters and paging for courses.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListParams {
    /// How many courses to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only courses with this status.
    #[param(value_type = Option<CourseStatus>, example = "published")]
    pub status: Option<String>,
}

/// Validated paging and filters.
struct Page {
    limit: i64,
    before: Option<CourseId>,
    status: Option<CourseStatus>,
}

impl Page {
    fn parse(p: &CourseListParams, locale: i18n::Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let limit = paging::limit(p.limit.as_deref(), locale, &mut errors);
        let before = paging::cursor(p.cursor.as_deref(), locale, &mut errors).map(CourseId);
        let status = match p.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.to_ascii_lowercase().as_str() {
                "draft" => Some(CourseStatus::Draft),
                "published" => Some(CourseStatus::Published),
                _ => {
                    errors.add(
                        "status",
                        i18n::t_args(locale, "api-error-one-of", &[("values", "draft, published".into())]),
                    );
                    None
                }
            },
        };
        if errors.is_empty() { Ok(Self { limit, before, status }) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_limits_are_checked() {
        let p = |status: &str| CourseListParams { status: Some(status.into()), ..Default::default() };
        let ok = Page::parse(&p(" Published "), i18n::Locale::En).ok().unwrap();
        assert_eq!((ok.limit, ok.status), (25, Some(CourseStatus::Published)));
        assert!(Page::parse(&p(""), i18n::Locale::En).ok().unwrap().status.is_none());
        assert!(Page::parse(&p("archived"), i18n::Locale::En).err().is_some_and(|e| e.has("status")));
    }
}
