//! Assignments: work a student hands in (text and files), and staff's review of it.
//!
//! The lesson page asks [`lesson_context`] what to show; the routes in `routes/assignment*.rs`
//! take the work in and let staff review it; [`service`] holds the rules; staff hear of new
//! work through `assignment.submitted` ([`wire`]).

pub mod files;
pub mod service;
pub mod store;

use std::collections::HashMap;

use identity::{Ctx, Permission, Role};
use kernel::{AppResult, AppState, events::Event, ids::UserId};
use minijinja::{Value, context, value::Serde};
use serde::Serialize;

use crate::model::Lesson;

kernel::id_type!(
    /// A student's work on one assignment.
    SubmissionId
);
kernel::id_type!(
    /// One version of that work.
    VersionId
);
kernel::id_type!(
    /// A file handed in.
    FileId
);

/// What the submit form sent back after it was refused, shown again with the messages.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Refused {
    /// What the student typed.
    pub text: String,
    /// Messages by field (`text`, `files`).
    pub errors: HashMap<String, String>,
}

tokio::task_local! {
    /// Set by the submit route while it renders the lesson page again with its messages.
    pub static REFUSED: Refused;
}

/// A version with its files, as the pages show it.
#[derive(Serialize)]
pub struct VersionView {
    /// The version.
    #[serde(flatten)]
    pub version: store::Version,
    /// Its files.
    pub files: Vec<store::File>,
}

/// A submission's versions, newest first, each with its files.
pub async fn history(tx: &mut kernel::db::TenantTx, submission: SubmissionId) -> sqlx::Result<Vec<VersionView>> {
    let versions = store::versions(tx, submission).await?;
    let files = store::files(tx, submission).await?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let files = files.iter().filter(|f| f.version_id == v.id).cloned().collect();
            VersionView { version: v, files }
        })
        .collect())
}

/// What an assignment lesson's page shows the viewer (their submission and its review).
pub async fn lesson_context(ctx: &Ctx, lesson: &Lesson) -> AppResult<Value> {
    let refused = REFUSED.try_with(Clone::clone).ok();
    let Some(user) = ctx.user.as_deref() else {
        return Ok(context! { limits => limits(), staff => false });
    };
    let mut tx = ctx.tx().await?;
    let submission = store::submission_of(&mut tx, lesson.id, user.id, false).await?;
    let versions = match &submission {
        Some(s) => history(&mut tx, s.id).await?,
        None => vec![],
    };
    let staff = ctx.can(Permission::ManageCourses);
    tx.commit().await?;
    let latest_text = versions.first().map(|v| html_to_text(&v.version.body_html)).unwrap_or_default();
    let text = refused.as_ref().map(|r| r.text.clone()).unwrap_or(latest_text);
    let status = submission.as_ref().map(|s| s.status.clone());
    let can_submit = status.as_deref() != Some("approved");
    Ok(context! {
        submission => Serde(&submission),
        status,
        versions => Serde(&versions),
        feedback => Serde(versions.iter().find(|v| v.version.outcome.is_some()).map(|v| &v.version)),
        can_submit,
        text,
        errors => Serde(refused.map(|r| r.errors).unwrap_or_default()),
        staff,
        limits => limits(),
    })
}

fn limits() -> Value {
    context! { max_mb => files::FILE_MAX_BYTES / (1024 * 1024), max_files => files::FILES_MAX }
}

/// The student's plain text as HTML paragraphs (blank lines part paragraphs, line breaks stay).
pub fn text_to_html(text: &str) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.lines().map(escape).collect::<Vec<_>>().join("<br>")))
        .collect();
    kernel::html::sanitize(&paragraphs.join(""))
}

/// The text back out of [`text_to_html`]'s paragraphs, to edit again.
pub fn html_to_text(html: &str) -> String {
    let spaced = html.replace("<br>", "\n").replace("</p><p>", "\n\n").replace("</p>", "").replace("<p>", "");
    let stripped = ammonia_free_text(&spaced);
    stripped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Drops any tag left (the HTML came from [`text_to_html`], so only its own tags remain).
fn ammonia_free_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Renders and queues one email to `to`, with a subject that may name more than the school
/// (`args` are the subject's Fluent arguments).
pub(crate) async fn send_mail(
    state: &AppState,
    tx: &mut kernel::db::TenantTx,
    school: &kernel::web::School,
    to: &identity::User,
    template: &str,
    subject: (&str, &[(&str, kernel::i18n::ArgValue)]),
    ctx: Value,
) -> anyhow::Result<()> {
    let locale = identity::service::user_locale(to, school);
    let subject = kernel::i18n::t_args(locale, subject.0, subject.1);
    let m = kernel::mail::compose(state, school, locale, (&to.email, &to.name), template, subject, ctx)?;
    kernel::mail::queue(tx, &m).await?;
    Ok(())
}

/// Assignments' event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "assignment.submitted", "courses.assignment_staff_email", tell_staff);
}

/// Emails the course's instructors (or, when it names none, the school's owners and admins)
/// that work is waiting; a replacement of work already waiting sends nothing.
async fn tell_staff(state: AppState, event: Event) -> anyhow::Result<()> {
    if event.payload["replaced"].as_bool().unwrap_or(false) {
        return Ok(());
    }
    let submission: SubmissionId = serde_json::from_value(event.payload["submission_id"].clone())?;
    let student: UserId = serde_json::from_value(event.payload["user_id"].clone())?;
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let Some(s) = store::submission(&mut tx, submission, false).await? else { return Ok(()) };
    let (Some(lesson), Some(course)) =
        (crate::store::lesson(&mut tx, s.lesson_id).await?, crate::store::course(&mut tx, s.course_id).await?)
    else {
        return Ok(());
    };
    let Some(student) = identity::store::find(&mut tx, student).await? else { return Ok(()) };
    let instructors: Vec<UserId> = sqlx::query_scalar(
        "select user_id from course_instructors where tenant_id = $1 and course_id = $2 order by position",
    )
    .bind(event.tenant)
    .bind(course.id)
    .fetch_all(&mut *tx)
    .await?;
    let team = identity::store::team::members(&mut tx).await?;
    let mut to: Vec<_> = team.iter().filter(|u| instructors.contains(&u.id) && u.suspended_at.is_none()).collect();
    if to.is_empty() {
        to =
            team.iter().filter(|u| matches!(u.role(), Role::Owner | Role::Admin) && u.suspended_at.is_none()).collect();
    }
    let url = format!("{}/admin/assignments/{}", school.base_url, s.id);
    for member in to {
        let ctx = context! {
            name => member.name.clone(), student => student.name.clone(), lesson => lesson.title.clone(),
            course => course.title.clone(), version => s.version, url => url.clone(),
        };
        let subject = ("assign-mail-submitted-subject", &[("lesson", lesson.title.clone().into())][..]);
        send_mail(&state, &mut tx, &school, member, "courses/assignments/mail_submitted", subject, ctx).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_survives_the_round_trip_and_markup_is_escaped() {
        let typed = "My essay <b>bold</b> & more\nsecond line\n\nNew paragraph";
        let html = text_to_html(typed);
        assert_eq!(html, "<p>My essay &lt;b&gt;bold&lt;/b&gt; &amp; more<br>second line</p><p>New paragraph</p>");
        assert_eq!(html_to_text(&html), typed);
        assert_eq!(text_to_html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assert_eq!(text_to_html("  \n\n "), "");
    }
}
