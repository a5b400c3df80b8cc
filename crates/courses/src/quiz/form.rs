//! The question editor's form: what the creator typed, kept as typed for a form that failed,
//! and turned into a [`Spec`] with a clear message per field when it does not make sense.
//!
//! Fields: `kind`, `prompt`, `points`, `explanation`; rows `row.{i}.id`, `row.{i}.text`,
//! `row.{i}.right_id`, `row.{i}.right` (choices, pairs or items, in order); `correct` (the
//! indexes of right choices); `partial`, `answer` (true/false or the number), `tolerance`,
//! `accepted` (one answer a line), `case_sensitive`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    grade::parse_number,
    model::{Choice, Item, Pair, Question, QuestionId, Spec, new_option_id},
};
use crate::model::LessonId;

/// One row of choices, pairs or items as typed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Row {
    /// The kept random id (empty for a new row).
    pub id: String,
    /// The choice, left item or item.
    pub text: String,
    /// A matching pair's right item's id.
    pub right_id: String,
    /// A matching pair's right item.
    pub right: String,
    /// Whether a choice is marked right.
    pub correct: bool,
}

/// The question form as typed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QuestionForm {
    /// The kind (see [`super::model::KINDS`]).
    pub kind: String,
    /// The question.
    pub prompt: String,
    /// Points, as typed.
    pub points: String,
    /// The explanation (HTML or plain text).
    pub explanation: String,
    /// Choices, pairs or items.
    pub rows: Vec<Row>,
    /// Partial credit (multiple choice).
    pub partial: bool,
    /// True/false ("true"/"false") or the number, as typed.
    pub answer: String,
    /// Numeric tolerance, as typed.
    pub tolerance: String,
    /// Accepted answers, one a line.
    pub accepted: String,
    /// Whether case matters (short text).
    pub case_sensitive: bool,
}

/// Rows a new question offers, and at least how many the form shows.
const MIN_ROWS: usize = 4;

impl QuestionForm {
    /// A blank form for a new question of `kind`.
    pub fn blank(kind: &str) -> Self {
        let mut f = Self { kind: kind.into(), points: "1".into(), answer: "true".into(), ..Self::default() };
        if kind == "numeric" {
            f.answer.clear();
            f.tolerance = "0".into();
        }
        f.pad(0);
        f
    }

    /// The form for an existing question.
    pub fn from_question(q: &Question) -> Self {
        let mut f = Self {
            kind: q.spec.kind().into(),
            prompt: q.prompt.clone(),
            points: q.points.to_string(),
            explanation: q.explanation_html.clone(),
            ..Self::default()
        };
        match &q.spec {
            Spec::Single { choices } | Spec::Multiple { choices, .. } => {
                f.rows = choices
                    .iter()
                    .map(|c| Row { id: c.id.clone(), text: c.text.clone(), correct: c.correct, ..Row::default() })
                    .collect();
                f.partial = matches!(q.spec, Spec::Multiple { partial: true, .. });
            }
            Spec::TrueFalse { answer } => f.answer = answer.to_string(),
            Spec::Short { accepted, case_sensitive } => {
                f.accepted = accepted.join("\n");
                f.case_sensitive = *case_sensitive;
            }
            Spec::Numeric { answer, tolerance } => {
                f.answer = answer.to_string();
                f.tolerance = tolerance.to_string();
            }
            Spec::Matching { pairs } => {
                f.rows = pairs
                    .iter()
                    .map(|p| Row {
                        id: p.id.clone(),
                        text: p.left.clone(),
                        right_id: p.right_id.clone(),
                        right: p.right.clone(),
                        correct: false,
                    })
                    .collect();
            }
            Spec::Ordering { items } => {
                f.rows =
                    items.iter().map(|i| Row { id: i.id.clone(), text: i.text.clone(), ..Row::default() }).collect();
            }
        }
        f.pad(0);
        f
    }

