//! `GET /admin`: the team's dashboard home with the school's real numbers; the owner's set-up
//! checklist for those who can act on it, shortcuts to their own pages for everyone else.

use axum::response::Html;
use identity::{Ctx, Permission};
use kernel::AppResult;
use minijinja::{context, value::Serde};

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    ctx.require(Permission::ViewAdmin)?;
    let mut tx = ctx.tx().await?;
    let counts = identity::store::count_by_role(&mut tx).await?;
    let count = |roles: &[&str]| counts.iter().filter(|c| roles.contains(&c.0.as_str())).map(|c| c.1).sum::<i64>();
    let students = count(&["student"]);
    let team = count(&["owner", "admin", "instructor", "support"]);
    // One round trip for the school's other numbers.
    let (new_students, emails, has_domain): (i64, i64, bool) = sqlx::query_as(
        "select
           (select count(*) from users where tenant_id = $1 and role = 'student'
              and created_at > now() - interval '7 days'),
           (select count(*) from mail_messages where tenant_id = $1 and created_at > now() - interval '30 days'),
           exists(select 1 from tenant_domains where tenant_id = $1 and verified_at is not null)",
    )
    .bind(ctx.school.id)
    .fetch_one(&mut *tx)
    .await?;
    let recent = identity::store::list(&mut tx, &["student"], None, None, 5).await?;
    let media = media::library_size(&mut tx).await?;
    tx.commit().await?;
    // The checklist's steps are settings pages: only those who may open them see it.
    let checklist = if ctx.can(Permission::ManageSettings) {
        vec![
            (
                "branding",
                ctx.school.logo_url.is_some() || ctx.school.brand_color != "#4f46e5",
                "/admin/settings/branding",
            ),
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
            students, team, new_students, emails,
            recent => Serde(recent),
            checklist => Serde(checklist),
            checklist_done => done,
            shortcuts => Serde(shortcuts),
        },
    )
}
