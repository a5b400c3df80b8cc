//! Courses' types: ids, lesson kinds, drip rules, and the rows as the pages use them.

use chrono::{DateTime, Utc};
use serde::Serialize;

kernel::id_type!(
    /// A course.
    CourseId
);
kernel::id_type!(
    /// A module (a chapter of a course).
    ModuleId
);
kernel::id_type!(
    /// A lesson.
    LessonId
);
kernel::id_type!(
    /// A student's access to a course.
    EnrollmentId
);
kernel::id_type!(
    /// A comment under a lesson.
    CommentId
);

/// What a lesson is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LessonKind {
    /// A video from the media library.
    Video,
    /// Audio from the media library.
    Audio,
    /// Rich text.
    Text,
    /// A graded quiz.
    Quiz,
    /// Work the student hands in for review.
    Assignment,
    /// Library files to download.
    Files,
    /// A YouTube, Vimeo or Loom video.
    Embed,
}

impl LessonKind {
    /// Every kind, in the order the builder offers them.
    pub const ALL: [LessonKind; 7] = [
        LessonKind::Video,
        LessonKind::Text,
        LessonKind::Quiz,
        LessonKind::Assignment,
        LessonKind::Audio,
        LessonKind::Files,
        LessonKind::Embed,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Text => "text",
            Self::Quiz => "quiz",
            Self::Assignment => "assignment",
            Self::Files => "files",
            Self::Embed => "embed",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the lesson plays an item of the media library.
    pub fn plays_media(self) -> bool {
        matches!(self, Self::Video | Self::Audio)
    }
}

/// When a module or lesson opens to an enrolled student.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Drip {
    /// At once.
    Now,
    /// This many days after the student's enrolment started.
    Days(i32),
    /// At this moment.
    Date(DateTime<Utc>),
    /// Once the student completed this lesson.
    AfterLesson(LessonId),
    /// Once the student completed every required lesson of this module.
    AfterModule(ModuleId),
}

impl Drip {
    /// From the stored columns; an incomplete rule (a date rule without its date) opens at once.
    pub fn from_columns(rule: &str, days: Option<i32>, at: Option<DateTime<Utc>>, after: Option<uuid::Uuid>) -> Self {
        match (rule, days, at, after) {
            ("days", Some(d), _, _) => Self::Days(d),
            ("date", _, Some(at), _) => Self::Date(at),
            ("after_lesson", _, _, Some(id)) => Self::AfterLesson(LessonId(id)),
            ("after_module", _, _, Some(id)) => Self::AfterModule(ModuleId(id)),
            _ => Self::Now,
        }
    }

    /// The stored columns: rule, days, date, after.
    pub fn to_columns(self) -> (&'static str, Option<i32>, Option<DateTime<Utc>>, Option<uuid::Uuid>) {
        match self {
            Self::Now => ("now", None, None, None),
            Self::Days(d) => ("days", Some(d), None, None),
            Self::Date(at) => ("date", None, Some(at), None),
            Self::AfterLesson(id) => ("after_lesson", None, None, Some(id.0)),
            Self::AfterModule(id) => ("after_module", None, None, Some(id.0)),
        }
    }
}

/// A course as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Course {
    /// Its id.
    pub id: CourseId,
    /// Its address: `/learn/{slug}`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Sanitised rich text.
    pub description_html: String,
    /// A free-text category ("Photography").
    pub category: String,
    /// The cover image, from the media library.
    pub cover_media_id: Option<media::MediaId>,
    /// `draft` or `published`.
    pub status: String,
    /// Whether students may enrol themselves at no charge.
    pub is_free: bool,
    /// When it was first published.
    pub published_at: Option<DateTime<Utc>>,
    /// Bumped by each save of the course's settings.
    pub version: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Course {
    /// Whether students can see it.
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }
}

/// A module as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Module {
    /// Its id.
    pub id: ModuleId,
    /// The course it belongs to.
    pub course_id: CourseId,
    /// Title.
    pub title: String,
    /// Order within the course.
    pub position: i32,
    /// Drip rule (see [`Drip::from_columns`]).
    pub drip: String,
    /// Days after enrolment, for the `days` rule.
    pub drip_days: Option<i32>,
    /// Opening moment, for the `date` rule.
    pub drip_at: Option<DateTime<Utc>>,
    /// The lesson or module to complete first.
    pub drip_after: Option<uuid::Uuid>,
}