    /// Reads the posted fields.
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut f = Self::default();
        let mut rows: BTreeMap<usize, Row> = BTreeMap::new();
        let mut correct = vec![];
        for (key, value) in fields {
            match key.as_str() {
                "kind" => f.kind = value.clone(),
                "prompt" => f.prompt = value.clone(),
                "points" => f.points = value.clone(),
                "explanation" => f.explanation = value.clone(),
                "partial" => f.partial = true,
                "answer" => f.answer = value.clone(),
                "tolerance" => f.tolerance = value.clone(),
                "accepted" => f.accepted = value.clone(),
                "case_sensitive" => f.case_sensitive = true,
                "correct" => correct.extend(value.parse::<usize>().ok()),
                _ => {
                    let Some((index, field)) = key.strip_prefix("row.").and_then(|r| r.split_once('.')) else {
                        continue;
                    };
                    let Ok(index) = index.parse::<usize>() else { continue };
                    if index >= 200 {
                        continue;
                    }
                    let row = rows.entry(index).or_default();
                    match field {
                        "id" => row.id = value.clone(),
                        "text" => row.text = value.clone(),
                        "right_id" => row.right_id = value.clone(),
                        "right" => row.right = value.clone(),
                        _ => {}
                    }
                }
            }
        }
        for i in correct {
            if let Some(row) = rows.get_mut(&i) {
                row.correct = true;
            }
        }
        f.rows = rows.into_values().collect();
        f
    }

    /// Drops empty rows and adds blank ones: up to the form's minimum and one spare, or with
    /// `extra`, that many more than the form showed.
    pub fn pad(&mut self, extra: usize) {
        let shown = self.rows.len().max(MIN_ROWS);
        self.rows.retain(|r| !r.text.trim().is_empty() || !r.right.trim().is_empty());
        let filled = self.rows.len();
        let want = if extra > 0 { shown.max(filled) + extra } else { MIN_ROWS.max(filled + 1) };
        while self.rows.len() < want {
            self.rows.push(Row::default());
        }
    }

    /// The question, or the message for each field that does not make sense (as Fluent keys).
    pub fn parse(&self, id: QuestionId, lesson: LessonId) -> Result<Question, BTreeMap<&'static str, &'static str>> {
        let mut errors = BTreeMap::new();
        let prompt = self.prompt.trim();
        if prompt.is_empty() {
            errors.insert("prompt", "quiz-error-prompt");
        } else if prompt.chars().count() > 2000 {
            errors.insert("prompt", "quiz-error-prompt-long");
        }
        let points = match self.points.trim().parse::<i32>() {
            Ok(p) if (1..=100).contains(&p) => p,
            _ => {
                errors.insert("points", "quiz-error-points");
                1
            }
        };
        if self.explanation.len() > 20_000 {
            errors.insert("explanation", "quiz-error-explanation-long");
        }
        let filled: Vec<&Row> =
            self.rows.iter().filter(|r| !r.text.trim().is_empty() || !r.right.trim().is_empty()).collect();
        let id_of = |s: &str| if s.trim().is_empty() { new_option_id() } else { s.trim().chars().take(32).collect() };
        let spec = match self.kind.as_str() {
            "single" | "multiple" => {
                let choices: Vec<Choice> = filled
                    .iter()
                    .map(|r| Choice { id: id_of(&r.id), text: r.text.trim().into(), correct: r.correct })
                    .collect();
                let right = choices.iter().filter(|c| c.correct).count();
                if choices.len() < 2 {
                    errors.insert("rows", "quiz-error-choices-few");
                } else if right == 0 {
                    errors.insert("rows", "quiz-error-choices-correct");
                } else if self.kind == "single" && right > 1 {
                    errors.insert("rows", "quiz-error-single-one");
                }
                if self.kind == "single" {
                    Spec::Single { choices }
                } else {
                    Spec::Multiple { choices, partial: self.partial }
                }
            }
            "true_false" => match self.answer.as_str() {
                "true" | "false" => Spec::TrueFalse { answer: self.answer == "true" },
                _ => {
                    errors.insert("answer", "quiz-error-true-false");
                    Spec::TrueFalse { answer: true }
                }
            },
            "short" => {
                let accepted: Vec<String> =
                    self.accepted.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
                if accepted.is_empty() {
                    errors.insert("accepted", "quiz-error-accepted");
                }
                Spec::Short { accepted, case_sensitive: self.case_sensitive }
            }
            "numeric" => {
                let answer = parse_number(&self.answer).unwrap_or_else(|| {
                    errors.insert("answer", "quiz-error-number");
                    0.0
                });
                let tolerance =
                    if self.tolerance.trim().is_empty() { Some(0.0) } else { parse_number(&self.tolerance) };
                let tolerance = match tolerance {
                    Some(t) if t >= 0.0 => t,
                    _ => {
                        errors.insert("tolerance", "quiz-error-tolerance");
                        0.0
                    }
                };
                Spec::Numeric { answer, tolerance }
            }
            "matching" => {
                if filled.iter().any(|r| r.text.trim().is_empty() || r.right.trim().is_empty()) {
                    errors.insert("rows", "quiz-error-pair-half");
                } else if filled.len() < 2 {
                    errors.insert("rows", "quiz-error-pairs");
                }
                let pairs = filled
                    .iter()
                    .map(|r| Pair {
                        id: id_of(&r.id),
                        left: r.text.trim().into(),
                        right_id: id_of(&r.right_id),
                        right: r.right.trim().into(),
                    })
                    .collect();
                Spec::Matching { pairs }
            }
            "ordering" => {
                if filled.len() < 2 {
                    errors.insert("rows", "quiz-error-items");
                }
                Spec::Ordering {
                    items: filled.iter().map(|r| Item { id: id_of(&r.id), text: r.text.trim().into() }).collect(),
                }
            }
            _ => {
                errors.insert("kind", "quiz-error-kind");
                Spec::TrueFalse { answer: true }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Question {
            id,
            lesson_id: lesson,
            position: 0,
            prompt: prompt.into(),
            points,
            explanation_html: explanation_html(&self.explanation),
            spec,
        })
    }
}

