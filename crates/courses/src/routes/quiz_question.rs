//! `GET/POST /admin/courses/{id}/lessons/{lesson}/quiz/questions/new?kind=…` and
//! `GET/POST …/quiz/questions/{q}`: adding and editing one question. A form that does not make
//! sense comes back with a message beside the field and everything typed kept; "Add a row"
//! shows more rows without saving.

use std::collections::BTreeMap;

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::quiz_editor::{base, load};
use crate::{
    model::{Course, Lesson},
    quiz::{
        form::QuestionForm,
        model::{KINDS, QuestionId},
        store as quiz_store,
    },
};

/// `?kind=` of a new question.
#[derive(Deserialize)]
pub struct NewKind {
    #[serde(default)]
    kind: String,
}

/// A blank question form of the kind asked for.
pub async fn new(
    ctx: Ctx,
    Path((course, lesson)): Path<(String, String)>,
    Query(k): Query<NewKind>,
) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    if !KINDS.contains(&k.kind.as_str()) {
        return Err(AppError::NotFound);
    }
    render(&ctx, &course, &lesson, None, &QuestionForm::blank(&k.kind), &FieldErrors::default())
}

/// Adds the question, or shows the form again with its messages.
pub async fn create(
    ctx: Ctx,
    Path((course, lesson)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    save(&ctx, &course, &lesson, None, &fields).await
}

/// The form of an existing question.
pub async fn edit(ctx: Ctx, Path((course, lesson, q)): Path<(String, String, String)>) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let id = question_id(&ctx, &lesson, &q).await?;
    let mut tx = ctx.tx().await?;
    let questions = quiz_store::questions(&mut tx, lesson.id).await?;
    tx.commit().await?;
    let question = questions.iter().find(|x| x.id == id).ok_or(AppError::NotFound)?;
    render(&ctx, &course, &lesson, Some(id), &QuestionForm::from_question(question), &FieldErrors::default())
}

/// Saves the question, or shows the form again with its messages.
pub async fn update(
    ctx: Ctx,
    Path((course, lesson, q)): Path<(String, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let id = question_id(&ctx, &lesson, &q).await?;
    save(&ctx, &course, &lesson, Some(id), &fields).await
}

/// A question of this quiz, or 404.
async fn question_id(ctx: &Ctx, lesson: &Lesson, q: &str) -> AppResult<QuestionId> {
    let id: QuestionId = q.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = quiz_store::questions(&mut tx, lesson.id).await?.iter().any(|x| x.id == id);
    tx.commit().await?;
    if found { Ok(id) } else { Err(AppError::NotFound) }
}

async fn save(
    ctx: &Ctx,
    course: &Course,
    lesson: &Lesson,
    id: Option<QuestionId>,
    fields: &[(String, String)],
) -> AppResult<Response> {
    let mut form = QuestionForm::from_fields(fields);
    if !KINDS.contains(&form.kind.as_str()) {
        return Err(AppError::BadRequest("unknown question kind".into()));
    }
    if fields.iter().any(|(k, _)| k == "more") {
        form.pad(2);
        return render(ctx, course, lesson, id, &form, &FieldErrors::default());
    }
    match form.parse(id.unwrap_or_default(), lesson.id) {
        Ok(question) => {
            let mut tx = ctx.tx().await?;
            quiz_store::save_question(&mut tx, &question).await?;
            tx.commit().await?;
            let key = if id.is_some() { "quiz-question-saved" } else { "quiz-question-added" };
            Ok(ctx
                .redirect_with(&format!("{}#q-{}", base(course, lesson), question.id), "success", ctx.t(key))
                .into_response())
        }
        Err(keys) => {
            form.pad(0);
            render(ctx, course, lesson, id, &form, &messages(ctx, &keys))
        }
    }
}

fn messages(ctx: &Ctx, keys: &BTreeMap<&'static str, &'static str>) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for (field, key) in keys {
        errors.add(field, ctx.t(key));
    }
    errors
}

fn render(
    ctx: &Ctx,
    course: &Course,
    lesson: &Lesson,
    id: Option<QuestionId>,
    form: &QuestionForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let action = match id {
        Some(id) => format!("{}/questions/{id}", base(course, lesson)),
        None => format!("{}/questions/new", base(course, lesson)),
    };
    let html = ctx.render(
        "courses/quiz/question.html",
        context! {
            course => Serde(course), lesson => Serde(lesson), base => base(course, lesson), action,
            editing => id.is_some(), form => Serde(form), errors => Serde(errors),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}
