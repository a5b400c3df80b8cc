//! Taking a quiz: starting an attempt (drawing and shuffling its questions on the server) and
//! submitting it (grading on the server, once).
//!
//! Answers are saved as the student goes ([`save`], from the page's htmx), so a reload keeps
//! them. Time rule: an attempt of a timed quiz has a deadline, `started + limit` by the school's
//! clock. A submit that arrives no later than [`GRACE_SECONDS`] after it is graded as usual. A
//! later submit's answers are not taken: the attempt closes as timed out, graded with the
//! answers saved before the deadline (none saved: 0%); an attempt left open past its deadline
//! closes the same way when the student next opens the quiz or starts again.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use rand::seq::SliceRandom;
use serde_json::json;

use super::{
    grade::{self, Given},
    model::{Attempt, AttemptId, Question, Settings, Spec},
    store,
};
use crate::{
    model::Lesson,
    progress::{self, How},
};

/// Seconds after the deadline in which a submit still counts (the page's round trip).
pub const GRACE_SECONDS: i64 = 10;

/// Why a new attempt cannot start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The quiz has no questions yet.
    NoQuestions,
    /// The student used every attempt.
    NoAttemptsLeft,
}

/// Opens an attempt for `user`, or returns the one already open. Callers check access first.
pub async fn start(
    state: &AppState,
    tx: &mut TenantTx,
    lesson: &Lesson,
    user: UserId,
) -> anyhow::Result<Result<Attempt, Refusal>> {
    lock(tx, lesson, user).await?;
    let now = state.clock.now();
    expire_overdue(state, tx, lesson, user).await?;
    let attempts = store::attempts(tx, lesson.id, user).await?;
    if let Some(open) = attempts.iter().find(|a| a.is_open()) {
        return Ok(Ok(open.clone()));
    }
    let settings = store::settings(tx, lesson.id).await?;
    if settings.attempts_allowed.is_some_and(|max| attempts.len() >= max as usize) {
        return Ok(Err(Refusal::NoAttemptsLeft));
    }
    let questions = store::questions(tx, lesson.id).await?;
    if questions.is_empty() {
        return Ok(Err(Refusal::NoQuestions));
    }
    let (question_ids, layout) = draw(&settings, &questions);
    let attempt = Attempt {
        id: AttemptId::new(),
        lesson_id: lesson.id,
        course_id: lesson.course_id,
        user_id: user,
        number: attempts.len() as i32 + 1,
        question_ids,
        layout: sqlx::types::Json(layout),
        saved: sqlx::types::Json(HashMap::new()),
        started_at: now,
        deadline: settings.time_limit_minutes.map(|m| now + Duration::minutes(m.into())),
        submitted_at: None,
        timed_out: false,
        score: None,
        passed: None,
    };
    store::insert_attempt(tx, &attempt).await?;
    Ok(Ok(attempt))
}

/// Serialises starts and submits of one student at one quiz.
async fn lock(tx: &mut TenantTx, lesson: &Lesson, user: UserId) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtext($1))")
        .bind(format!("quiz:{}:{}:{}", tx.tenant(), lesson.id, user))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Draws the attempt's questions (the pool's N, or all) and lays out their options: shuffled
/// when the creator asks, and always for matching and ordering, whose stored order is the
/// answer. From three items on, an ordering that came out in the right order is shuffled on
/// (with two, refusing the right order would give it away).
fn draw(settings: &Settings, questions: &[Question]) -> (Vec<uuid::Uuid>, HashMap<String, Vec<String>>) {
    let mut rng = rand::rng();
    let mut drawn: Vec<&Question> = questions.iter().collect();
    if let Some(n) = settings.pool_size.map(|n| n.max(1) as usize).filter(|n| *n < drawn.len()) {
        drawn.shuffle(&mut rng);
        drawn.truncate(n);
        drawn.sort_by_key(|q| q.position);
    }
    if settings.shuffle_questions {
        drawn.shuffle(&mut rng);
    }
    let mut layout = HashMap::new();
    for q in &drawn {
        let mut ids = q.spec.option_ids();
        let always = matches!(q.spec, Spec::Matching { .. } | Spec::Ordering { .. });
        if always || settings.shuffle_answers {
            let stored = ids.clone();
            ids.shuffle(&mut rng);
            let ordering = matches!(q.spec, Spec::Ordering { .. });
            while ordering && ids.len() > 2 && ids == stored {
                ids.shuffle(&mut rng);
            }
        }
        layout.insert(q.id.to_string(), ids);
    }
    (drawn.iter().map(|q| q.id.0).collect(), layout)
}

