//! Grading, on the server only: what a student gave for a question against its [`Spec`].
//!
//! Credit is a share of the question's points, from 0 to 1:
//! - single choice, true/false, short text, numeric and ordering are right or wrong;
//! - multiple choice is right when exactly the correct choices are picked; with partial credit
//!   each correct pick earns its share and each wrong pick takes one back (never below 0);
//! - matching earns the share of pairs matched right.
//!
//! The score is the share of the attempt's points earned, 0–100, rounded down, so a quiz that
//! needs 70% is never passed with 69.5%.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::Spec;

/// What a student gave for one question: `values` from fields named `q.{question}` (a choice,
/// several choices, a text or a number), `keyed` from fields named `q.{question}.{key}` (a
/// matching's left item → the right item picked, an ordering's item → its position).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Given {
    /// Plain values.
    #[serde(default)]
    pub values: Vec<String>,
    /// Values keyed by an item's id.
    #[serde(default)]
    pub keyed: BTreeMap<String, String>,
}

impl Given {
    /// Whether the student left the question blank.
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|v| v.trim().is_empty()) && self.keyed.values().all(|v| v.trim().is_empty())
    }

    fn first(&self) -> &str {
        self.values.first().map(|v| v.trim()).unwrap_or_default()
    }
}

/// The grade of one answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    /// The share of the question's points earned, 0–1.
    pub credit: f64,
    /// What the student answered, in words, when it was not fully right (for the statistics'
    /// most-chosen wrong answer); `None` when right or blank.
    pub summary: Option<String>,
}

impl Graded {
    /// Whether the answer earned every point.
    pub fn correct(&self) -> bool {
        self.credit >= 1.0 - 1e-9
    }
}

/// Grades what the student gave for a question.
pub fn grade(spec: &Spec, given: &Given) -> Graded {
    let credit = credit(spec, given);
    let summary = if credit >= 1.0 - 1e-9 || given.is_blank() { None } else { summary(spec, given) };
    Graded { credit: credit.clamp(0.0, 1.0), summary }
}

fn credit(spec: &Spec, given: &Given) -> f64 {
    match spec {
        Spec::Single { choices } => {
            let picked = given.first();
            f64::from(u8::from(choices.iter().any(|c| c.correct && c.id == picked)))
        }
        Spec::Multiple { choices, partial } => {
            let picked = |id: &str| given.values.iter().any(|v| v == id);
            let right = choices.iter().filter(|c| c.correct).count();
            let hits = choices.iter().filter(|c| c.correct && picked(&c.id)).count();
            let misses = choices.iter().filter(|c| !c.correct && picked(&c.id)).count();
            if right == 0 {
                0.0
            } else if hits == right && misses == 0 {
                1.0
            } else if *partial {
                (hits as f64 - misses as f64).max(0.0) / right as f64
            } else {
                0.0
            }
        }
        Spec::TrueFalse { answer } => match given.first() {
            "true" => f64::from(u8::from(*answer)),
            "false" => f64::from(u8::from(!*answer)),
            _ => 0.0,
        },
        Spec::Short { accepted, case_sensitive } => {
            let typed = normalize(given.first(), *case_sensitive);
            let ok = !typed.is_empty() && accepted.iter().any(|a| normalize(a, *case_sensitive) == typed);
            f64::from(u8::from(ok))
        }
        Spec::Numeric { answer, tolerance } => match parse_number(given.first()) {
            Some(x) if (x - answer).abs() <= tolerance.abs() + 1e-9 * answer.abs().max(1.0) => 1.0,
            _ => 0.0,
        },
        Spec::Matching { pairs } => {
            if pairs.is_empty() {
                return 0.0;
            }
            let right = pairs.iter().filter(|p| given.keyed.get(&p.id).is_some_and(|r| *r == p.right_id)).count();
            right as f64 / pairs.len() as f64
        }
        Spec::Ordering { items } => {
            let in_place = items
                .iter()
                .enumerate()
                .all(|(i, item)| given.keyed.get(&item.id).and_then(|p| p.trim().parse::<usize>().ok()) == Some(i + 1));
            f64::from(u8::from(!items.is_empty() && in_place))
        }
    }
}

/// Trims, joins runs of spaces, and folds case unless it matters.
fn normalize(s: &str, case_sensitive: bool) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive { joined } else { joined.to_lowercase() }
}

