//! What the student's page shows of a quiz. [`Ask`] is a question as asked: its prompt and its
//! options in the attempt's order, and nothing from which the answer follows (no flags, no
//! stored order). [`Feedback`] is a graded question after submit, with the right answer only
//! when the quiz's setting allows it.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    grade::Given,
    model::{Attempt, Question, Spec},
};

/// An option as shown: its opaque id and its text.
#[derive(Clone, Debug, Serialize)]
pub struct Shown {
    /// The id the form sends back.
    pub id: String,
    /// The text.
    pub text: String,
}

/// A question as asked in an open attempt.
#[derive(Clone, Debug, Serialize)]
pub struct Ask {
    /// The question's id (the form field is `q.{id}`).
    pub id: String,
    /// 1-based, in the attempt's order.
    pub number: usize,
    /// The question.
    pub prompt: String,
    /// What it is worth.
    pub points: i32,
    /// Its kind.
    pub kind: &'static str,
    /// Choices, the right side of pairs, or the items to order, in the attempt's order.
    pub options: Vec<Shown>,
    /// The left side of pairs (matching only), in the stored order.
    pub lefts: Vec<Shown>,
    /// What the student saved for it so far (their own answer, to fill the form in again).
    pub given: Given,
}

/// The questions of an open attempt as asked.
pub fn asked(attempt: &Attempt, questions: &[Question]) -> Vec<Ask> {
    let mut out = vec![];
    for id in &attempt.question_ids {
        let Some(q) = questions.iter().find(|q| q.id.0 == *id) else { continue };
        let order = attempt.layout.0.get(&q.id.to_string()).cloned().unwrap_or_default();
        let texts = option_texts(&q.spec);
        let options =
            order.iter().filter_map(|id| texts.get(id).map(|t| Shown { id: id.clone(), text: t.clone() })).collect();
        let lefts = match &q.spec {
            Spec::Matching { pairs } => {
                pairs.iter().map(|p| Shown { id: p.id.clone(), text: p.left.clone() }).collect()
            }
            _ => vec![],
        };
        out.push(Ask {
            id: q.id.to_string(),
            number: out.len() + 1,
            prompt: q.prompt.clone(),
            points: q.points,
            kind: q.spec.kind(),
            options,
            lefts,
            given: attempt.saved.0.get(&q.id.to_string()).cloned().unwrap_or_default(),
        });
    }
    out
}

fn option_texts(spec: &Spec) -> HashMap<String, String> {
    match spec {
        Spec::Single { choices } | Spec::Multiple { choices, .. } => {
            choices.iter().map(|c| (c.id.clone(), c.text.clone())).collect()
        }
        Spec::Matching { pairs } => pairs.iter().map(|p| (p.right_id.clone(), p.right.clone())).collect(),
        Spec::Ordering { items } => items.iter().map(|i| (i.id.clone(), i.text.clone())).collect(),
        _ => HashMap::new(),
    }
}

/// A graded question of a submitted attempt.
#[derive(Clone, Debug, Serialize)]
pub struct Feedback {
    /// 1-based.
    pub number: usize,
    /// The question.
    pub prompt: String,
    /// Whether the answer earned every point.
    pub correct: bool,
    /// Whether it earned some but not all.
    pub partly: bool,
    /// What the student answered, line by line.
    pub given: Vec<String>,
    /// The right answer, line by line (empty unless answers are shown).
    pub right: Vec<String>,
    /// Sanitised explanation (empty unless answers are shown).
    pub explanation_html: String,
}

/// Words for true and false in the viewer's language.
pub struct Words {
    /// "True".
    pub yes: String,
    /// "False".
    pub no: String,
}

/// The feedback on each question of a submitted attempt; `reveal` adds the right answers and
/// explanations.
pub fn feedback(
    attempt: &Attempt,
    questions: &[Question],
    answers: &[(uuid::Uuid, Given, bool, f32)],
    reveal: bool,
    words: &Words,
) -> Vec<Feedback> {
    let mut out = vec![];
    for id in &attempt.question_ids {
        let Some(q) = questions.iter().find(|q| q.id.0 == *id) else { continue };
        let found = answers.iter().find(|a| a.0 == *id);
        let (given, correct, credit) = match found {
            Some((_, g, c, cr)) => (g.clone(), *c, *cr),
            None => (Given::default(), false, 0.0),
        };
        out.push(Feedback {
            number: out.len() + 1,
            prompt: q.prompt.clone(),
            correct,
            partly: !correct && credit > 0.0,
            given: given_lines(&q.spec, &given, words),
            right: if reveal { right_lines(&q.spec, words) } else { vec![] },
            explanation_html: if reveal { kernel::html::sanitize(&q.explanation_html) } else { String::new() },
        });
    }
    out
}

fn given_lines(spec: &Spec, given: &Given, words: &Words) -> Vec<String> {
    let first = given.values.first().map(|v| v.trim().to_string()).unwrap_or_default();
    match spec {
        Spec::Single { choices } | Spec::Multiple { choices, .. } => {
            choices.iter().filter(|c| given.values.contains(&c.id)).map(|c| c.text.clone()).collect()
        }
        Spec::TrueFalse { .. } => match first.as_str() {
            "true" => vec![words.yes.clone()],
            "false" => vec![words.no.clone()],
            _ => vec![],
        },
        Spec::Short { .. } | Spec::Numeric { .. } => vec![first].into_iter().filter(|s| !s.is_empty()).collect(),
        Spec::Matching { pairs } => pairs
            .iter()
            .filter_map(|p| {
                let picked = given.keyed.get(&p.id)?;
                let right = pairs.iter().find(|q| q.right_id == *picked)?;
                Some(format!("{} → {}", p.left, right.right))
            })
            .collect(),
        Spec::Ordering { items } => {
            let mut placed: Vec<_> = items
                .iter()
                .filter_map(|i| Some((given.keyed.get(&i.id)?.trim().parse::<usize>().ok()?, i.text.clone())))
                .collect();
            placed.sort();
            placed.into_iter().map(|(n, t)| format!("{n}. {t}")).collect()
        }
    }
}

fn right_lines(spec: &Spec, words: &Words) -> Vec<String> {
    match spec {
        Spec::Single { choices } | Spec::Multiple { choices, .. } => {
            choices.iter().filter(|c| c.correct).map(|c| c.text.clone()).collect()
        }
        Spec::TrueFalse { answer } => vec![if *answer { words.yes.clone() } else { words.no.clone() }],
        Spec::Short { accepted, .. } => vec![accepted.join(" / ")],
        Spec::Numeric { answer, tolerance } if *tolerance > 0.0 => vec![format!("{answer} ± {tolerance}")],
        Spec::Numeric { answer, .. } => vec![answer.to_string()],
        Spec::Matching { pairs } => pairs.iter().map(|p| format!("{} → {}", p.left, p.right)).collect(),
        Spec::Ordering { items } => items.iter().enumerate().map(|(i, t)| format!("{}. {}", i + 1, t.text)).collect(),
    }
}