impl Module {
    /// Its drip rule.
    pub fn drip(&self) -> Drip {
        Drip::from_columns(&self.drip, self.drip_days, self.drip_at, self.drip_after)
    }
}

/// A lesson as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Lesson {
    /// Its id.
    pub id: LessonId,
    /// The course.
    pub course_id: CourseId,
    /// The module.
    pub module_id: ModuleId,
    /// Title.
    pub title: String,
    /// What it is made of (see [`LessonKind`]).
    pub kind: String,
    /// Order within the module.
    pub position: i32,
    /// `draft` or `published`.
    pub status: String,
    /// Sanitised rich text.
    pub body_html: String,
    /// The video, audio or (for `files`) first file.
    pub media_id: Option<media::MediaId>,
    /// The YouTube, Vimeo or Loom address of an embed lesson.
    pub embed_url: Option<String>,
    /// The creator's estimate.
    pub duration_minutes: Option<i32>,
    /// Whether visitors may open it without enrolling.
    pub free_preview: bool,
    /// Whether course progress counts it.
    pub required: bool,
    /// Whether "mark complete" is offered before the lesson's own rule is met.
    pub allow_manual: bool,
    /// Share of a video to watch for it to complete by itself.
    pub watch_percent: i32,
    /// Drip rule (see [`Drip::from_columns`]).
    pub drip: String,
    /// Days after enrolment, for the `days` rule.
    pub drip_days: Option<i32>,
    /// Opening moment, for the `date` rule.
    pub drip_at: Option<DateTime<Utc>>,
    /// The lesson or module to complete first.
    pub drip_after: Option<uuid::Uuid>,
    /// Bumped by every save (the two-tabs check).
    pub version: i32,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Lesson {
    /// Its kind.
    pub fn kind(&self) -> LessonKind {
        LessonKind::parse(&self.kind).unwrap_or(LessonKind::Text)
    }

    /// Its drip rule.
    pub fn drip(&self) -> Drip {
        Drip::from_columns(&self.drip, self.drip_days, self.drip_at, self.drip_after)
    }

    /// Whether students can see it.
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }
}

/// A student's access to a course.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Enrollment {
    /// Its id.
    pub id: EnrollmentId,
    /// The student.
    pub user_id: kernel::ids::UserId,
    /// The course.
    pub course_id: CourseId,
    /// `purchase`, `staff`, `import`, `self` or `api`.
    pub source: String,
    /// What granted it (an order id).
    pub source_ref: Option<String>,
    /// When access started (drip counts from here).
    pub started_at: DateTime<Utc>,
    /// When access ends, if it does.
    pub ends_at: Option<DateTime<Utc>>,
    /// Set while staff have paused it.
    pub paused_at: Option<DateTime<Utc>>,
    /// Set once revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the student completed the course.
    pub completed_at: Option<DateTime<Utc>>,
    /// The lesson they opened last ("continue where you left off").
    pub last_lesson_id: Option<LessonId>,
    /// When they last opened or completed a lesson.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// When it was granted.
    pub created_at: DateTime<Utc>,
}

/// Why an enrolment does not give access right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentState {
    /// Access is open.
    Active,
    /// Staff paused it.
    Paused,
    /// Its end date passed.
    Expired,
    /// Staff revoked it.
    Revoked,
}

impl Enrollment {
    /// Where the enrolment stands at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> EnrollmentState {
        if self.revoked_at.is_some() {
            EnrollmentState::Revoked
        } else if self.paused_at.is_some() {
            EnrollmentState::Paused
        } else if self.ends_at.is_some_and(|end| end <= now) {
            EnrollmentState::Expired
        } else {
            EnrollmentState::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drip_rules_round_trip_through_their_columns() {
        let at = Utc::now();
        for drip in [
            Drip::Now,
            Drip::Days(7),
            Drip::Date(at),
            Drip::AfterLesson(LessonId::new()),
            Drip::AfterModule(ModuleId::new()),
        ] {
            let (rule, days, date, after) = drip.to_columns();
            assert_eq!(Drip::from_columns(rule, days, date, after), drip);
        }
        assert_eq!(Drip::from_columns("date", None, None, None), Drip::Now);
    }

    #[test]
    fn lesson_kinds_parse_what_they_store() {
        for kind in LessonKind::ALL {
            assert_eq!(LessonKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(LessonKind::parse("slides"), None);
    }
}
