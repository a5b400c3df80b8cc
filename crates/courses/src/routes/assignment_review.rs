//! `GET /admin/assignments/{id}` (one student's work: the text, the files, every version and
//! its review) and `POST /admin/assignments/{id}/review` (approve, or ask for changes with
//! feedback, which is then required).

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    assignments::{
        SubmissionId, history,
        service::{self, Decision, ReviewError},
        store,
    },
    store as courses_store,
};

/// Longest feedback accepted, in characters.
const FEEDBACK_MAX: usize = 10_000;

/// The review form.
#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    feedback: String,
}

/// One submission with its history and the review form.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    page(&ctx, &id, "", &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, id: &str, feedback: &str, errors: &FieldErrors) -> AppResult<Response> {
    let id: SubmissionId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let s = store::submission(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    let lesson = courses_store::lesson(&mut tx, s.lesson_id).await?.ok_or(AppError::NotFound)?;
    let course = courses_store::course(&mut tx, s.course_id).await?.ok_or(AppError::NotFound)?;
    let student = identity::store::find(&mut tx, s.user_id).await?.ok_or(AppError::NotFound)?;
    let versions = history(&mut tx, s.id).await?;
    let mut reviewers = std::collections::HashMap::new();
    for by in versions.iter().filter_map(|v| v.version.reviewed_by) {
        if let std::collections::hash_map::Entry::Vacant(e) = reviewers.entry(by.to_string()) {
            e.insert(identity::store::find(&mut tx, by).await?.map(|u| u.name).unwrap_or_default());
        }
    }
    tx.commit().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "courses/assignments/review.html",
        context! {
            submission => Serde(&s),
            lesson => Serde(&lesson),
            course => Serde(&course),
            student => context! { name => student.name.clone(), email => student.email.clone() },
            versions => Serde(&versions),
            reviewers => Serde(&reviewers),
            feedback,
            errors => Serde(errors),
        },
    )?;
    Ok((status, html).into_response())
}

/// Records the decision, then back to the queue with a flash.
pub async fn review(ctx: Ctx, Path(id): Path<String>, Form(f): Form<ReviewForm>) -> AppResult<Response> {
    let reviewer = ctx.require(Permission::ManageCourses)?.id;
    let sid: SubmissionId = id.parse().map_err(|_| AppError::NotFound)?;
    let decision = match f.decision.as_str() {
        "approve" => Decision::Approve,
        "changes" => Decision::Changes,
        _ => return Err(AppError::BadRequest(ctx.t("assign-review-pick"))),
    };
    let feedback = f.feedback.trim();
    let mut errors = FieldErrors::default();
    if decision == Decision::Changes && feedback.is_empty() {
        errors.add("feedback", ctx.t("assign-feedback-required"));
    } else if feedback.chars().count() > FEEDBACK_MAX {
        errors.add("feedback", ctx.t_args("assign-feedback-too-long", &[("max", (FEEDBACK_MAX as i64).into())]));
    }
    if !errors.is_empty() {
        return page(&ctx, &id, &f.feedback, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    let s = store::submission(&mut tx, sid, false).await?.ok_or(AppError::NotFound)?;
    let lesson = courses_store::lesson(&mut tx, s.lesson_id).await?.ok_or(AppError::NotFound)?;
    let to = format!("/admin/assignments/{sid}");
    match service::review(&ctx.state, &mut tx, &ctx.school, reviewer, (&s, &lesson), decision, feedback).await {
        Ok(()) => {}
        Err(ReviewError::AlreadyReviewed) => {
            return Ok(ctx.redirect_with(&to, "info", ctx.t("assign-already-reviewed")).into_response());
        }
        Err(ReviewError::Other(e)) => return Err(AppError::Internal(e)),
    }
    tx.commit().await?;
    let msg = match decision {
        Decision::Approve => "assign-approved-flash",
        Decision::Changes => "assign-changes-flash",
    };
    Ok(ctx.redirect_with("/admin/assignments", "success", ctx.t(msg)).into_response())
}
