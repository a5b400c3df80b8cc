//! A quiz's statistics for staff: how many attempts, how many passed, the average score, and per
//! question how often it was answered right and the wrong answer given most often.

use kernel::db::TenantTx;
use serde::Serialize;

use super::{
    model::{Attempt, Spec},
    store,
};
use crate::model::LessonId;

/// The quiz as a whole.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Submitted attempts.
    pub attempts: usize,
    /// Students who made at least one.
    pub students: usize,
    /// Share of attempts that passed, 0–100.
    pub pass_rate: Option<u32>,
    /// Average score, 0–100.
    pub average: Option<u32>,
}

/// One question's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionStats {
    /// 1-based, in the quiz's order.
    pub number: usize,
    /// The question.
    pub prompt: String,
    /// Its kind.
    pub kind: &'static str,
    /// Times answered.
    pub answered: i64,
    /// Share of answers fully right, 0–100 (the lower, the harder).
    pub correct_percent: Option<u32>,
    /// The wrong answer given most often, and how often.
    pub top_wrong: Option<(String, i64)>,
}

/// Computes the summary of submitted attempts.
pub fn summary(attempts: &[Attempt]) -> Summary {
    let n = attempts.len();
    if n == 0 {
        return Summary::default();
    }
    let passed = attempts.iter().filter(|a| a.passed == Some(true)).count();
    let total: i64 = attempts.iter().map(|a| i64::from(a.score.unwrap_or(0))).sum();
    let mut students: Vec<_> = attempts.iter().map(|a| a.user_id).collect();
    students.sort_by_key(|u| u.0);
    students.dedup();
    Summary {
        attempts: n,
        students: students.len(),
        pass_rate: Some(((passed * 100) as f64 / n as f64).round() as u32),
        average: Some(((total as f64) / n as f64).round() as u32),
    }
}

/// Per question of the quiz, in order. `yes`/`no` name true and false in the viewer's language.
pub async fn questions(tx: &mut TenantTx, lesson: LessonId, yes: &str, no: &str) -> sqlx::Result<Vec<QuestionStats>> {
    let questions = store::questions(tx, lesson).await?;
    let rows = store::question_stats(tx, lesson).await?;
    Ok(questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let row = rows.iter().find(|r| r.0 == q.id);
            let (answered, right) = row.map_or((0, 0), |r| (r.1, r.2));
            let top_wrong = row.and_then(|r| Some((r.3.clone()?, r.4?))).map(|(s, n)| {
                let label = match (&q.spec, s.as_str()) {
                    (Spec::TrueFalse { .. }, "true") => yes.to_string(),
                    (Spec::TrueFalse { .. }, "false") => no.to_string(),
                    _ => s,
                };
                (label, n)
            });
            QuestionStats {
                number: i + 1,
                prompt: q.prompt.clone(),
                kind: q.spec.kind(),
                answered,
                correct_percent: (answered > 0).then(|| (right * 100 / answered) as u32),
                top_wrong,
            }
        })
        .collect())
}
