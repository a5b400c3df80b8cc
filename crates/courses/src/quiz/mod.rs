//! Quizzes: questions, attempts graded on the server, and their statistics.

use identity::Ctx;
use kernel::AppResult;
use minijinja::Value;

use crate::model::Lesson;

/// What a quiz lesson's page shows the viewer (their attempts, the questions of an open one).
pub async fn lesson_context(_ctx: &Ctx, _lesson: &Lesson) -> AppResult<Value> {
    Ok(Value::UNDEFINED)
}
