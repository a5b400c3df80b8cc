//! Who may open which lesson, and when: the one place that combines enrolment, publication,
//! free previews and drip rules. The player, the outline, media's entitlement and the unlock
//! emails all ask [`Outline`], so they can never disagree.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use identity::{Permission, User};
use kernel::db::TenantTx;
use serde::Serialize;

use crate::{
    model::{Course, Drip, Enrollment, EnrollmentState, Lesson, LessonId, Module, ModuleId},
    store,
};

/// Why a lesson is closed to an enrolled student for now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Lock {
    /// It opens at this moment.
    Until {
        /// When.
        at: DateTime<Utc>,
    },
    /// It opens once this lesson is complete.
    AfterLesson {
        /// The lesson to complete.
        lesson: LessonId,
        /// Its title.
        title: String,
    },
    /// It opens once this module's required lessons are complete.
    AfterModule {
        /// The module to complete.
        module: ModuleId,
        /// Its title.
        title: String,
    },
}

/// Whether a person may open a lesson now, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Access {
    /// Enrolled, and the lesson has opened.
    Open,
    /// A free preview, open to anyone.
    Preview,
    /// Staff of the school, who see every lesson.
    Staff,
    /// Not enrolled in the course (or not logged in).
    NotEnrolled,
    /// Enrolled, but the enrolment is paused, expired or revoked.
    Enrollment {
        /// Which.
        enrollment: EnrollmentState,
    },
    /// Enrolled, but the drip schedule has not opened it yet.
    Locked {
        /// Why, and until when.
        lock: Lock,
    },
}

impl Access {
    /// Whether the lesson's content may be shown.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Open | Self::Preview | Self::Staff)
    }
}

/// A lesson in the outline with where the viewer stands on it.
#[derive(Clone, Debug, Serialize)]
pub struct OutlineLesson {
    /// The lesson.
    pub lesson: Lesson,
    /// Whether the viewer completed it.
    pub completed: bool,
    /// Whether the viewer may open it now.
    pub access: Access,
}

/// A module in the outline.
#[derive(Clone, Debug, Serialize)]
pub struct OutlineModule {
    /// The module.
    pub module: Module,
    /// Its lessons the viewer can see, in order.
    pub lessons: Vec<OutlineLesson>,
}

/// A course as one viewer sees it: what is in it, what they completed, what is open.
#[derive(Clone, Debug, Serialize)]
pub struct Outline {
    /// The course.
    pub course: Course,
    /// Modules in order.
    pub modules: Vec<OutlineModule>,
    /// The viewer's enrolment, if any.
    pub enrollment: Option<Enrollment>,
    /// Required lessons the viewer completed.
    pub required_done: usize,
    /// Required lessons in the course.
    pub required_total: usize,
}

impl Outline {
    /// Loads `course` as `viewer` sees it at `now`. Students see published lessons only; staff
    /// who may build courses see drafts too unless `as_student` (the builder's preview).
    pub async fn load(
        tx: &mut TenantTx,
        course: Course,
        viewer: Option<&User>,
        now: DateTime<Utc>,
        as_student: bool,
    ) -> sqlx::Result<Self> {
        let staff = !as_student && viewer.is_some_and(|u| identity::model::allows(u.role(), Permission::ManageCourses));
        let modules = store::modules(tx, course.id).await?;
        let mut lessons = store::lessons(tx, course.id).await?;
        if !staff {
            lessons.retain(Lesson::is_published);
        }
        let (enrollment, completed) = match viewer {
            Some(user) => (
                store::enrollment(tx, user.id, course.id).await?,
                store::completed_lessons(tx, user.id, course.id).await?.into_iter().collect(),
            ),
            None => (None, HashSet::new()),
        };
        Ok(Self::build(course, modules, lessons, enrollment, completed, staff, now))
    }

