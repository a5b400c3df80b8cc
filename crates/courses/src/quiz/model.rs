//! A quiz's types: its settings, its questions with what each kind needs to be graded, and the
//! students' attempts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{CourseId, LessonId};

kernel::id_type!(
    /// A question of a quiz.
    QuestionId
);
kernel::id_type!(
    /// One student's attempt at a quiz.
    AttemptId
);

/// When a student sees the correct answers and explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowAnswers {
    /// Never: the score and pass or fail only.
    Never,
    /// After every submitted attempt.
    Each,
    /// After a passing attempt.
    Passed,
}

impl ShowAnswers {
    /// Every choice, in the order the editor offers them.
    pub const ALL: [ShowAnswers; 3] = [Self::Each, Self::Passed, Self::Never];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Each => "each",
            Self::Passed => "passed",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A quiz's settings; a quiz lesson without a row has [`Settings::default`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Settings {
    /// The score (0–100) that passes.
    pub passing_percent: i32,
    /// How many attempts a student has; `None` for unlimited.
    pub attempts_allowed: Option<i32>,
    /// Whether each attempt shows the questions in a new order.
    pub shuffle_questions: bool,
    /// Whether each attempt shows a choice question's options in a new order.
    pub shuffle_answers: bool,
    /// The time an attempt has, in minutes; `None` for no limit.
    pub time_limit_minutes: Option<i32>,
    /// `never`, `each` or `passed` (see [`ShowAnswers`]).
    pub show_answers: String,
    /// How many questions each attempt draws; `None` for all of them.
    pub pool_size: Option<i32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            passing_percent: 70,
            attempts_allowed: None,
            shuffle_questions: false,
            shuffle_answers: false,
            time_limit_minutes: None,
            show_answers: "each".into(),
            pool_size: None,
        }
    }
}

impl Settings {
    /// When answers are shown.
    pub fn show(&self) -> ShowAnswers {
        ShowAnswers::parse(&self.show_answers).unwrap_or(ShowAnswers::Each)
    }
}

/// A choice of a single- or multiple-choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// A random id, stable across edits, that says nothing about the answer.
    pub id: String,
    /// What the student reads.
    pub text: String,
    /// Whether choosing it is right.
    pub correct: bool,
}

/// A pair of a matching question: the student matches each `left` with its `right`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The left item's random id.
    pub id: String,
    /// The left item.
    pub left: String,
    /// The right item's own random id (different from `id`, so the page does not give it away).
    pub right_id: String,
    /// The right item.
    pub right: String,
}

/// An item of an ordering question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// A random id.
    pub id: String,
    /// What the student reads.
    pub text: String,
}

/// What a question asks and how it is graded; stored as JSON in `quiz_questions.spec`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    /// One right choice.
    Single {
        /// The choices; exactly one is correct.
        choices: Vec<Choice>,
    },
    /// Any number of right choices.
    Multiple {
        /// The choices; at least one is correct.
        choices: Vec<Choice>,
        /// Whether a partly right answer earns part of the points.
        partial: bool,
    },
    /// True or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// A typed answer that must equal one of the accepted ones.
    Short {
        /// The accepted answers.
        accepted: Vec<String>,
        /// Whether "Paris" and "paris" differ.
        case_sensitive: bool,
    },
    /// A number within a tolerance.
    Numeric {
        /// The right number.
        answer: f64,
        /// How far off an answer may be and still be right.
        tolerance: f64,
    },
    /// Pairs to match.
    Matching {
        /// The pairs.
        pairs: Vec<Pair>,
    },
    /// Items to put in order.
    Ordering {
        /// The items in the right order.
        items: Vec<Item>,
    },
}

/// The kinds of question, as stored in `quiz_questions.kind`.
pub const KINDS: [&str; 7] = ["single", "multiple", "true_false", "short", "numeric", "matching", "ordering"];

impl Spec {
    /// Its kind, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Single { .. } => "single",
            Self::Multiple { .. } => "multiple",
            Self::TrueFalse { .. } => "true_false",
            Self::Short { .. } => "short",
            Self::Numeric { .. } => "numeric",
            Self::Matching { .. } => "matching",
            Self::Ordering { .. } => "ordering",
        }
    }

    /// A blank question of `kind` for the editor.
    pub fn blank(kind: &str) -> Option<Self> {
        Some(match kind {
            "single" => Self::Single { choices: vec![] },
            "multiple" => Self::Multiple { choices: vec![], partial: false },
            "true_false" => Self::TrueFalse { answer: true },
            "short" => Self::Short { accepted: vec![], case_sensitive: false },
            "numeric" => Self::Numeric { answer: 0.0, tolerance: 0.0 },
            "matching" => Self::Matching { pairs: vec![] },
            "ordering" => Self::Ordering { items: vec![] },
            _ => return None,
        })
    }

    /// The ids of what the student arranges or picks from, in the stored order (choices, the
    /// right side of pairs, items); what an attempt shuffles.
    pub fn option_ids(&self) -> Vec<String> {
        match self {
            Self::Single { choices } | Self::Multiple { choices, .. } => choices.iter().map(|c| c.id.clone()).collect(),
            Self::Matching { pairs } => pairs.iter().map(|p| p.right_id.clone()).collect(),
            Self::Ordering { items } => items.iter().map(|i| i.id.clone()).collect(),
            _ => vec![],
        }
    }
}

/// A new random id for a choice, pair or item.
pub fn new_option_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// A question as stored.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    /// Its id.
    pub id: QuestionId,
    /// The quiz lesson.
    pub lesson_id: LessonId,
    /// Order within the quiz.
    pub position: i32,
    /// What it asks.
    pub prompt: String,
    /// What a right answer earns.
    pub points: i32,
    /// Sanitised rich text shown with the correct answer.
    pub explanation_html: String,
    /// Its kind and answer.
    pub spec: Spec,
}

/// An attempt as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Attempt {
    /// Its id.
    pub id: AttemptId,
    /// The quiz lesson.
    pub lesson_id: LessonId,
    /// Its course.
    pub course_id: CourseId,
    /// The student.
    pub user_id: kernel::ids::UserId,
    /// 1 for the first attempt.
    pub number: i32,
    /// The drawn questions in the order shown.
    pub question_ids: Vec<uuid::Uuid>,
    /// Each question's options in the order shown: `{question id: [option id]}`.
    pub layout: sqlx::types::Json<std::collections::HashMap<String, Vec<String>>>,
    /// Answers saved as the student went: `{question id: answer}`.
    pub saved: sqlx::types::Json<std::collections::HashMap<String, super::grade::Given>>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When time runs out, if the quiz has a limit.
    pub deadline: Option<DateTime<Utc>>,
    /// When it was submitted (or closed as timed out).
    pub submitted_at: Option<DateTime<Utc>>,
    /// Whether it ran out of time.
    pub timed_out: bool,
    /// The score, 0–100, once submitted.
    pub score: Option<i32>,
    /// Whether it passed, once submitted.
    pub passed: Option<bool>,
}

impl Attempt {
    /// Whether it is still open for answers.
    pub fn is_open(&self) -> bool {
        self.submitted_at.is_none()
    }
}
