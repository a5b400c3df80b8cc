//! `GET /admin`: the team's dashboard home with the school's real numbers: students,
//! enrolments over the last 30 days with their trend, active learners, completions and what
//! students just did; the owner's set-up checklist for those who can act on it, shortcuts to
//! their own pages for everyone else.

use axum::response::Html;
use chrono::{Datelike, Duration};
use identity::{Ctx, Permission};
use kernel::AppResult;
use minijinja::{context, value::Serde};

use crate::{chart, feed, rollup::day_of, store};

/// The dashboard home.
pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    ctx.require(Permission::ViewAdmin)?;
    let now = ctx.state.clock.now();
    let today = day_of(now, &ctx.school.time_zone);
    let mut tx = ctx.tx().await?;
    let counts = identity::store::count_by_role(&mut tx).await?;
    let count = |roles: &[&str]| counts.iter().filter(|c| roles.contains(&c.0.as_str())).map(|c| c.1).sum::<i64>();
    let students = count(&["student"]);
    let team = count(&["owner", "admin", "instructor", "support"]);
    // One round trip for the school's other numbers.
    let (new_students, has_domain): (i64, bool) = sqlx::query_as(
        "select
           (select count(*) from users where tenant_id = $1 and role = 'student'
              and created_at > now() - interval '7 days'),
           exists(select 1 from tenant_domains where tenant_id = $1 and verified_at is not null)",
    )
    .bind(ctx.school.id)
    .fetch_one(&mut *tx)
    .await?;
    let recent = identity::store::list(&mut tx, &["student"], None, None, 5).await?;
    let media = media::library_size(&mut tx).await?;
    let courses = courses::stats::course_count(&mut tx).await?;
    let days = store::school_days(&mut tx, today - Duration::days(59)).await?;
    let mut active = vec![];
    for window in [7, 30] {
        let since = now - Duration::days(window);
        let viewers = media::views::viewers_since(&mut tx, since, None).await?;
        active.push(store::active_learners(&mut tx, since, &viewers).await?);
    }
    let rows = store::recent_activity(&mut tx, None, 8).await?;
    let activity = feed::items(&mut tx, ctx.shell.locale, rows, now).await?;
    let (sales, affiliates) = if ctx.can(Permission::ManageSales) {
        let month_start = today.with_day(1).unwrap_or(today);
        (
            Some(crate::sales::summary(&mut tx, today, &ctx.school.currency).await?),
            crate::affiliates::top(&mut tx, month_start, today, 5).await?,
        )
    } else {
        (None, vec![])
    };
    tx.commit().await?;

    let split = today - Duration::days(29);
    let last_30: Vec<_> = days.iter().filter(|d| d.day >= split).collect();
    let enrolments = chart::daily(&last_30.iter().map(|d| (d.day, d.enrollments)).collect::<Vec<_>>(), split, today);
    let enrolled_now: i64 = enrolments.iter().map(|d| d.1).sum();
    let enrolled_before: i64 = days.iter().filter(|d| d.day < split).map(|d| d.enrollments).sum();
    let completions = chart::daily(&last_30.iter().map(|d| (d.day, d.completions)).collect::<Vec<_>>(), split, today);
    let lessons_done: i64 = last_30.iter().map(|d| d.lesson_completions).sum();

    // The checklist's steps are settings pages: only those who may open them see it.
    let checklist = if ctx.can(Permission::ManageSettings) {
        vec![
            (
                "branding",
                ctx.school.logo_url.is_some() || ctx.school.brand_color != "#4f46e5",
                "/admin/settings/branding",
            ),
            ("course", courses > 0, "/admin/courses"),
            ("media", media > 0, "/admin/media"),
            ("team", team > 1, "/admin/team"),
            ("domain", has_domain, "/admin/settings/domains"),
            ("students", students > 0, "/"),
        ]
    } else {
        vec![]
    };
    let done = checklist.iter().filter(|c| c.1).count();
    let shortcuts: Vec<(&str, &str, &str)> = [
        (Permission::ManageCourses, ("courses", "/admin/courses", "graduation-cap")),
        (Permission::ManageMedia, ("media", "/admin/media", "film")),
        (Permission::ViewPeople, ("people", "/admin/people", "users")),
        (Permission::ViewPeople, ("team", "/admin/team", "user-plus")),
        (Permission::ViewAdmin, ("account", "/account/security", "shield-check")),
    ]
    .into_iter()
    .filter(|(permission, _)| ctx.can(*permission))
    .map(|(_, shortcut)| shortcut)
    .collect();
    ctx.render(
        "insights/dashboard.html",
        context! {
            students, new_students,
            enrolled_now,
            enrolled_trend => chart::trend(enrolled_now, enrolled_before),
            enrolments => Serde(chart::columns(&enrolments, ctx.shell.locale)),
            enrolments_spark => chart::sparkline(&enrolments.iter().map(|d| d.1).collect::<Vec<_>>()),
            active_7 => active[0], active_30 => active[1],
            completions => completions.iter().map(|d| d.1).sum::<i64>(),
            completions_spark => chart::sparkline(&completions.iter().map(|d| d.1).collect::<Vec<_>>()),
            lessons_done,
            activity => Serde(activity),
            can_build => ctx.can(Permission::ManageCourses),
            recent => Serde(recent),
            checklist => Serde(checklist),
            checklist_done => done,
            shortcuts => Serde(shortcuts),
            sales => Serde(sales),
            affiliates => Serde(affiliates),
        },
    )
}