/// The explanation as safe HTML: typed HTML is sanitised; plain text becomes paragraphs.
pub fn explanation_html(typed: &str) -> String {
    let typed = typed.trim();
    if typed.contains('<') {
        return kernel::html::sanitize(typed);
    }
    let paragraphs: Vec<String> = typed
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("<p>{}</p>", escaped.replace('\n', "<br>"))
        })
        .collect();
    kernel::html::sanitize(&paragraphs.join(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn errors_of(v: &[(&str, &str)]) -> BTreeMap<&'static str, &'static str> {
        QuestionForm::from_fields(&fields(v)).parse(QuestionId::new(), LessonId::new()).unwrap_err()
    }

    #[test]
    fn a_choice_question_needs_two_choices_and_a_right_one() {
        let base = [("kind", "single"), ("prompt", "Capital of France?"), ("points", "1")];
        let one = [&base[..], &[("row.0.text", "Paris"), ("correct", "0")]].concat();
        assert_eq!(errors_of(&one)["rows"], "quiz-error-choices-few");
        let none = [&base[..], &[("row.0.text", "Paris"), ("row.1.text", "Rome")]].concat();
        assert_eq!(errors_of(&none)["rows"], "quiz-error-choices-correct");
        let two = [&base[..], &[("row.0.text", "Paris"), ("row.1.text", "Rome"), ("correct", "0"), ("correct", "1")]]
            .concat();
        assert_eq!(errors_of(&two)["rows"], "quiz-error-single-one");
        let ok = [&base[..], &[("row.0.text", "Paris"), ("row.1.text", ""), ("row.2.text", "Rome"), ("correct", "0")]]
            .concat();
        let q = QuestionForm::from_fields(&fields(&ok)).parse(QuestionId::new(), LessonId::new()).unwrap();
        let Spec::Single { choices } = q.spec else { panic!("single") };
        assert_eq!(choices.len(), 2);
        assert!(choices[0].correct && !choices[1].correct);
        assert!(choices[0].id != choices[1].id);
    }

    #[test]
    fn other_kinds_say_what_is_missing() {
        assert_eq!(
            errors_of(&[("kind", "short"), ("prompt", "x"), ("points", "1")])["accepted"],
            "quiz-error-accepted"
        );
        assert_eq!(
            errors_of(&[("kind", "numeric"), ("prompt", "x"), ("points", "1"), ("answer", "ten")])["answer"],
            "quiz-error-number"
        );
        assert_eq!(
            errors_of(&[("kind", "numeric"), ("prompt", "x"), ("points", "1"), ("answer", "1"), ("tolerance", "-1")])["tolerance"],
            "quiz-error-tolerance"
        );
        assert_eq!(
            errors_of(&[
                ("kind", "matching"),
                ("prompt", "x"),
                ("points", "1"),
                ("row.0.text", "a"),
                ("row.0.right", "b"),
                ("row.1.text", "c")
            ])["rows"],
            "quiz-error-pair-half"
        );
        assert_eq!(
            errors_of(&[("kind", "ordering"), ("prompt", "x"), ("points", "1"), ("row.0.text", "a")])["rows"],
            "quiz-error-items"
        );
        let e = errors_of(&[("kind", "true_false"), ("prompt", " "), ("points", "0"), ("answer", "true")]);
        assert_eq!((e["prompt"], e["points"]), ("quiz-error-prompt", "quiz-error-points"));
    }

    #[test]
    fn an_explanation_is_safe_html() {
        assert_eq!(explanation_html("One <b>bold</b><script>x()</script>"), "One <b>bold</b>");
        assert_eq!(explanation_html("Line & one\nLine two\n\nNext"), "<p>Line &amp; one<br>Line two</p><p>Next</p>");
    }
}
