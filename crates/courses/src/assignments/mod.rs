//! Assignments: work a student hands in, and staff review.

use identity::Ctx;
use kernel::AppResult;
use minijinja::Value;

use crate::model::Lesson;

/// What an assignment lesson's page shows the viewer (their submission and its review).
pub async fn lesson_context(_ctx: &Ctx, _lesson: &Lesson) -> AppResult<Value> {
    Ok(Value::UNDEFINED)
}
