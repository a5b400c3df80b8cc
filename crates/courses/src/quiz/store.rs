//! SQL for quizzes; every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use sqlx::types::Json;

use super::{
    grade::Given,
    model::{Attempt, AttemptId, Question, QuestionId, Settings, Spec},
};
use crate::model::LessonId;

const ATTEMPT: &str = "id, lesson_id, course_id, user_id, number, question_ids, layout, saved, started_at, \
                       deadline, submitted_at, timed_out, score, passed";

/// A quiz's settings (the defaults until the creator saves them).
pub async fn settings(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Settings> {
    let found: Option<Settings> = sqlx::query_as(
        "select passing_percent, attempts_allowed, shuffle_questions, shuffle_answers, time_limit_minutes,
                show_answers, pool_size
         from quizzes where tenant_id = $1 and lesson_id = $2",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.unwrap_or_default())
}

/// Saves a quiz's settings.
pub async fn save_settings(tx: &mut TenantTx, lesson: LessonId, s: &Settings) -> sqlx::Result<()> {
    sqlx::query(
        "insert into quizzes (tenant_id, lesson_id, passing_percent, attempts_allowed, shuffle_questions,
                              shuffle_answers, time_limit_minutes, show_answers, pool_size)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (tenant_id, lesson_id) do update set passing_percent = excluded.passing_percent,
           attempts_allowed = excluded.attempts_allowed, shuffle_questions = excluded.shuffle_questions,
           shuffle_answers = excluded.shuffle_answers, time_limit_minutes = excluded.time_limit_minutes,
           show_answers = excluded.show_answers, pool_size = excluded.pool_size",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .bind(s.passing_percent)
    .bind(s.attempts_allowed)
    .bind(s.shuffle_questions)
    .bind(s.shuffle_answers)
    .bind(s.time_limit_minutes)
    .bind(&s.show_answers)
    .bind(s.pool_size)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: QuestionId,
    lesson_id: LessonId,
    position: i32,
    prompt: String,
    points: i32,
    explanation_html: String,
    spec: Json<Spec>,
}

impl From<QuestionRow> for Question {
    fn from(r: QuestionRow) -> Self {
        Self {
            id: r.id,
            lesson_id: r.lesson_id,
            position: r.position,
            prompt: r.prompt,
            points: r.points,
            explanation_html: r.explanation_html,
            spec: r.spec.0,
        }
    }
}

/// A quiz's questions in order.
pub async fn questions(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Vec<Question>> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "select id, lesson_id, position, prompt, points, explanation_html, spec from quiz_questions
         where tenant_id = $1 and lesson_id = $2 order by position, created_at",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Question::from).collect())
}

/// Adds a question at the end of the quiz, or saves an existing one.
pub async fn save_question(tx: &mut TenantTx, q: &Question) -> sqlx::Result<()> {
    sqlx::query(
        "insert into quiz_questions (tenant_id, id, lesson_id, position, kind, prompt, points, explanation_html, spec)
         values ($1, $2, $3, (select coalesce(max(position) + 1, 0) from quiz_questions
                              where tenant_id = $1 and lesson_id = $3), $4, $5, $6, $7, $8)
         on conflict (tenant_id, id) do update set prompt = excluded.prompt, points = excluded.points,
           explanation_html = excluded.explanation_html, spec = excluded.spec, kind = excluded.kind",
    )
    .bind(tx.tenant())
    .bind(q.id)
    .bind(q.lesson_id)
    .bind(q.spec.kind())
    .bind(&q.prompt)
    .bind(q.points)
    .bind(&q.explanation_html)
    .bind(Json(&q.spec))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes a question of a quiz (and the answers given to it).
pub async fn delete_question(tx: &mut TenantTx, lesson: LessonId, id: QuestionId) -> sqlx::Result<bool> {
    let n = sqlx::query("delete from quiz_questions where tenant_id = $1 and lesson_id = $2 and id = $3")
        .bind(tx.tenant())
        .bind(lesson)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Writes the questions' positions in the order given.
pub async fn reorder_questions(tx: &mut TenantTx, lesson: LessonId, order: &[QuestionId]) -> sqlx::Result<()> {
    let ids: Vec<uuid::Uuid> = order.iter().map(|q| q.0).collect();
    sqlx::query(
        "update quiz_questions q set position = o.n - 1 from unnest($3::uuid[]) with ordinality as o(id, n)
         where q.tenant_id = $1 and q.lesson_id = $2 and q.id = o.id",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .bind(ids)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A student's attempts at a quiz, first to last.
pub async fn attempts(tx: &mut TenantTx, lesson: LessonId, user: UserId) -> sqlx::Result<Vec<Attempt>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ATTEMPT} from quiz_attempts where tenant_id = $1 and lesson_id = $2 and user_id = $3 order by number"
    )))
    .bind(tx.tenant())
    .bind(lesson)
    .bind(user)
    .fetch_all(&mut **tx)
    .await
}

/// One attempt, locked until the transaction ends (so two submits cannot both grade it).
pub async fn attempt_for_update(tx: &mut TenantTx, id: AttemptId) -> sqlx::Result<Option<Attempt>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ATTEMPT} from quiz_attempts where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Records a new attempt.
pub async fn insert_attempt(tx: &mut TenantTx, a: &Attempt) -> sqlx::Result<()> {
    sqlx::query(
        "insert into quiz_attempts (tenant_id, id, lesson_id, course_id, user_id, number, question_ids, layout,
                                    started_at, deadline)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(tx.tenant())
    .bind(a.id)
    .bind(a.lesson_id)
    .bind(a.course_id)
    .bind(a.user_id)
    .bind(a.number)
    .bind(&a.question_ids)
    .bind(&a.layout)
    .bind(a.started_at)
    .bind(a.deadline)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Keeps the answers of an open attempt so far.
pub async fn save_answers(
    tx: &mut TenantTx,
    id: AttemptId,
    saved: &std::collections::HashMap<String, Given>,
) -> sqlx::Result<bool> {
    let n =
        sqlx::query("update quiz_attempts set saved = $3 where tenant_id = $1 and id = $2 and submitted_at is null")
            .bind(tx.tenant())
            .bind(id)
            .bind(Json(saved))
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Closes an open attempt with its score; false if it was closed already.
pub async fn close_attempt(
    tx: &mut TenantTx,
    id: AttemptId,
    score: i32,
    passed: bool,
    timed_out: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update quiz_attempts set submitted_at = $3, score = $4, passed = $5, timed_out = $6
         where tenant_id = $1 and id = $2 and submitted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(now)
    .bind(score)
    .bind(passed)
    .bind(timed_out)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records one graded answer.
pub async fn insert_answer(
    tx: &mut TenantTx,
    attempt: AttemptId,
    question: QuestionId,
    given: &Given,
    credit: f64,
    correct: bool,
    summary: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into quiz_answers (tenant_id, attempt_id, question_id, answer, credit, correct, summary)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(attempt)
    .bind(question)
    .bind(Json(given))
    .bind(credit as f32)
    .bind(correct)
    .bind(summary)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One graded answer as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AnswerRow {
    /// The question.
    pub question_id: QuestionId,
    /// What the student gave.
    pub answer: Json<Given>,
    /// The share of points earned.
    pub credit: f32,
    /// Whether it earned every point.
    pub correct: bool,
}

/// The graded answers of an attempt.
pub async fn answers(tx: &mut TenantTx, attempt: AttemptId) -> sqlx::Result<Vec<AnswerRow>> {
    sqlx::query_as(
        "select question_id, answer, credit, correct from quiz_answers where tenant_id = $1 and attempt_id = $2",
    )
    .bind(tx.tenant())
    .bind(attempt)
    .fetch_all(&mut **tx)
    .await
}

/// Every submitted attempt at a quiz, newest first (for the statistics).
pub async fn submitted_attempts(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Vec<Attempt>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ATTEMPT} from quiz_attempts where tenant_id = $1 and lesson_id = $2 and submitted_at is not null
         order by submitted_at desc"
    )))
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}

/// Per question of a quiz: answers given, answers fully right, and the most frequent wrong
/// answer with its count.
pub async fn question_stats(
    tx: &mut TenantTx,
    lesson: LessonId,
) -> sqlx::Result<Vec<(QuestionId, i64, i64, Option<String>, Option<i64>)>> {
    sqlx::query_as(
        "select q.id, count(a.question_id), count(a.question_id) filter (where a.correct),
                w.summary, w.n
         from quiz_questions q
           left join quiz_answers a on a.tenant_id = q.tenant_id and a.question_id = q.id
           left join lateral (
             select summary, count(*) as n from quiz_answers x
             where x.tenant_id = q.tenant_id and x.question_id = q.id and not x.correct and x.summary is not null
             group by summary order by count(*) desc, summary limit 1) w on true
         where q.tenant_id = $1 and q.lesson_id = $2
         group by q.id, q.position, q.created_at, w.summary, w.n
         order by q.position, q.created_at",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}