/// What a submit did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Graded now.
    Graded {
        /// 0–100.
        score: i32,
        /// Whether it passed.
        passed: bool,
    },
    /// It came after the deadline and its grace: the submitted answers were not taken; the
    /// attempt closed as timed out, graded with the answers saved before.
    TimedOut,
    /// The attempt was already submitted; nothing changed.
    AlreadySubmitted,
}

/// The student's open attempt named `attempt`, locked; `Err` with what to answer otherwise.
async fn open_attempt(
    tx: &mut TenantTx,
    lesson: &Lesson,
    user: UserId,
    attempt: AttemptId,
) -> anyhow::Result<Result<Attempt, Option<Outcome>>> {
    lock(tx, lesson, user).await?;
    let Some(attempt) = store::attempt_for_update(tx, attempt).await? else { return Ok(Err(None)) };
    if attempt.user_id != user || attempt.lesson_id != lesson.id {
        return Ok(Err(None));
    }
    if !attempt.is_open() {
        return Ok(Err(Some(Outcome::AlreadySubmitted)));
    }
    Ok(Ok(attempt))
}

/// Grades and closes `attempt` with the submitted form's fields. Fields for questions not in the
/// attempt are ignored. Passing completes the lesson (once); `quiz.passed` or `quiz.failed` is
/// published. `None` when the attempt is not this student's at this quiz.
pub async fn submit(
    state: &AppState,
    tx: &mut TenantTx,
    lesson: &Lesson,
    user: UserId,
    attempt: AttemptId,
    fields: &[(String, String)],
) -> anyhow::Result<Option<Outcome>> {
    let attempt = match open_attempt(tx, lesson, user, attempt).await? {
        Ok(a) => a,
        Err(outcome) => return Ok(outcome),
    };
    let now = state.clock.now();
    if overdue(&attempt, now) {
        close(state, tx, lesson, &attempt, |_| None, true).await?;
        return Ok(Some(Outcome::TimedOut));
    }
    let (score, passed) = close(state, tx, lesson, &attempt, |q| Some(given_for(fields, q)), false).await?;
    Ok(Some(Outcome::Graded { score, passed }))
}

/// Keeps what the student answered so far in an open attempt (only for its own questions).
/// `Some(false)` when the attempt is closed or its time is up; `None` when it is not theirs.
pub async fn save(
    state: &AppState,
    tx: &mut TenantTx,
    lesson: &Lesson,
    user: UserId,
    attempt: AttemptId,
    fields: &[(String, String)],
) -> anyhow::Result<Option<bool>> {
    let attempt = match open_attempt(tx, lesson, user, attempt).await? {
        Ok(a) => a,
        Err(None) => return Ok(None),
        Err(Some(_)) => return Ok(Some(false)),
    };
    if overdue(&attempt, state.clock.now()) {
        return Ok(Some(false));
    }
    let saved: HashMap<String, Given> = attempt
        .question_ids
        .iter()
        .map(|id| (id.to_string(), given_for(fields, &id.to_string())))
        .filter(|(_, g)| !g.is_blank())
        .collect();
    Ok(Some(store::save_answers(tx, attempt.id, &saved).await?))
}

/// Grades the attempt's questions with `answer_to` (by question id; `None` falls back to the
/// saved answer), records each answer, closes the attempt, completes the lesson on a pass and
/// publishes the event. Returns the score and whether it passed.
async fn close(
    state: &AppState,
    tx: &mut TenantTx,
    lesson: &Lesson,
    attempt: &Attempt,
    answer_to: impl Fn(&str) -> Option<Given>,
    timed_out: bool,
) -> anyhow::Result<(i32, bool)> {
    let questions = store::questions(tx, lesson.id).await?;
    let settings = store::settings(tx, lesson.id).await?;
    let mut graded = vec![];
    for id in &attempt.question_ids {
        // A question deleted since the attempt started no longer counts.
        let Some(q) = questions.iter().find(|q| q.id.0 == *id) else { continue };
        let key = q.id.to_string();
        let given = answer_to(&key).unwrap_or_else(|| attempt.saved.0.get(&key).cloned().unwrap_or_default());
        let g = grade::grade(&q.spec, &given);
        store::insert_answer(tx, attempt.id, q.id, &given, g.credit, g.correct(), g.summary.as_deref()).await?;
        graded.push((q.points, g.credit));
    }
    let score = grade::score(&graded);
    let passed = score >= settings.passing_percent;
    if !store::close_attempt(tx, attempt.id, score, passed, timed_out, state.clock.now()).await? {
        return Ok((score, passed));
    }
    if passed {
        progress::complete_lesson(state, tx, attempt.user_id, lesson, How::Quiz).await?;
    }
    publish(state, tx, attempt, score, passed).await?;
    Ok((score, passed))
}

