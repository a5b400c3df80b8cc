//! What the steps do: send an email, tag, enrol, tell staff, call a webhook; and the if/else
//! conditions. Each returns the outcome written on the run's path.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId, mail::OutgoingMail};
use serde_json::json;

use super::model::{Automation, Run, Step};
use crate::{
    contacts,
    email::{EmailId, content, deliveries, suppression},
    model::ContactId,
    store as mstore,
};

/// Lets the webhook step call private and loopback addresses (tests insert it in the wiring's
/// extensions; production never does).
#[derive(Clone, Copy, Debug)]
pub struct AllowPrivateWebhooks;

/// Evaluates an if/else step for the run's contact.
pub async fn condition(tx: &mut TenantTx, a: &Automation, step: &Step, run: &Run) -> sqlx::Result<bool> {
    let contact = ContactId(run.contact_id);
    Ok(match step.text("condition") {
        "has_tag" => {
            let want = step.text("tag").trim().to_lowercase();
            mstore::tags_of(tx, contact).await?.iter().any(|t| t.to_lowercase() == want)
        }
        "purchased" => {
            let offer = step.text("offer_id");
            let n: i64 = sqlx::query_scalar(
                "select count(*) from contact_activity where tenant_id = $1 and contact_id = $2 and kind = 'purchase'
                   and ($3 = '' or detail->>'offer_id' = $3)",
            )
            .bind(tx.tenant())
            .bind(contact)
            .bind(offer)
            .fetch_one(&mut **tx)
            .await?;
            n > 0
        }
        "opened" => super::store::last_delivery(tx, a.id, run.contact_id).await?.is_some_and(|(o, _)| o),
        "clicked" => super::store::last_delivery(tx, a.id, run.contact_id).await?.is_some_and(|(_, c)| c),
        _ => false,
    })
}

/// Does an action step. `Ok(Ok(outcome))` goes on; `Ok(Err(outcome))` leaves the automation.
pub async fn act(
    state: &AppState,
    tx: &mut TenantTx,
    a: &Automation,
    step: &Step,
    run: &Run,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<String, String>> {
    let Some(contact) = mstore::contact(tx, ContactId(run.contact_id)).await? else {
        return Ok(Err("exited: contact gone".into()));
    };
    Ok(Ok(match step.kind.as_str() {
        "send_email" => {
            // Someone who said no leaves the automation: nothing more is sent to them.
            if contact.status == "unsubscribed"
                || contact.suppressed_at.is_some()
                || suppression::is_suppressed(tx, &contact.email).await?
            {
                return Ok(Err("exited: unsubscribed".into()));
            }
            if contact.status != "subscribed" {
                return Ok(Ok("skipped: not subscribed".into()));
            }
            let Some(email) = step.text("email_id").parse::<EmailId>().ok() else {
                return Ok(Ok("skipped: no email chosen".into()));
            };
            if content::find(tx, email).await?.is_none() {
                return Ok(Ok("skipped: email deleted".into()));
            }
            let made = deliveries::enqueue(
                tx,
                &[deliveries::NewDelivery {
                    email_id: email,
                    contact_id: Some(contact.id),
                    to_email: contact.email.clone(),
                    source: "automation",
                    broadcast_id: None,
                    automation_id: Some(a.id.0),
                    step_id: Some(step.id.clone()),
                    subject: None,
                    not_before: now,
                }],
            )
            .await?;
            if made.is_empty() { "skipped".into() } else { "sent".into() }
        }
        "add_tag" => {
            let tag = step.text("tag").trim().to_string();
            contacts::tag(state, tx, contact.id, std::slice::from_ref(&tag)).await?;
            format!("tagged {tag}")
        }
        "remove_tag" => {
            let tag = step.text("tag").trim().to_string();
            contacts::untag(tx, contact.id, std::slice::from_ref(&tag)).await?;
            format!("untagged {tag}")
        }
        "enrol_course" => enrol(state, tx, step, contact.user_id).await?,
        "notify_staff" => {
            let school = state.school(tx.tenant()).await?;
            let to = match step.text("to").trim() {
                "" => identity::store::list(tx, &["owner"], None, None, 1)
                    .await?
                    .first()
                    .map(|u| u.email.to_string())
                    .unwrap_or_else(|| school.sender_email.clone()),
                to => to.to_string(),
            };
            if to.is_empty() {
                return Ok(Ok("skipped: no address".into()));
            }
            let message = step.text("message");
            let text = format!("{}: {} ({})\n\n{}", a.name, contact.email, step.id, message);
            let subject = format!("[{}] {} — {}", school.name, a.name, contact.email);
            let from = kernel::mail::sender(&state.config.mail_from, &school);
            let mail = OutgoingMail {
                to_email: to,
                to_name: String::new(),
                from_email: from.email,
                from_name: from.name,
                reply_to: from.reply_to,
                subject,
                html: format!("<p>{}</p>", minijinja::HtmlEscape(&text)),
                text,
                template: "marketing/automation_notify".into(),
            };
            kernel::mail::queue(tx, &mail).await?;
            "notified".into()
        }
        "webhook" => {
            let body = json!({
                "automation": { "id": a.id, "name": a.name }, "step_id": step.id,
                "contact": { "id": contact.id, "email": contact.email, "first_name": contact.first_name,
                             "last_name": contact.last_name },
                "trigger": run.trigger_data, "at": now,
            });
            match super::webhook::post(state, step.text("url"), &body).await {
                Ok(status) => format!("called ({status})"),
                Err(e) => format!("failed: {e}"),
            }
        }
        other => format!("skipped: unknown step {other}"),
    }))
}

async fn enrol(state: &AppState, tx: &mut TenantTx, step: &Step, user: Option<uuid::Uuid>) -> anyhow::Result<String> {
    let Some(user) = user else { return Ok("skipped: no account".into()) };
    let Some(course) = step.text("course_id").parse().ok() else { return Ok("skipped: no course".into()) };
    let Some(course) = courses::store::course(tx, course).await? else { return Ok("skipped: course gone".into()) };
    if !course.is_free {
        return Ok("skipped: course is not free".into());
    }
    courses::enrollment::enroll(state, tx, UserId(user), &course, courses::enrollment::Source::Staff, None, None)
        .await?;
    Ok("enrolled".into())
}
