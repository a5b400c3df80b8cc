//! What a student's dashboard shows: their courses with progress and where to continue, what
//! unlocks next and when, and recent replies to their comments. Access and locks come from
//! [`Outline`], so the dashboard never disagrees with the player.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use identity::User;
use kernel::db::TenantTx;
use serde::Serialize;

use crate::{
    access::{Access, Lock, Outline},
    model::{Course, CourseId, EnrollmentState, LessonId},
    store,
};

/// How many upcoming unlocks and replies the dashboard lists.
const LISTED: usize = 5;

/// A course the student is enrolled in.
#[derive(Clone, Debug, Serialize)]
pub struct MyCourse {
    /// The course.
    pub course: Course,
    /// Where their access stands.
    pub state: EnrollmentState,
    /// When access ends, if it does.
    pub ends_at: Option<DateTime<Utc>>,
    /// Progress, 0–100.
    pub percent: u32,
    /// Lessons visible in the course.
    pub lessons: usize,
    /// Where "Continue" (or "Start") leads.
    pub next_href: String,
    /// The lesson it leads to.
    pub next_title: String,
    /// Whether they completed the course.
    pub completed: bool,
}

/// A lesson that is still locked for the student.
#[derive(Clone, Debug, Serialize)]
pub struct Unlock {
    /// The course's title.
    pub course: String,
    /// The lesson's title.
    pub lesson: String,
    /// Why, and until when.
    pub lock: Lock,
}

/// Someone answered one of the student's comments.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Reply {
    /// The reply's lesson.
    pub lesson_id: LessonId,
    /// The lesson's course.
    pub course_id: CourseId,
    /// Who wrote it.
    pub user_id: kernel::ids::UserId,
    /// What they wrote.
    pub body: String,
    /// Whether they are on the school's team.
    pub by_staff: bool,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The author's name (filled after loading).
    #[sqlx(skip)]
    pub author: String,
    /// The lesson's title (filled after loading).
    #[sqlx(skip)]
    pub lesson: String,
    /// Where the thread is.
    #[sqlx(skip)]
    pub href: String,
}

/// The whole dashboard.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Dashboard {
    /// Courses, most recently active first.
    pub courses: Vec<MyCourse>,
    /// Locked lessons, dated ones soonest first.
    pub unlocks: Vec<Unlock>,
    /// Recent replies to the student's comments.
    pub replies: Vec<Reply>,
}

/// Loads `user`'s dashboard at `now`.
pub async fn load(tx: &mut TenantTx, user: &User, now: DateTime<Utc>) -> sqlx::Result<Dashboard> {
    let mut out = Dashboard::default();
    let mut slugs = HashMap::new();
    for e in store::enrollments_of_user(tx, user.id).await? {
        let Some(course) = store::course(tx, e.course_id).await?.filter(Course::is_published) else { continue };
        slugs.insert(course.id, course.slug.clone());
        let outline = Outline::load(tx, course, Some(user), now, true).await?;
        let state = e.state(now);
        if state == EnrollmentState::Active {
            for l in outline.lessons() {
                if let Access::Locked { lock } = &l.access {
                    out.unlocks.push(Unlock {
                        course: outline.course.title.clone(),
                        lesson: l.lesson.title.clone(),
                        lock: lock.clone(),
                    });
                }
            }
        }
        let resume = e.last_lesson_id.and_then(|id| outline.find(id)).filter(|l| l.access.is_open() && !l.completed);
        let next = resume.or_else(|| outline.next_up());
        let course = &outline.course;
        out.courses.push(MyCourse {
            state,
            ends_at: e.ends_at,
            percent: outline.percent(),
            lessons: outline.lessons().count(),
            next_href: match next {
                Some(l) => format!("/learn/{}/{}", course.slug, l.lesson.id),
                None => format!("/learn/{}", course.slug),
            },
            next_title: next.map(|l| l.lesson.title.clone()).unwrap_or_default(),
            completed: e.completed_at.is_some(),
            course: outline.course.clone(),
        });
    }
    out.unlocks.sort_by_key(|u| match u.lock {
        Lock::Until { at } => (0, Some(at)),
        _ => (1, None),
    });
    out.unlocks.truncate(LISTED);
    out.replies = replies(tx, user, &slugs).await?;
    Ok(out)
}

async fn replies(tx: &mut TenantTx, user: &User, slugs: &HashMap<CourseId, String>) -> sqlx::Result<Vec<Reply>> {
    let mut replies: Vec<Reply> = sqlx::query_as(
        "select c.lesson_id, c.course_id, c.user_id, c.body, c.by_staff, c.created_at
         from lesson_comments c
           join lesson_comments p on p.tenant_id = c.tenant_id and p.id = c.parent_id
         where c.tenant_id = $1 and p.user_id = $2 and c.user_id <> $2
           and c.deleted_at is null and p.deleted_at is null
         order by c.created_at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(user.id)
    .bind(LISTED as i64)
    .fetch_all(&mut **tx)
    .await?;
    // Replies in a course the student can no longer see are left out.
    replies.retain(|r| slugs.contains_key(&r.course_id));
    let ids: Vec<_> = replies.iter().map(|r| r.user_id).collect();
    let names: HashMap<_, _> =
        identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    for r in &mut replies {
        r.author = names.get(&r.user_id).cloned().unwrap_or_default();
        r.lesson = store::lesson(tx, r.lesson_id).await?.map(|l| l.title).unwrap_or_default();
        r.href = format!("/learn/{}/{}#comments", slugs.get(&r.course_id).map_or("", String::as_str), r.lesson_id);
        if r.body.chars().count() > 180 {
            r.body = format!("{}…", r.body.chars().take(180).collect::<String>().trim_end());
        }
    }
    Ok(replies)
}
