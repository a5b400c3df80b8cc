//! The recent-activity feed: activity rows turned into sentences in the viewer's language
//! ("Ana completed Exposure · 2 h ago"), with one query for the students' names.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kernel::{
    db::TenantTx,
    i18n::{self, ArgValue, Locale},
};
use serde::Serialize;

use crate::store::Activity;

/// One line of the feed.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// The sentence.
    pub text: String,
    /// How long ago, in words.
    pub ago: String,
    /// When, for the `<time>` element.
    pub at: DateTime<Utc>,
    /// The icon beside it.
    pub icon: &'static str,
    /// Where it links: the course's analytics.
    pub href: Option<String>,
}

fn icon(kind: &str) -> &'static str {
    match kind {
        "enrollment.created" => "user-plus",
        "enrollment.revoked" => "user-x",
        "lesson.completed" => "circle-check",
        "course.completed" => "trophy",
        "quiz.passed" => "badge-check",
        "quiz.failed" => "list-checks",
        "certificate.issued" => "award",
        _ => "activity",
    }
}

/// How long before `now` `at` was, in words ("just now", "5 min ago", "2 h ago", "3 days ago").
pub fn ago(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    let (key, count) = match minutes {
        0 => return i18n::t(locale, "insights-ago-now"),
        1..60 => ("insights-ago-minutes", minutes),
        60..1440 => ("insights-ago-hours", minutes / 60),
        _ => ("insights-ago-days", minutes / 1440),
    };
    i18n::t_args(locale, key, &[("count", ArgValue::Num(count as f64))])
}

/// The feed for `rows`, newest first as given.
pub async fn items(
    tx: &mut TenantTx,
    locale: Locale,
    rows: Vec<Activity>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Item>> {
    let mut ids: Vec<_> = rows.iter().filter_map(|r| r.user_id).collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<_, _> =
        identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let name =
                r.user_id.and_then(|u| names.get(&u).cloned()).unwrap_or_else(|| i18n::t(locale, "insights-someone"));
            let key = format!("insights-feed-{}", r.kind.replace(['.', '_'], "-"));
            let text = i18n::t_args(
                locale,
                &key,
                &[
                    ("name", ArgValue::Str(name)),
                    ("subject", ArgValue::Str(r.subject.clone())),
                    ("score", ArgValue::Num(r.score.unwrap_or(0.0).round())),
                ],
            );
            Item {
                text,
                ago: ago(locale, r.occurred_at, now),
                at: r.occurred_at,
                icon: icon(&r.kind),
                href: r.course_id.map(|c| format!("/admin/courses/{c}/analytics")),
            }
        })
        .collect())
}
