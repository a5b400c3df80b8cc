//! `GET /admin/courses/{id}/lessons/{lesson}/quiz/stats`: how a quiz is going, for staff.

use std::collections::{HashMap, hash_map::Entry};

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};
use serde::Serialize;

use super::quiz_editor::{base, load};
use crate::quiz::{stats, store as quiz_store};

/// A row of the attempts table.
#[derive(Serialize)]
struct Row {
    student: String,
    email: String,
    number: i32,
    score: Option<i32>,
    passed: Option<bool>,
    timed_out: bool,
    at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How many attempts the table lists.
const LISTED: usize = 200;

/// The quiz's statistics and its attempts, newest first.
pub async fn page(ctx: Ctx, Path((course, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let mut tx = ctx.tx().await?;
    let attempts = quiz_store::submitted_attempts(&mut tx, lesson.id).await?;
    let summary = stats::summary(&attempts);
    let questions = stats::questions(&mut tx, lesson.id, &ctx.t("quiz-true"), &ctx.t("quiz-false")).await?;
    let mut rows = vec![];
    let mut names = HashMap::new();
    for a in attempts.iter().take(LISTED) {
        if let Entry::Vacant(slot) = names.entry(a.user_id) {
            let user = identity::store::find(&mut tx, a.user_id).await?;
            slot.insert(user.map(|u| (u.name.clone(), u.email.clone())).unwrap_or_default());
        }
        let (student, email) = names.get(&a.user_id).cloned().unwrap_or_default();
        rows.push(Row {
            student,
            email,
            number: a.number,
            score: a.score,
            passed: a.passed,
            timed_out: a.timed_out,
            at: a.submitted_at,
        });
    }
    tx.commit().await?;
    let html = ctx.render(
        "courses/quiz/stats.html",
        context! {
            course => Serde(&course), lesson => Serde(&lesson), base => base(&course, &lesson),
            summary => Serde(&summary), questions => Serde(&questions), attempts => Serde(&rows),
            more => attempts.len() > LISTED,
        },
    )?;
    Ok(html.into_response())
}