    /// Puts the outline together from its rows (no database; see [`Outline::load`]).
    pub fn build(
        course: Course,
        modules: Vec<Module>,
        lessons: Vec<Lesson>,
        enrollment: Option<Enrollment>,
        completed: HashSet<LessonId>,
        staff: bool,
        now: DateTime<Utc>,
    ) -> Self {
        let gate =
            Gate { modules: &modules, lessons: &lessons, completed: &completed, enrollment: enrollment.as_ref(), now };
        let required_total = lessons.iter().filter(|l| l.required).count();
        let required_done = lessons.iter().filter(|l| l.required && completed.contains(&l.id)).count();
        let out = modules
            .iter()
            .map(|module| {
                let lessons = lessons
                    .iter()
                    .filter(|l| l.module_id == module.id)
                    .map(|lesson| OutlineLesson {
                        access: gate.access(module, lesson, staff),
                        completed: completed.contains(&lesson.id),
                        lesson: lesson.clone(),
                    })
                    .collect();
                OutlineModule { module: module.clone(), lessons }
            })
            .collect();
        Self { course, modules: out, enrollment, required_done, required_total }
    }

    /// The viewer's place in a lesson of this course.
    pub fn find(&self, lesson: LessonId) -> Option<&OutlineLesson> {
        self.lessons().find(|l| l.lesson.id == lesson)
    }

    /// Every visible lesson in order.
    pub fn lessons(&self) -> impl Iterator<Item = &OutlineLesson> {
        self.modules.iter().flat_map(|m| m.lessons.iter())
    }

    /// Course progress: the share of required lessons done, 0–100.
    pub fn percent(&self) -> u32 {
        if self.required_total == 0 {
            return 0;
        }
        (self.required_done * 100 / self.required_total) as u32
    }

    /// Where to continue: the first open lesson not yet completed, else the first lesson.
    pub fn next_up(&self) -> Option<&OutlineLesson> {
        self.lessons().find(|l| l.access.is_open() && !l.completed).or_else(|| self.lessons().next())
    }
}

struct Gate<'a> {
    modules: &'a [Module],
    lessons: &'a [Lesson],
    completed: &'a HashSet<LessonId>,
    enrollment: Option<&'a Enrollment>,
    now: DateTime<Utc>,
}

impl Gate<'_> {
    fn access(&self, module: &Module, lesson: &Lesson, staff: bool) -> Access {
        if staff {
            return Access::Staff;
        }
        let Some(enrollment) = self.enrollment else {
            return if lesson.free_preview { Access::Preview } else { Access::NotEnrolled };
        };
        match enrollment.state(self.now) {
            EnrollmentState::Active => {}
            _ if lesson.free_preview => return Access::Preview,
            state => return Access::Enrollment { enrollment: state },
        }
        for drip in [module.drip(), lesson.drip()] {
            if let Some(lock) = self.lock(drip, enrollment) {
                return if lesson.free_preview { Access::Preview } else { Access::Locked { lock } };
            }
        }
        Access::Open
    }

    fn lock(&self, drip: Drip, enrollment: &Enrollment) -> Option<Lock> {
        match drip {
            Drip::Now => None,
            Drip::Days(days) => {
                let at = enrollment.started_at + Duration::days(days.into());
                (at > self.now).then_some(Lock::Until { at })
            }
            Drip::Date(at) => (at > self.now).then_some(Lock::Until { at }),
            Drip::AfterLesson(id) => {
                // A prerequisite that was deleted or unpublished no longer holds anything back.
                let before = self.lessons.iter().find(|l| l.id == id)?;
                (!self.completed.contains(&id)).then(|| Lock::AfterLesson { lesson: id, title: before.title.clone() })
            }
            Drip::AfterModule(id) => {
                let mut required = self.lessons.iter().filter(|l| l.module_id == id && l.required).peekable();
                required.peek()?;
                let title = self.module_title(id)?;
                required.any(|l| !self.completed.contains(&l.id)).then_some(Lock::AfterModule { module: id, title })
            }
        }
    }

    fn module_title(&self, id: ModuleId) -> Option<String> {
        self.modules.iter().find(|m| m.id == id).map(|m| m.title.clone())
    }
}
