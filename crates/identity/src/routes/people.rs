//! `GET /admin/people`: the school's students, newest first, with search and "load more".

use axum::{extract::Query, response::Html};
use kernel::{AppResult, ids::UserId};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, Permission, store};

/// Students shown per page.
const PAGE: usize = 25;

/// Search and position in the list.
#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    before: Option<String>,
}

pub async fn list(ctx: Ctx, Query(query): Query<PeopleQuery>) -> AppResult<Html<String>> {
    ctx.require(Permission::ViewPeople)?;
    let q = query.q.trim().chars().take(100).collect::<String>();
    let search = Some(q.as_str()).filter(|s| !s.is_empty());
    // A cursor that is not an id starts from the top rather than failing.
    let before: Option<UserId> = query.before.as_deref().and_then(|b| b.parse().ok());
    let mut tx = ctx.tx().await?;
    let mut students = store::list(&mut tx, &["student"], search, before, PAGE as i64 + 1).await?;
    tx.commit().await?;
    let more = students.len() > PAGE;
    students.truncate(PAGE);
    let next = if more {
        let last = students.last().map(|s| s.id.to_string()).unwrap_or_default();
        let mut params = vec![("before", last)];
        if !q.is_empty() {
            params.push(("q", q.clone()));
        }
        Some(format!("/admin/people?{}", serde_urlencoded::to_string(params).unwrap_or_default()))
    } else {
        None
    };
    ctx.render("identity/people.html", context! { students => Serde(students), q, next, paged => before.is_some() })
}