/// A number as people type it: `3.5`, `3,5`, ` 1 000 `.
pub fn parse_number(s: &str) -> Option<f64> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let dotted = if compact.contains('.') { compact } else { compact.replace(',', ".") };
    dotted.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn summary(spec: &Spec, given: &Given) -> Option<String> {
    Some(match spec {
        Spec::Single { choices } | Spec::Multiple { choices, .. } => {
            let picked: Vec<_> =
                choices.iter().filter(|c| given.values.contains(&c.id)).map(|c| c.text.as_str()).collect();
            if picked.is_empty() {
                return None;
            }
            picked.join(" + ")
        }
        Spec::TrueFalse { .. } => given.first().to_string(),
        Spec::Short { case_sensitive, .. } => normalize(given.first(), *case_sensitive),
        Spec::Numeric { .. } => given.first().to_string(),
        Spec::Matching { pairs } => pairs
            .iter()
            .filter_map(|p| {
                let picked = given.keyed.get(&p.id)?;
                let right = pairs.iter().find(|q| q.right_id == *picked)?;
                (right.right_id != p.right_id).then(|| format!("{} → {}", p.left, right.right))
            })
            .collect::<Vec<_>>()
            .join("; "),
        Spec::Ordering { items } => {
            let mut placed: Vec<_> = items
                .iter()
                .filter_map(|i| Some((given.keyed.get(&i.id)?.trim().parse::<usize>().ok()?, i.text.as_str())))
                .collect();
            placed.sort();
            placed.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" → ")
        }
    })
    .filter(|s| !s.is_empty())
}

