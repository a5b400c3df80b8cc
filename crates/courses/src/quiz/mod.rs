//! Quizzes: questions, attempts graded on the server, and their statistics.
//!
//! The creator edits a quiz lesson's settings and questions ([`model`], [`store`]); a student
//! starts an attempt, which draws and shuffles its questions on the server, and submits it once
//! ([`attempt`]); grading ([`grade`]) never runs in the browser, and the page never holds an
//! answer before submit ([`view`]). Passing completes the lesson; `quiz.passed` and
//! `quiz.failed` are published for analytics and email automations.

pub mod attempt;
pub mod form;
pub mod grade;
pub mod model;
pub mod stats;
pub mod store;
pub mod view;

use identity::{Ctx, Permission};
use kernel::AppResult;
use minijinja::{Value, context, value::Serde};
use serde::Serialize;

use crate::model::Lesson;
use model::{Attempt, ShowAnswers};

/// One attempt in the student's history.
#[derive(Serialize)]
struct Past {
    number: i32,
    score: Option<i32>,
    passed: Option<bool>,
    timed_out: bool,
    submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<&Attempt> for Past {
    fn from(a: &Attempt) -> Self {
        Self {
            number: a.number,
            score: a.score,
            passed: a.passed,
            timed_out: a.timed_out,
            submitted_at: a.submitted_at,
        }
    }
}

/// What a quiz lesson's page shows the viewer: the rules, their attempts, the questions of the
/// open attempt (as asked, without answers), or the result of the last one.
pub async fn lesson_context(ctx: &Ctx, lesson: &Lesson) -> AppResult<Value> {
    let mut tx = ctx.tx().await?;
    let settings = store::settings(&mut tx, lesson.id).await?;
    let questions = store::questions(&mut tx, lesson.id).await?;
    let per_attempt = settings.pool_size.map_or(questions.len(), |n| (n.max(0) as usize).min(questions.len()));
    let staff = ctx.can(Permission::ManageCourses);
    let mut attempts = vec![];
    if let Some(user) = ctx.user.as_deref() {
        attempt::expire_overdue(&ctx.state, &mut tx, lesson, user.id).await?;
        attempts = store::attempts(&mut tx, lesson.id, user.id).await?;
    }
    let now = ctx.state.clock.now();
    let open = attempts.iter().find(|a| a.is_open());
    let open_view = open.map(|a| {
        context! {
            id => a.id.to_string(),
            number => a.number,
            seconds_left => a.deadline.map(|d| (d - now).num_seconds().max(0)),
            clock => a.deadline.map(|d| clock((d - now).num_seconds())),
            deadline => Serde(a.deadline),
            questions => Serde(view::asked(a, &questions)),
        }
    });
    let last = attempts.iter().rev().find(|a| !a.is_open());
    let result = match (open, last) {
        (None, Some(a)) => {
            let reveal = match settings.show() {
                ShowAnswers::Each => true,
                ShowAnswers::Passed => a.passed == Some(true),
                ShowAnswers::Never => false,
            };
            let rows = store::answers(&mut tx, a.id).await?;
            let answers: Vec<_> =
                rows.into_iter().map(|r| (r.question_id.0, r.answer.0, r.correct, r.credit)).collect();
            let words = view::Words { yes: ctx.t("quiz-true"), no: ctx.t("quiz-false") };
            Some(context! {
                number => a.number, score => a.score, passed => a.passed, timed_out => a.timed_out,
                reveal, show => settings.show_answers.clone(),
                questions => Serde(view::feedback(a, &questions, &answers, reveal, &words)),
            })
        }
        _ => None,
    };
    tx.commit().await?;
    let used = attempts.len() as i32;
    let remaining = settings.attempts_allowed.map(|max| (max - used).max(0));
    let can_start = open.is_none() && remaining != Some(0) && !questions.is_empty();
    let history: Vec<Past> = attempts.iter().filter(|a| !a.is_open()).map(Past::from).collect();
    Ok(context! {
        settings => Serde(&settings),
        total_questions => questions.len(),
        per_attempt,
        staff,
        attempts => Serde(history),
        passed_ever => attempts.iter().any(|a| a.passed == Some(true)),
        best => attempts.iter().filter_map(|a| a.score).max(),
        used,
        remaining,
        can_start,
        open => open_view,
        result,
    })
}

/// Seconds as the countdown shows them: `4:05`, `1:02:03`.
fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
