//! Drip-unlock emails: a recurring job per school tells each student, once per lesson, that
//! lessons opened for them since the last run ("New lesson available: …"). What is open comes
//! from [`Outline`], at the application's clock, so the emails never disagree with the player.
//!
//! Only lessons that open at a moment (N days after enrolment, or on a date) are announced,
//! and only when that moment came after the student enrolled: content open from the start, or
//! opened by the student's own completion of an earlier lesson, needs no email. Students who
//! turned the emails off in their account get none; `lesson_unlock_notices` rows make sure no
//! lesson is announced twice.

use std::{collections::HashSet, time::Duration};

use chrono::{DateTime, Utc};
use kernel::{
    AppState,
    db::TenantTx,
    events::Event,
    jobs::{self, Job},
};
use minijinja::context;
use sqlx::AssertSqlSafe;

use crate::{
    access::{Access, Outline},
    model::{Drip, Enrollment, Lesson, LessonId, Module},
    store,
};

/// The job kind of the check.
pub const KIND: &str = "courses.unlock_emails";

/// How often a school's check runs.
pub const EVERY: Duration = Duration::from_secs(3600);

/// Registers the check, and schedules it for a school when its first enrolment arrives.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(KIND, run);
    w.events.subscribe(&mut w.jobs, "enrollment.created", "courses.unlock_schedule", schedule_on_enrol);
}

async fn schedule_on_enrol(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    schedule(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Schedules the hourly check for the transaction's school (idempotent).
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, KIND, serde_json::json!({}), EVERY).await
}

async fn run(state: AppState, job: Job) -> anyhow::Result<()> {
    check(&state, job.tenant).await.map(|_| ())
}

/// Runs one school's check now; returns how many emails were queued.
pub async fn check(state: &AppState, tenant: kernel::TenantId) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let school = state.school(tenant).await?;
    let mut tx = state.db.tenant(tenant).await?;
    let since: Option<DateTime<Utc>> =
        sqlx::query_scalar("select last_run_at from lesson_unlock_runs where tenant_id = $1 for update")
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await?;
    let enrollments: Vec<Enrollment> = sqlx::query_as(AssertSqlSafe(
        "select id, user_id, course_id, source, source_ref, started_at, ends_at, paused_at, revoked_at,
                completed_at, last_lesson_id, last_activity_at, created_at
         from enrollments where tenant_id = $1 and revoked_at is null and paused_at is null
           and (ends_at is null or ends_at > $2) and started_at < $2
         order by course_id, user_id",
    ))
    .bind(tenant)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    let mut loaded: Option<(crate::Course, Vec<Module>, Vec<Lesson>)> = None;
    for enrollment in enrollments {
        if loaded.as_ref().is_none_or(|(c, _, _)| c.id != enrollment.course_id) {
            let Some(course) = store::course(&mut tx, enrollment.course_id).await? else { continue };
            let modules = store::modules(&mut tx, course.id).await?;
            let mut lessons = store::lessons(&mut tx, course.id).await?;
            lessons.retain(Lesson::is_published);
            loaded = Some((course, modules, lessons));
        }
        let Some((course, modules, lessons)) = loaded.as_ref() else { continue };
        if !course.is_published() || !has_timed_drip(modules, lessons) {
            continue;
        }
        let opened = opened_since(&mut tx, course, modules, lessons, &enrollment, since, now).await?;
        if opened.is_empty() || !identity::preferences::unlock_emails(&mut tx, enrollment.user_id).await? {
            continue;
        }
        let ids: Vec<LessonId> = opened.iter().map(|l| l.id).collect();
        let fresh: HashSet<LessonId> = sqlx::query_scalar(
            "insert into lesson_unlock_notices (tenant_id, user_id, lesson_id, sent_at)
             select $1, $2, unnest($3::uuid[]), $4 on conflict do nothing returning lesson_id",
        )
        .bind(tenant)
        .bind(enrollment.user_id)
        .bind(&ids)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let fresh: Vec<Lesson> = opened.into_iter().filter(|l| fresh.contains(&l.id)).collect();
        let Some(first) = fresh.first() else { continue };
        let Some(student) = identity::store::find(&mut tx, enrollment.user_id).await? else { continue };
        if student.suspended_at.is_some() {
            continue;
        }
        let base = format!("{}/learn/{}", school.base_url, course.slug);
        let items: Vec<_> =
            fresh.iter().map(|l| context! { title => l.title.clone(), url => format!("{base}/{}", l.id) }).collect();
        let count = fresh.len();
        let subject = if count == 1 { "unlock-mail-subject-one" } else { "unlock-mail-subject-many" };
        let args = [
            ("title", first.title.clone().into()),
            ("count", (count as i64).into()),
            ("course", course.title.clone().into()),
        ];
        let ctx = context! {
            name => student.name.clone(), course => course.title.clone(), lessons => items, count,
            url => format!("{base}/{}", first.id),
        };
        let template = "courses/mail/lessons_unlocked";
        crate::assignments::send_mail(state, &mut tx, &school, &student, template, (subject, &args), ctx).await?;
        sent += 1;
    }
    sqlx::query(
        "insert into lesson_unlock_runs (tenant_id, last_run_at) values ($1, $2)
         on conflict (tenant_id) do update set last_run_at = greatest(lesson_unlock_runs.last_run_at, excluded.last_run_at)",
    )
    .bind(tenant)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(sent)
}

fn has_timed_drip(modules: &[Module], lessons: &[Lesson]) -> bool {
    modules.iter().map(Module::drip).chain(lessons.iter().map(Lesson::drip)).any(|d| opens_at(d, None).is_some())
}

/// When a time rule opens, for an enrolment that started at `started` (a date needs none).
fn opens_at(drip: Drip, started: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match drip {
        Drip::Days(days) => Some(started.unwrap_or_default() + chrono::Duration::days(days.into())),
        Drip::Date(at) => Some(at),
        _ => None,
    }
}

/// The lessons open to the student now whose timed rule opened after they enrolled and after
/// the last run (`since`), in course order.
async fn opened_since(
    tx: &mut TenantTx,
    course: &crate::Course,
    modules: &[Module],
    lessons: &[Lesson],
    enrollment: &Enrollment,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Lesson>> {
    let completed = store::completed_lessons(tx, enrollment.user_id, course.id).await?.into_iter().collect();
    let outline = Outline::build(
        course.clone(),
        modules.to_vec(),
        lessons.to_vec(),
        Some(enrollment.clone()),
        completed,
        false,
        now,
    );
    let after = since.map_or(enrollment.started_at, |s| s.max(enrollment.started_at));
    Ok(outline
        .modules
        .iter()
        .flat_map(|m| m.lessons.iter().map(move |l| (&m.module, l)))
        .filter(|(_, l)| l.access == Access::Open && !l.completed)
        .filter(|(module, l)| {
            let started = Some(enrollment.started_at);
            let opened =
                [opens_at(module.drip(), started), opens_at(l.lesson.drip(), started)].into_iter().flatten().max();
            opened.is_some_and(|at| at > after && at <= now)
        })
        .map(|(_, l)| l.lesson.clone())
        .collect())
}
