//! `GET /admin/assignments`: the review queue. Waiting work first and oldest first, filtered
//! by course and status, with how many wait in each status; `GET /admin/assignments/badge`:
//! the sidebar's count of work waiting (loaded by htmx, so other pages pay nothing for it).

use std::collections::HashMap;

use axum::{
    extract::Query,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppResult, ids::UserId};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{assignments::store, model::CourseId};

/// How many rows the queue shows at once.
const LIMIT: i64 = 200;
/// The statuses, in the order of the tabs.
const STATUSES: [&str; 3] = ["pending", "changes_requested", "approved"];
/// The tabs: each status, then all of them.
const TABS: [&str; 4] = ["pending", "changes_requested", "approved", "all"];

/// The queue's filters.
#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    course: Option<String>,
}

#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    row: store::QueueRow,
    student: String,
    email: String,
}

/// The queue page.
pub async fn list(ctx: Ctx, Query(f): Query<Filter>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let status = match f.status.as_deref() {
        Some("all") => None,
        Some(s) if STATUSES.contains(&s) => Some(s),
        _ => Some("pending"),
    };
    let course: Option<CourseId> = f.course.as_deref().and_then(|c| c.parse().ok());
    let mut tx = ctx.tx().await?;
    let rows = store::queue(&mut tx, status, course, LIMIT).await?;
    let counts: HashMap<String, i64> = store::counts(&mut tx, course).await?.into_iter().collect();
    let courses = store::courses_with_assignments(&mut tx).await?;
    let mut people: HashMap<UserId, (String, String)> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = people.entry(row.user_id) {
            let who = identity::store::find(&mut tx, row.user_id).await?;
            e.insert(who.map(|u| (u.name, u.email)).unwrap_or_default());
        }
        let (student, email) = people.get(&row.user_id).cloned().unwrap_or_default();
        out.push(Row { row, student, email });
    }
    tx.commit().await?;
    let total: i64 = counts.values().sum();
    let html = ctx.render(
        "courses/assignments/queue.html",
        context! {
            rows => Serde(&out),
            status => status.unwrap_or("all"),
            tabs => Serde(TABS),
            counts => Serde(&counts),
            total,
            course => Serde(course),
            courses => Serde(&courses),
        },
    )?;
    Ok(html.into_response())
}

/// The sidebar's badge: how many submissions wait for review (nothing when none do).
pub async fn badge(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let mut tx = ctx.tx().await?;
    let waiting = store::counts(&mut tx, None).await?.into_iter().find(|(s, _)| s == "pending").map_or(0, |(_, n)| n);
    tx.commit().await?;
    let html = ctx.render("courses/assignments/_badge.html", context! { waiting })?;
    Ok(([(axum::http::header::CACHE_CONTROL, "private, no-store")], html).into_response())
}
