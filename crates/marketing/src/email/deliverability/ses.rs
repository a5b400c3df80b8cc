//! Amazon SES bounce and complaint notifications, as SNS delivers them to
//! `POST /hooks/email/bounces/{token}` (an HTTP(S) subscription to the SES configuration set's
//! topic): an SNS envelope (`Type: Notification`) whose `Message` is the SES notification, or the
//! SES notification itself (`notificationType`, or `eventType` from event publishing).
//!
//! SNS first sends a `SubscriptionConfirmation` whose `SubscribeURL` must be visited once; it is
//! visited only when it is an `https://sns.<region>.amazonaws.com/` address, so the hook cannot
//! be used to make the server fetch anything else.

use serde_json::Value;

use super::bounces::Report;

/// What an SNS/SES body asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Ses {
    /// A bounce or complaint to apply.
    Report(Report),
    /// A subscription to confirm by visiting this (checked) address.
    Confirm(String),
    /// An SNS confirmation whose address is not Amazon's.
    BadConfirm,
    /// A notification of another kind (delivery, send…): nothing to do.
    Ignored,
}

fn strip_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

/// Whether `url` is an SNS endpoint of AWS (`https://sns.REGION.amazonaws.com/…`).
pub fn is_sns_url(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else { return false };
    let host = u.host_str().unwrap_or_default();
    u.scheme() == "https"
        && u.port().is_none()
        && host.starts_with("sns.")
        && host.ends_with(".amazonaws.com")
        && host.split('.').count() == 4
        && u.username().is_empty()
}

/// Reads an SNS envelope or an SES notification; `None` when the JSON is neither.
pub fn parse(v: &Value) -> Option<Ses> {
    match v["Type"].as_str() {
        Some("SubscriptionConfirmation") => {
            let url = v["SubscribeURL"].as_str().unwrap_or_default();
            return Some(if is_sns_url(url) { Ses::Confirm(url.to_string()) } else { Ses::BadConfirm });
        }
        Some("Notification") => {
            let inner: Value = serde_json::from_str(v["Message"].as_str()?).ok()?;
            return Some(notification(&inner).unwrap_or(Ses::Ignored));
        }
        Some("UnsubscribeConfirmation") => return Some(Ses::Ignored),
        _ => {}
    }
    notification(v)
}

fn notification(n: &Value) -> Option<Ses> {
    let kind = n["notificationType"].as_str().or(n["eventType"].as_str())?;
    let mail = &n["mail"];
    // The Message-ID we set (SES's own `mail.messageId` is its id, not ours).
    let message_id = mail["commonHeaders"]["messageId"]
        .as_str()
        .or_else(|| {
            mail["headers"].as_array()?.iter().find_map(|h| {
                h["name"].as_str().filter(|n| n.eq_ignore_ascii_case("message-id"))?;
                h["value"].as_str()
            })
        })
        .map(strip_id);
    let first = |list: &Value| -> (Option<String>, Value) {
        let r = list.as_array().and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
        (r["emailAddress"].as_str().map(str::to_ascii_lowercase), r)
    };
    match kind {
        "Bounce" => {
            let b = &n["bounce"];
            let (recipient, r) = first(&b["bouncedRecipients"]);
            let bounce_type = b["bounceType"].as_str().unwrap_or_default();
            let status = r["status"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{bounce_type}/{}", b["bounceSubType"].as_str().unwrap_or_default()));
            let detail = r["diagnosticCode"].as_str().unwrap_or(bounce_type).to_string();
            Some(Ses::Report(Report {
                kind: "bounce",
                hard: bounce_type == "Permanent",
                status,
                recipient,
                message_id,
                delivery: None,
                detail,
            }))
        }
        "Complaint" => {
            let c = &n["complaint"];
            let (recipient, _) = first(&c["complainedRecipients"]);
            Some(Ses::Report(Report {
                kind: "complaint",
                hard: false,
                status: "Complaint".into(),
                recipient,
                message_id,
                delivery: None,
                detail: c["complaintFeedbackType"].as_str().unwrap_or("complaint").to_string(),
            }))
        }
        _ => Some(Ses::Ignored),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sns(message: Value) -> Value {
        json!({ "Type": "Notification", "MessageId": "x", "Message": message.to_string() })
    }

    #[test]
    fn reads_a_permanent_bounce_through_sns_with_our_message_id() {
        let n = json!({
            "notificationType": "Bounce",
            "bounce": { "bounceType": "Permanent", "bounceSubType": "General",
                        "bouncedRecipients": [{ "emailAddress": "Gone@Example.com", "status": "5.1.1",
                                                "diagnosticCode": "smtp; 550 5.1.1 user unknown" }] },
            "mail": { "messageId": "0100018c-ses", "commonHeaders": { "messageId": "<abc@lyceum.test>" } }
        });
        let Some(Ses::Report(r)) = parse(&sns(n)) else { panic!("a report") };
        assert_eq!((r.kind, r.hard, r.status.as_str()), ("bounce", true, "5.1.1"));
        assert_eq!(r.recipient.as_deref(), Some("gone@example.com"));
        assert_eq!(r.message_id.as_deref(), Some("abc@lyceum.test"));
    }

    #[test]
    fn reads_a_transient_bounce_and_a_complaint_from_headers() {
        let soft = json!({
            "eventType": "Bounce",
            "bounce": { "bounceType": "Transient", "bounceSubType": "MailboxFull",
                        "bouncedRecipients": [{ "emailAddress": "full@example.com" }] },
            "mail": { "headers": [{ "name": "Message-ID", "value": "<m1@lyceum.test>" }] }
        });
        let Some(Ses::Report(r)) = parse(&soft) else { panic!("a report") };
        assert!(!r.hard);
        assert_eq!(r.status, "Transient/MailboxFull");
        assert_eq!(r.message_id.as_deref(), Some("m1@lyceum.test"));
        let complaint = json!({
            "notificationType": "Complaint",
            "complaint": { "complainedRecipients": [{ "emailAddress": "angry@example.com" }], "complaintFeedbackType": "abuse" },
            "mail": { "commonHeaders": { "messageId": "<m2@lyceum.test>" } }
        });
        let Some(Ses::Report(r)) = parse(&sns(complaint)) else { panic!("a report") };
        assert_eq!((r.kind, r.detail.as_str()), ("complaint", "abuse"));
        assert_eq!(parse(&sns(json!({ "notificationType": "Delivery", "mail": {} }))), Some(Ses::Ignored));
    }

    #[test]
    fn confirms_only_amazon_sns_addresses() {
        let ok = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t";
        assert_eq!(
            parse(&json!({ "Type": "SubscriptionConfirmation", "SubscribeURL": ok })),
            Some(Ses::Confirm(ok.into()))
        );
        for bad in [
            "http://sns.eu-west-1.amazonaws.com/?x",
            "https://sns.eu-west-1.amazonaws.com.evil.test/",
            "https://evil.test/sns.amazonaws.com",
            "https://sns.eu-west-1.amazonaws.com:8443/",
            "https://user@sns.eu-west-1.amazonaws.com/",
            "https://127.0.0.1/",
        ] {
            assert_eq!(
                parse(&json!({ "Type": "SubscriptionConfirmation", "SubscribeURL": bad })),
                Some(Ses::BadConfirm),
                "{bad}"
            );
        }
        assert_eq!(parse(&json!({ "hello": "world" })), None);
    }
}
