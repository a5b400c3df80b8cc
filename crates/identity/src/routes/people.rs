//! `GET /admin/people`: the school's students, searched, filtered, sorted and paged, and
//! `GET /admin/people/export.csv`: the same list as a spreadsheet.

use axum::{
    extract::Query,
    http::header,
    response::{Html, IntoResponse, Response},
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kernel::AppResult;
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    Ctx, Permission,
    model::User,
    store::people::{self, Filter, Sort, Status},
};

/// Students shown per page.
const PAGE: i64 = 25;
/// Students read per query while writing the CSV.
const EXPORT_BATCH: i64 = 500;

/// Search, filters, order and page, as in the address bar (so a filtered list can be shared
/// and exported).
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    /// `active`, `unverified` or `suspended`; anything else is everyone.
    #[serde(default)]
    status: String,
    /// `30d` for the last 30 days, `range` for `from`..`to`; anything else is any time.
    #[serde(default)]
    joined: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `oldest`, `name` or `last_login`; anything else is newest first.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<u32>,
}

impl PeopleQuery {
    /// The filter the query asks for; dates are days in the viewer's time zone, and what cannot
    /// be read is ignored rather than refused.
    fn filter(&self, zone: &str) -> Filter {
        let search = Some(self.q.trim().chars().take(100).collect::<String>()).filter(|s| !s.is_empty());
        let status = match self.status.as_str() {
            "active" => Status::Active,
            "unverified" => Status::Unverified,
            "suspended" => Status::Suspended,
            _ => Status::All,
        };
        let sort = match self.sort.as_str() {
            "oldest" => Sort::Oldest,
            "name" => Sort::Name,
            "last_login" => Sort::LastLogin,
            _ => Sort::Newest,
        };
        let (joined_from, joined_until) = match self.joined.as_str() {
            "30d" => (Some(Utc::now() - Duration::days(30)), None),
            "range" => (day_start(&self.from, zone, 0), day_start(&self.to, zone, 1)),
            _ => (None, None),
        };
        Filter { search, status, joined_from, joined_until, sort }
    }

    /// Whether anything narrows the list (the empty state then offers to clear it).
    fn narrowed(&self, filter: &Filter) -> bool {
        filter.search.is_some()
            || filter.status != Status::All
            || filter.joined_from.is_some()
            || filter.joined_until.is_some()
    }

    /// The query string for this list at `page` (the first page has none).
    fn link(&self, page: u32) -> String {
        let q = PeopleQuery { page: (page > 1).then_some(page), ..self.clone() };
        let pairs: Vec<(&str, String)> = [
            ("q", q.q.trim().to_string()),
            ("status", q.status),
            ("joined", q.joined.clone()),
            ("from", if q.joined == "range" { q.from } else { String::new() }),
            ("to", if q.joined == "range" { q.to } else { String::new() }),
            ("sort", q.sort),
            ("page", q.page.map(|p| p.to_string()).unwrap_or_default()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// Midnight starting `date` (+ `days`) in `zone`, for a `YYYY-MM-DD` typed in a date picker.
fn day_start(date: &str, zone: &str, days: i64) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()? + Duration::days(days);
    let local = kernel::format::tz(zone).from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest()?;
    Some(local.with_timezone(&Utc))
}

pub async fn list(ctx: Ctx, Query(query): Query<PeopleQuery>) -> AppResult<Html<String>> {
    ctx.require(Permission::ViewPeople)?;
    let filter = query.filter(&ctx.shell.time_zone);
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let mut tx = ctx.tx().await?;
    let mut students = people::search(&mut tx, &filter, i64::from(page - 1) * PAGE, PAGE + 1).await?;
    tx.commit().await?;
    let more = students.len() as i64 > PAGE;
    students.truncate(PAGE as usize);
    let prev = (page > 1).then(|| format!("/admin/people?{}", query.link(page - 1)));
    let next = more.then(|| format!("/admin/people?{}", query.link(page + 1)));
    let export = format!("/admin/people/export.csv?{}", query.link(1));
    ctx.render(
        "identity/people.html",
        context! {
            students => Serde(students), query => Serde(&query), next, prev, export,
            narrowed => query.narrowed(&filter), clear => "/admin/people",
        },
    )
}

/// The filtered list as CSV, read in batches so a large school does not come back in one query.
pub async fn export(ctx: Ctx, Query(query): Query<PeopleQuery>) -> AppResult<Response> {
    ctx.require(Permission::ViewPeople)?;
    let filter = query.filter(&ctx.shell.time_zone);
    let headers =
        ["people-col-student", "people-col-email", "people-col-status", "people-col-joined", "people-col-last-login"];
    let mut out = String::from("\u{feff}"); // spreadsheet programs then read the file as UTF-8
    out.push_str(&csv_row(headers.iter().map(|k| ctx.t(k))));
    let mut tx = ctx.tx().await?;
    let mut offset = 0;
    loop {
        let batch = people::search(&mut tx, &filter, offset, EXPORT_BATCH).await?;
        for s in &batch {
            out.push_str(&csv_row(row(&ctx, s)));
        }
        if (batch.len() as i64) < EXPORT_BATCH {
            break;
        }
        offset += EXPORT_BATCH;
    }
    tx.commit().await?;
    let name = format!("attachment; filename=\"{}-students.csv\"", ctx.school.slug);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], out)
        .into_response())
}

fn row(ctx: &Ctx, s: &User) -> Vec<String> {
    let status = if s.suspended_at.is_some() {
        "badge-suspended"
    } else if s.email_verified_at.is_some() {
        "badge-verified"
    } else {
        "badge-unverified"
    };
    let at = |t: DateTime<Utc>| {
        t.with_timezone(&kernel::format::tz(&ctx.shell.time_zone)).format("%Y-%m-%d %H:%M").to_string()
    };
    vec![s.name.clone(), s.email.clone(), ctx.t(status), at(s.created_at), s.last_login_at.map(at).unwrap_or_default()]
}

/// One CSV line (see `kernel::csv`: formulas stay text, so a student's name cannot run code
/// on the creator's computer).
fn csv_row(cells: impl IntoIterator<Item = String>) -> String {
    kernel::csv::row(&cells.into_iter().collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        let line = csv_row(["=1+1".into(), "Ana, \"la\" Grande".into(), "@x".into(), "plain".into(), "-2".into()]);
        assert_eq!(line, "'=1+1,\"Ana, \"\"la\"\" Grande\",'@x,plain,'-2\r\n");
    }

    #[test]
    fn date_ranges_are_whole_days_in_the_viewers_zone() {
        let start = day_start("2026-11-02", "America/Lima", 0).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-11-02T05:00:00+00:00");
        let end = day_start("2026-11-02", "UTC", 1).unwrap();
        assert_eq!(end.to_rfc3339(), "2026-11-03T00:00:00+00:00");
        assert!(day_start("yesterday", "UTC", 0).is_none());
    }
}