/// The score of an attempt, 0–100 rounded down, from each question's points and credit.
pub fn score(graded: &[(i32, f64)]) -> i32 {
    let total: f64 = graded.iter().map(|(p, _)| f64::from(*p)).sum();
    if total <= 0.0 {
        return 0;
    }
    let earned: f64 = graded.iter().map(|(p, c)| f64::from(*p) * c).sum();
    ((earned / total) * 100.0 + 1e-9).floor().clamp(0.0, 100.0) as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::model::{Choice, Item, Pair};

    fn values(v: &[&str]) -> Given {
        Given { values: v.iter().map(|s| s.to_string()).collect(), keyed: BTreeMap::new() }
    }

    fn keyed(v: &[(&str, &str)]) -> Given {
        Given { values: vec![], keyed: v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    fn choices(correct: &[bool]) -> Vec<Choice> {
        correct
            .iter()
            .enumerate()
            .map(|(i, c)| Choice { id: format!("c{i}"), text: format!("Choice {i}"), correct: *c })
            .collect()
    }

    #[test]
    fn single_choice_is_right_only_with_the_correct_choice() {
        let spec = Spec::Single { choices: choices(&[false, true, false]) };
        assert_eq!(grade(&spec, &values(&["c1"])).credit, 1.0);
        let wrong = grade(&spec, &values(&["c2"]));
        assert_eq!(wrong.credit, 0.0);
        assert_eq!(wrong.summary.as_deref(), Some("Choice 2"));
        assert_eq!(grade(&spec, &values(&[])), Graded { credit: 0.0, summary: None });
        assert_eq!(grade(&spec, &values(&["nonsense"])).credit, 0.0);
    }

    #[test]
    fn multiple_choice_is_all_or_nothing_unless_partial_credit() {
        let strict = Spec::Multiple { choices: choices(&[true, true, false, true]), partial: false };
        assert_eq!(grade(&strict, &values(&["c0", "c1", "c3"])).credit, 1.0);
        assert_eq!(grade(&strict, &values(&["c0", "c1"])).credit, 0.0);
        assert_eq!(grade(&strict, &values(&["c0", "c1", "c2", "c3"])).credit, 0.0);

        let partial = Spec::Multiple { choices: choices(&[true, true, false, true]), partial: true };
        assert!((grade(&partial, &values(&["c0", "c1"])).credit - 2.0 / 3.0).abs() < 1e-9);
        assert!((grade(&partial, &values(&["c0", "c1", "c2"])).credit - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(grade(&partial, &values(&["c2"])).credit, 0.0, "never below zero");
        assert_eq!(grade(&partial, &values(&["c0", "c0", "c1", "c3"])).credit, 1.0, "a repeat counts once");
        assert_eq!(grade(&partial, &values(&["c0", "c2"])).summary.as_deref(), Some("Choice 0 + Choice 2"));
    }

    #[test]
    fn true_false_compares_the_statement() {
        let spec = Spec::TrueFalse { answer: false };
        assert_eq!(grade(&spec, &values(&["false"])).credit, 1.0);
        assert_eq!(grade(&spec, &values(&["true"])).credit, 0.0);
        assert_eq!(grade(&spec, &values(&["maybe"])).credit, 0.0);
    }

    #[test]
    fn short_text_accepts_any_listed_answer_and_respects_case_when_asked() {
        let spec = Spec::Short { accepted: vec!["Paris".into(), "Ville  Lumière".into()], case_sensitive: false };
        assert_eq!(grade(&spec, &values(&["  paris "])).credit, 1.0);
        assert_eq!(grade(&spec, &values(&["ville lumière"])).credit, 1.0);
        assert_eq!(grade(&spec, &values(&["London"])).summary.as_deref(), Some("london"));
        assert_eq!(grade(&spec, &values(&[""])).credit, 0.0);

        let exact = Spec::Short { accepted: vec!["NaCl".into()], case_sensitive: true };
        assert_eq!(grade(&exact, &values(&["NaCl"])).credit, 1.0);
        assert_eq!(grade(&exact, &values(&["nacl"])).credit, 0.0);
    }

    #[test]
    fn numeric_answers_count_within_the_tolerance() {
        let spec = Spec::Numeric { answer: 2.5, tolerance: 0.01 };
        for ok in ["2.5", "2,51", " 2.49 ", "2.500"] {
            assert_eq!(grade(&spec, &values(&[ok])).credit, 1.0, "{ok}");
        }
        for wrong in ["2.52", "2", "two", "", "NaN", "inf"] {
            assert_eq!(grade(&spec, &values(&[wrong])).credit, 0.0, "{wrong}");
        }
        let exact = Spec::Numeric { answer: 1000.0, tolerance: 0.0 };
        assert_eq!(grade(&exact, &values(&["1 000"])).credit, 1.0);
        assert_eq!(parse_number("1,5"), Some(1.5));
    }

    #[test]
    fn matching_earns_the_share_of_pairs_matched() {
        let pair = |id: &str, left: &str, rid: &str, right: &str| Pair {
            id: id.into(),
            left: left.into(),
            right_id: rid.into(),
            right: right.into(),
        };
        let spec = Spec::Matching {
            pairs: vec![
                pair("a", "France", "x", "Paris"),
                pair("b", "Spain", "y", "Madrid"),
                pair("c", "Italy", "z", "Rome"),
                pair("d", "Peru", "w", "Lima"),
            ],
        };
        assert_eq!(grade(&spec, &keyed(&[("a", "x"), ("b", "y"), ("c", "z"), ("d", "w")])).credit, 1.0);
        let half = grade(&spec, &keyed(&[("a", "x"), ("b", "y"), ("c", "w"), ("d", "z")]));
        assert_eq!(half.credit, 0.5);
        assert_eq!(half.summary.as_deref(), Some("Italy → Lima; Peru → Rome"));
        assert_eq!(grade(&spec, &keyed(&[])).credit, 0.0);
    }

    #[test]
    fn ordering_is_right_only_in_the_exact_order() {
        let item = |id: &str, text: &str| Item { id: id.into(), text: text.into() };
        let spec = Spec::Ordering { items: vec![item("p", "Plan"), item("b", "Build"), item("s", "Ship")] };
        assert_eq!(grade(&spec, &keyed(&[("p", "1"), ("b", "2"), ("s", "3")])).credit, 1.0);
        let swapped = grade(&spec, &keyed(&[("p", "2"), ("b", "1"), ("s", "3")]));
        assert_eq!(swapped.credit, 0.0);
        assert_eq!(swapped.summary.as_deref(), Some("Build → Plan → Ship"));
        assert_eq!(grade(&spec, &keyed(&[("p", "1"), ("b", "2")])).credit, 0.0);
    }

    #[test]
    fn the_score_is_the_share_of_points_rounded_down() {
        assert_eq!(score(&[(1, 1.0), (1, 1.0), (1, 0.0)]), 66);
        assert_eq!(score(&[(3, 1.0), (1, 0.0)]), 75);
        assert_eq!(score(&[(2, 0.5), (2, 1.0)]), 75);
        assert_eq!(score(&[(1, 1.0), (1, 1.0), (1, 1.0)]), 100);
        assert_eq!(score(&[]), 0);
    }
}
