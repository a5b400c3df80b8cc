//! Bounces and complaints coming back: `POST /hooks/email/bounces/{token}` on the school's
//! site (the token is the school's secret, shown on the settings page; CSRF-exempt like every
//! `/hooks/` route). It takes:
//!
//! - a raw RFC 3464 DSN (`multipart/report; report-type=delivery-status`), with the original
//!   message or its headers attached;
//! - a raw RFC 5965 ARF complaint (`multipart/report; report-type=feedback-report`);
//! - Postmark's JSON webhooks (`RecordType: Bounce` and `SpamComplaint`).
//!
//! The delivery is found by the original `Message-ID` (kept in `email_deliveries.message_id`)
//! or by the VERP envelope (`bounces+{delivery}@…`). A hard bounce (status 5.x.x, or a
//! Postmark `HardBounce`) suppresses the address (`bounce`), sets `bounced_at`, records an
//! `email_events` bounce and publishes `email.bounced`; a soft bounce (4.x.x) is only recorded
//! as an event; a complaint suppresses (`complaint`), sets `complained_at`, records the event
//! and publishes `email.complained`. A report for an unknown message is logged and answered
//! 202 with nothing changed.

use kernel::{AppState, db::TenantTx};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde_json::{Value, json};

use super::delivery_of_envelope;
use crate::email::{DeliveryId, suppression};

/// What a report says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// `bounce` or `complaint`.
    pub kind: &'static str,
    /// For a bounce: whether it is permanent (5.x.x).
    pub hard: bool,
    /// The enhanced status code or provider's type.
    pub status: String,
    /// The recipient the report names.
    pub recipient: Option<String>,
    /// The original message's id, without angle brackets.
    pub message_id: Option<String>,
    /// The delivery from a VERP address.
    pub delivery: Option<DeliveryId>,
    /// The reason in words (diagnostic code or provider's description).
    pub detail: String,
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn strip_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

fn address_of(v: &str) -> String {
    // "rfc822; someone@example.com"
    v.rsplit(';').next().unwrap_or(v).trim().trim_start_matches('<').trim_end_matches('>').to_ascii_lowercase()
}

/// Reads a raw DSN or ARF report. `None` when it is neither.
pub fn parse_mime(raw: &[u8]) -> Option<Report> {
    let msg = MessageParser::default().parse(raw)?;
    let mut report = Report::default();
    let mut saw_report = false;
    for part in msg.parts.iter() {
        let Some(ct) = part.content_type() else { continue };
        let sub = ct.subtype().unwrap_or_default().to_ascii_lowercase();
        let main = ct.ctype().to_ascii_lowercase();
        match (main.as_str(), sub.as_str()) {
            ("message", "delivery-status") | ("message", "feedback-report") => {
                let text = String::from_utf8_lossy(part.contents()).into_owned();
                saw_report = true;
                if sub == "feedback-report" {
                    report.kind = "complaint";
                    report.status = field(&text, "Feedback-Type").unwrap_or("abuse").to_string();
                    report.recipient = field(&text, "Original-Rcpt-To").map(address_of);
                    report.detail = format!("feedback-type {}", report.status);
                } else {
                    report.kind = "bounce";
                    report.status = field(&text, "Status").unwrap_or_default().to_string();
                    report.hard = report.status.starts_with('5')
                        || (report.status.is_empty()
                            && field(&text, "Action").is_some_and(|a| a.eq_ignore_ascii_case("failed")));
                    report.recipient =
                        field(&text, "Final-Recipient").or(field(&text, "Original-Recipient")).map(address_of);
                    report.detail = field(&text, "Diagnostic-Code").unwrap_or(&report.status).to_string();
                }
            }
            ("message", "rfc822") | ("message", "global") => {
                if let PartType::Message(inner) = &part.body {
                    report.message_id = report.message_id.or(inner.message_id().map(strip_id));
                    report.delivery = report.delivery.or(inner.return_path().as_text().and_then(delivery_of_envelope));
                }
            }
            ("text", "rfc822-headers") => {
                let text = String::from_utf8_lossy(part.contents()).into_owned();
                report.message_id = report.message_id.or(field(&text, "Message-ID").map(strip_id));
                report.delivery = report.delivery.or(field(&text, "Return-Path").and_then(delivery_of_envelope));
            }
            _ => {}
        }
    }
    if !saw_report {
        return None;
    }
    // The DSN may come back to the VERP address itself.
    if let Some(to) = msg.to().and_then(|a| a.first()).and_then(|a| a.address()) {
        report.delivery = report.delivery.or(delivery_of_envelope(to));
    }
    Some(report)
}