/// The student's answer to one question among a form's fields.
pub fn given_for(fields: &[(String, String)], question: &str) -> Given {
    let name = format!("q.{question}");
    let mut given = Given::default();
    for (key, value) in fields {
        if *key == name {
            given.values.push(value.clone());
        } else if let Some(rest) = key.strip_prefix(&name).and_then(|r| r.strip_prefix('.')) {
            given.keyed.insert(rest.to_string(), value.clone());
        }
    }
    given
}

fn overdue(attempt: &Attempt, now: DateTime<Utc>) -> bool {
    attempt.deadline.is_some_and(|d| now > d + Duration::seconds(GRACE_SECONDS))
}

/// Closes the student's open attempts at this quiz whose time ran out, graded with the answers
/// they saved.
pub async fn expire_overdue(state: &AppState, tx: &mut TenantTx, lesson: &Lesson, user: UserId) -> anyhow::Result<()> {
    let now = state.clock.now();
    for attempt in store::attempts(tx, lesson.id, user).await? {
        if attempt.is_open() && overdue(&attempt, now) {
            lock(tx, lesson, user).await?;
            if let Some(locked) = store::attempt_for_update(tx, attempt.id).await?.filter(Attempt::is_open) {
                close(state, tx, lesson, &locked, |_| None, true).await?;
            }
        }
    }
    Ok(())
}

async fn publish(
    state: &AppState,
    tx: &mut TenantTx,
    attempt: &Attempt,
    score: i32,
    passed: bool,
) -> anyhow::Result<()> {
    let kind = if passed { "quiz.passed" } else { "quiz.failed" };
    state
        .events
        .publish(
            tx,
            kind,
            json!({ "user_id": attempt.user_id, "lesson_id": attempt.lesson_id, "course_id": attempt.course_id,
                    "quiz_attempt_id": attempt.id, "score": score, "passed": passed }),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        model::LessonId,
        quiz::model::{Item, QuestionId},
    };

    fn ordering(n: usize) -> Question {
        Question {
            id: QuestionId::new(),
            lesson_id: LessonId::new(),
            position: 0,
            prompt: "Order".into(),
            points: 1,
            explanation_html: String::new(),
            spec: Spec::Ordering {
                items: (0..n).map(|i| Item { id: format!("i{i}"), text: format!("Item {i}") }).collect(),
            },
        }
    }

    #[test]
    fn an_ordering_question_of_three_or_more_is_never_shown_in_its_right_order() {
        let q = ordering(3);
        let right: Vec<String> = (0..3).map(|i| format!("i{i}")).collect();
        for _ in 0..50 {
            let (_, layout) = draw(&Settings::default(), std::slice::from_ref(&q));
            let shown = &layout[&q.id.to_string()];
            assert_ne!(*shown, right);
            let mut sorted = shown.clone();
            sorted.sort();
            assert_eq!(sorted, right, "the same items");
        }
    }

    #[test]
    fn a_pool_draws_n_questions() {
        let qs: Vec<_> = (0..5).map(|_| ordering(3)).collect();
        let settings = Settings { pool_size: Some(2), ..Settings::default() };
        let (ids, layout) = draw(&settings, &qs);
        assert_eq!(ids.len(), 2);
        assert_eq!(layout.len(), 2);
    }

    #[test]
    fn answers_are_read_from_their_question_fields_only() {
        let fields: Vec<(String, String)> =
            [("q.a", "x"), ("q.a", "y"), ("q.a.left", "r"), ("q.ab", "no"), ("q.b", "z")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let given = given_for(&fields, "a");
        assert_eq!(given.values, vec!["x", "y"]);
        assert_eq!(given.keyed.get("left").map(String::as_str), Some("r"));
        assert_eq!(given.keyed.len(), 1);
    }
}
