//! Courses as the API shows them: a course, and its outline of modules and lessons. Shared by
//! the `courses_*` endpoints; these types are the OpenAPI document's schemas.

use chrono::{DateTime, Utc};
use courses::{
    Course,
    model::{Lesson, Module},
};
use serde::Serialize;
use utoipa::ToSchema;

/// Whether students can see a course or lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "published")]
pub enum CourseStatus {
    /// Only the school's team sees it.
    Draft,
    /// Students see it.
    Published,
}

impl CourseStatus {
    fn of(status: &str) -> Self {
        if status == "published" { Self::Published } else { Self::Draft }
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }
}

/// What a lesson is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "video")]
pub enum ApiLessonKind {
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

impl From<courses::LessonKind> for ApiLessonKind {
    fn from(k: courses::LessonKind) -> Self {
        use courses::LessonKind as K;
        match k {
            K::Video => Self::Video,
            K::Audio => Self::Audio,
            K::Text => Self::Text,
            K::Quiz => Self::Quiz,
            K::Assignment => Self::Assignment,
            K::Files => Self::Files,
            K::Embed => Self::Embed,
        }
    }
}

/// A course of the school.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCourse {
    /// Its id.
    #[schema(example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: uuid::Uuid,
    /// Its title.
    #[schema(example = "Portrait photography from scratch")]
    pub title: String,
    /// One line under the title (may be empty).
    #[schema(example = "Light, lenses and people")]
    pub subtitle: String,
    /// Its address on the school's site: `/learn/{slug}`.
    #[schema(example = "portrait-photography")]
    pub slug: String,
    /// A free-text category (may be empty).
    #[schema(example = "Photography")]
    pub category: String,
    /// Draft or published.
    pub status: CourseStatus,
    /// Whether students may enrol themselves at no charge.
    pub is_free: bool,
    /// When it was first published, if it was.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Course> for ApiCourse {
    fn from(c: Course) -> Self {
        Self {
            id: c.id.0,
            status: CourseStatus::of(&c.status),
            title: c.title,
            subtitle: c.subtitle,
            slug: c.slug,
            category: c.category,
            is_free: c.is_free,
            published_at: c.published_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A page of courses.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    /// The courses, newest first.
    pub data: Vec<ApiCourse>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[schema(example = "AZL3xIpOfMO31T8OHJp7IQ")]
    pub next_cursor: Option<String>,
}

/// A lesson in a module.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLesson {
    /// Its id.
    #[schema(example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e10")]
    pub id: uuid::Uuid,
    /// Its title.
    #[schema(example = "Soft light from a window")]
    pub title: String,
    /// What it is made of.
    pub kind: ApiLessonKind,
    /// Its place in its module, from 1.
    #[schema(example = 1)]
    pub position: i32,
    /// Draft or published.
    pub status: CourseStatus,
    /// Whether visitors may open it without enrolling.
    pub free_preview: bool,
    /// The creator's estimate of its length, in minutes.
    #[schema(example = 12)]
    pub duration_minutes: Option<i32>,
}

/// A module (chapter) with its lessons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiModule {
    /// Its id.
    #[schema(example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e11")]
    pub id: uuid::Uuid,
    /// Its title.
    #[schema(example = "Getting started")]
    pub title: String,
    /// Its place in the course, from 1.
    #[schema(example = 1)]
    pub position: i32,
    /// Its lessons in order.
    pub lessons: Vec<ApiLesson>,
}

/// A course with its modules and lessons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCourseDetail {
    /// The course.
    #[serde(flatten)]
    pub course: ApiCourse,
    /// Its modules in order, each with its lessons.
    pub modules: Vec<ApiModule>,
}

/// Builds the outline from a course's modules and lessons (both already in order).
pub fn outline(modules: &[Module], lessons: &[Lesson]) -> Vec<ApiModule> {
    modules
        .iter()
        .enumerate()
        .map(|(i, m)| ApiModule {
            id: m.id.0,
            title: m.title.clone(),
            position: i as i32 + 1,
            lessons: lessons
                .iter()
                .filter(|l| l.module_id == m.id)
                .enumerate()
                .map(|(j, l)| ApiLesson {
                    id: l.id.0,
                    title: l.title.clone(),
                    kind: l.kind().into(),
                    position: j as i32 + 1,
                    status: CourseStatus::of(&l.status),
                    free_preview: l.free_preview,
                    duration_minutes: l.duration_minutes,
                })
                .collect(),
        })
        .collect()
}