/// Reads Postmark's bounce or spam-complaint webhook. `None` when it is neither.
pub fn parse_postmark(v: &Value) -> Option<Report> {
    let record = v["RecordType"].as_str()?;
    let email = v["Email"].as_str().map(str::to_ascii_lowercase);
    let message_id = v["MessageID"].as_str().map(strip_id);
    match record {
        "Bounce" => {
            let kind = v["Type"].as_str().unwrap_or_default();
            Some(Report {
                kind: "bounce",
                hard: matches!(kind, "HardBounce" | "BadEmailAddress" | "ManuallyDeactivated"),
                status: kind.to_string(),
                recipient: email,
                message_id,
                delivery: None,
                detail: v["Description"].as_str().or(v["Details"].as_str()).unwrap_or(kind).to_string(),
            })
        }
        "SpamComplaint" => Some(Report {
            kind: "complaint",
            hard: false,
            status: "SpamComplaint".into(),
            recipient: email,
            message_id,
            delivery: None,
            detail: "spam complaint".into(),
        }),
        _ => None,
    }
}

/// What happened to a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The delivery was found and the report recorded.
    Recorded,
    /// No delivery of this school matches.
    Unknown,
}

/// Finds the report's delivery and applies it.
pub async fn apply(state: &AppState, tx: &mut TenantTx, report: &Report) -> anyhow::Result<Outcome> {
    let row: Option<(uuid::Uuid, String, Option<uuid::Uuid>)> = sqlx::query_as(
        "select id, to_email, contact_id from email_deliveries
         where tenant_id = $1 and (id = $2 or message_id = $3 or message_id = '<' || $3 || '>')
         limit 1",
    )
    .bind(tx.tenant())
    .bind(report.delivery)
    .bind(report.message_id.as_deref())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id, to_email, contact)) = row else {
        tracing::info!(tenant = %tx.tenant(), message_id = ?report.message_id, "email report for an unknown message");
        return Ok(Outcome::Unknown);
    };
    let now = state.clock.now();
    let detail = json!({ "status": report.status, "hard": report.hard, "detail": report.detail });
    sqlx::query(
        "insert into email_events (tenant_id, id, delivery_id, kind, detail, at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(id)
    .bind(report.kind)
    .bind(&detail)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let payload = json!({ "delivery_id": id, "contact_id": contact, "email": to_email, "status": report.status });
    match (report.kind, report.hard) {
        ("complaint", _) => {
            sqlx::query("update email_deliveries set complained_at = coalesce(complained_at, $3) where tenant_id = $1 and id = $2")
                .bind(tx.tenant())
                .bind(id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            suppression::suppress(tx, &to_email, "complaint", &report.detail).await?;
            state.events.publish(tx, "email.complained", payload).await?;
        }
        (_, true) => {
            sqlx::query(
                "update email_deliveries set bounced_at = coalesce(bounced_at, $3) where tenant_id = $1 and id = $2",
            )
            .bind(tx.tenant())
            .bind(id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            suppression::suppress(tx, &to_email, "bounce", &report.detail).await?;
            state.events.publish(tx, "email.bounced", payload).await?;
        }
        _ => {} // a soft bounce: the event is the record
    }
    Ok(Outcome::Recorded)
}
