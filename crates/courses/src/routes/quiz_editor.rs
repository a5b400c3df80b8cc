//! `GET/POST /admin/courses/{id}/lessons/{lesson}/quiz`: a quiz lesson's settings and its
//! questions; `POST …/quiz/questions/{q}/delete` and `…/move` change the list.

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
    LessonKind,
    model::{Course, CourseId, Lesson, LessonId},
    quiz::{
        model::{KINDS, QuestionId, Settings, ShowAnswers},
        store as quiz_store,
    },
    store,
};

/// The course and quiz lesson named in the path, for staff who build courses; 404 when either
/// is missing, the lesson is in another course or is not a quiz.
pub(super) async fn load(ctx: &Ctx, course: &str, lesson: &str) -> AppResult<(Course, Lesson)> {
    ctx.require(Permission::ManageCourses)?;
    let course: CourseId = course.parse().map_err(|_| AppError::NotFound)?;
    let lesson: LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    let lesson = store::lesson(&mut tx, lesson).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if lesson.course_id != course.id || lesson.kind() != LessonKind::Quiz {
        return Err(AppError::NotFound);
    }
    Ok((course, lesson))
}

/// The editor's address for a quiz lesson.
pub(super) fn base(course: &Course, lesson: &Lesson) -> String {
    format!("/admin/courses/{}/lessons/{}/quiz", course.id, lesson.id)
}

/// The settings form as typed.
#[derive(Clone, Debug, Deserialize, Default, serde::Serialize)]
pub struct SettingsForm {
    #[serde(default)]
    passing_percent: String,
    #[serde(default)]
    attempts_allowed: String,
    #[serde(default)]
    shuffle_questions: Option<String>,
    #[serde(default)]
    shuffle_answers: Option<String>,
    #[serde(default)]
    time_limit_minutes: String,
    #[serde(default)]
    show_answers: String,
    #[serde(default)]
    pool_size: String,
}

impl SettingsForm {
    fn from_settings(s: &Settings) -> Self {
        let opt = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
        Self {
            passing_percent: s.passing_percent.to_string(),
            attempts_allowed: opt(s.attempts_allowed),
            shuffle_questions: s.shuffle_questions.then(|| "on".into()),
            shuffle_answers: s.shuffle_answers.then(|| "on".into()),
            time_limit_minutes: opt(s.time_limit_minutes),
            show_answers: s.show_answers.clone(),
            pool_size: opt(s.pool_size),
        }
    }

    fn parse(&self, ctx: &Ctx, errors: &mut FieldErrors) -> Settings {
        let mut whole = |field: &str, text: &str, min: i32, max: i32, key: &str| -> Option<i32> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<i32>() {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    errors.add(field, ctx.t(key));
                    None
                }
            }
        };
        let passing = whole("passing_percent", &self.passing_percent, 0, 100, "quiz-error-passing");
        let attempts = whole("attempts_allowed", &self.attempts_allowed, 1, 100, "quiz-error-attempts");
        let time = whole("time_limit_minutes", &self.time_limit_minutes, 1, 600, "quiz-error-time");
        let pool = whole("pool_size", &self.pool_size, 1, 500, "quiz-error-pool");
        if self.passing_percent.trim().is_empty() {
            errors.add("passing_percent", ctx.t("quiz-error-passing"));
        }
        let show = ShowAnswers::parse(&self.show_answers).unwrap_or(ShowAnswers::Each);
        Settings {
            passing_percent: passing.unwrap_or(70),
            attempts_allowed: attempts,
            shuffle_questions: self.shuffle_questions.is_some(),
            shuffle_answers: self.shuffle_answers.is_some(),
            time_limit_minutes: time,
            show_answers: show.as_str().into(),
            pool_size: pool,
        }
    }
}

/// The editor: the quiz's questions and its settings form.
pub async fn page(ctx: Ctx, Path((course, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let mut tx = ctx.tx().await?;
    let settings = quiz_store::settings(&mut tx, lesson.id).await?;
    tx.commit().await?;
    render(&ctx, &course, &lesson, &SettingsForm::from_settings(&settings), &FieldErrors::default()).await
}

async fn render(
    ctx: &Ctx,
    course: &Course,
    lesson: &Lesson,
    form: &SettingsForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let questions = quiz_store::questions(&mut tx, lesson.id).await?;
    tx.commit().await?;
    let total_points: i32 = questions.iter().map(|q| q.points).sum();
    let html = ctx.render(
        "courses/quiz/editor.html",
        context! {
            course => Serde(course), lesson => Serde(lesson), base => base(course, lesson),
            form => Serde(form), errors => Serde(errors), questions => Serde(&questions),
            total_points, kinds => KINDS.to_vec(),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// Saves the settings; a value out of range comes back beside its field (422).
pub async fn save(
    ctx: Ctx,
    Path((course, lesson)): Path<(String, String)>,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let mut errors = FieldErrors::default();
    let settings = f.parse(&ctx, &mut errors);
    if !errors.is_empty() {
        return render(&ctx, &course, &lesson, &f, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    quiz_store::save_settings(&mut tx, lesson.id, &settings).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&base(&course, &lesson), "success", ctx.t("quiz-settings-saved")).into_response())
}

/// Deletes a question.
pub async fn delete(ctx: Ctx, Path((course, lesson, q)): Path<(String, String, String)>) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let q: QuestionId = q.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let deleted = quiz_store::delete_question(&mut tx, lesson.id, q).await?;
    tx.commit().await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    Ok(ctx.redirect_with(&base(&course, &lesson), "success", ctx.t("quiz-question-deleted")).into_response())
}

/// Which way a question moves.
#[derive(Deserialize)]
pub struct Move {
    #[serde(default)]
    direction: String,
}

/// Moves a question one place up or down.
pub async fn move_question(
    ctx: Ctx,
    Path((course, lesson, q)): Path<(String, String, String)>,
    Form(m): Form<Move>,
) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let q: QuestionId = q.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let mut order: Vec<QuestionId> = quiz_store::questions(&mut tx, lesson.id).await?.iter().map(|q| q.id).collect();
    let at = order.iter().position(|id| *id == q).ok_or(AppError::NotFound)?;
    let to = if m.direction == "up" { at.checked_sub(1) } else { Some(at + 1).filter(|i| *i < order.len()) };
    if let Some(to) = to {
        order.swap(at, to);
        quiz_store::reorder_questions(&mut tx, lesson.id, &order).await?;
    }
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&format!("{}#q-{q}", base(&course, &lesson)), "success", ctx.t("quiz-question-moved"))
        .into_response())
}
