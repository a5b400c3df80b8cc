//! Pre-built automations: each makes the automation (a draft) and its emails, with copy a
//! creator can send as it is and then make their own.

use kernel::db::TenantTx;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{model::AutomationId, store};
use crate::email::content;

/// The recipes, in the order the list offers them.
pub const RECIPES: &[&str] =
    &["welcome", "lead_magnet", "abandoned_cart", "onboarding", "upsell", "win_back", "dunning"];

/// An email of a recipe: name, subject, paragraphs, and a button (label, url).
struct Mail {
    name: &'static str,
    subject: &'static str,
    heading: &'static str,
    paragraphs: &'static [&'static str],
    button: Option<(&'static str, &'static str)>,
}

fn doc(m: &Mail) -> Value {
    let mut blocks = vec![json!({ "kind": "heading", "text": m.heading })];
    for p in m.paragraphs {
        blocks.push(json!({ "kind": "text", "html": format!("<p>{}</p>", minijinja::HtmlEscape(p)) }));
    }
    if let Some((label, url)) = m.button {
        blocks.push(json!({ "kind": "button", "label": label, "url": url }));
    }
    blocks.push(json!({ "kind": "footer" }));
    json!({ "blocks": blocks })
}

fn send(id: &str, email: Uuid) -> Value {
    json!({ "id": id, "kind": "send_email", "config": { "email_id": email } })
}

fn wait_days(id: &str, days: i64) -> Value {
    json!({ "id": id, "kind": "wait", "config": { "mode": "duration", "days": days } })
}

/// A recipe: title, trigger, emails, and the steps given the emails' ids.
type Recipe = (&'static str, Value, Vec<Mail>, fn(&[Uuid]) -> Value);

/// Makes recipe `name` (the trigger narrowed to `form_id` when given); the new automation.
pub async fn create(
    tx: &mut TenantTx,
    name: &str,
    form_id: Option<Uuid>,
    by: Option<Uuid>,
) -> anyhow::Result<Option<AutomationId>> {
    let form = form_id.map(|f| f.to_string()).unwrap_or_default();
    let (title, trigger, mails, shape): Recipe = match name {
        "welcome" => ("Welcome series", json!({ "kind": "form_submitted", "form_id": form }), welcome(), |e| {
            json!([send("s1", e[0]), wait_days("s2", 2), send("s3", e[1]), wait_days("s4", 5), send("s5", e[2])])
        }),
        "lead_magnet" => {
            ("Lead magnet delivery", json!({ "kind": "form_submitted", "form_id": form }), lead_magnet(), |e| {
                json!([send("s1", e[0]), wait_days("s2", 3), {
                    "id": "s3", "kind": "if_else", "config": { "condition": "clicked" },
                    "yes": [{ "id": "s4", "kind": "add_tag", "config": { "tag": "Engaged" } }],
                    "no": [send("s5", e[1])]
                }])
            })
        }
        "abandoned_cart" => ("Abandoned cart", json!({ "kind": "checkout_abandoned" }), abandoned(), |e| {
            json!([send("s1", e[0]), {
                "id": "s2", "kind": "wait", "config": { "mode": "event", "event": "order.paid", "timeout_days": 1 },
                "yes": [{ "id": "s3", "kind": "end" }],
                "no": [send("s4", e[1])]
            }])
        }),
        "onboarding" => ("Post-purchase onboarding", json!({ "kind": "purchase" }), onboarding(), |e| {
            json!([send("s1", e[0]), wait_days("s2", 3), send("s3", e[1]), wait_days("s4", 7), send("s5", e[2])])
        }),
        "upsell" => ("Course completion upsell", json!({ "kind": "course_completed" }), upsell(), |e| {
            json!([wait_days("s1", 1), send("s2", e[0]), wait_days("s3", 4), send("s4", e[1])])
        }),
        "win_back" => ("Win-back", json!({ "kind": "no_login", "days": 30 }), win_back(), |e| {
            json!([send("s1", e[0]), wait_days("s2", 7), {
                "id": "s3", "kind": "if_else", "config": { "condition": "opened" },
                "yes": [{ "id": "s4", "kind": "end" }],
                "no": [send("s5", e[1])]
            }])
        }),
        "dunning" => ("Dunning", json!({ "kind": "subscription_past_due" }), dunning(), |e| {
            json!([send("s1", e[0]), wait_days("s2", 3), send("s3", e[1]), wait_days("s4", 4), send("s5", e[2])])
        }),
        _ => return Ok(None),
    };
    let mut ids = Vec::new();
    for m in &mails {
        ids.push(content::create(tx, m.name, m.subject, doc(m), by).await?.0);
    }
    let id = store::insert(tx, title, &trigger, &shape(&ids), Some(name)).await?;
    Ok(Some(id))
}

fn welcome() -> Vec<Mail> {
    vec![
        Mail {
            name: "Welcome 1 — Hello",
            subject: "Welcome, {{ first_name | default: \"there\" }}!",
            heading: "You're in — welcome!",
            paragraphs: &[
                "Hi {{ first_name | default: \"there\" }}, thanks for joining. Over the next week I'll send you two more short emails with the ideas my students find most useful.",
                "Reply to this email and tell me what you hope to learn — I read every answer.",
            ],
            button: None,
        },
        Mail {
            name: "Welcome 2 — The first step",
            subject: "The one habit that makes the rest easy",
            heading: "Start small, start today",
            paragraphs: &[
                "Most people stall because they start too big. Pick one twenty-minute block this week and protect it.",
                "That single block, repeated, is how every one of my students got their first result.",
            ],
            button: None,
        },
        Mail {
            name: "Welcome 3 — Where to go next",
            subject: "Ready for the next step?",
            heading: "Where to go from here",
            paragraphs: &[
                "You've had a week of ideas. If you want a structured path with feedback, my courses take you from the first step to real results.",
            ],
            button: Some(("See the courses", "/courses")),
        },
    ]
}

fn lead_magnet() -> Vec<Mail> {
    vec![
        Mail {
            name: "Lead magnet — Your download",
            subject: "Here is your download",
            heading: "Your guide is ready",
            paragraphs: &[
                "Hi {{ first_name | default: \"there\" }}, thanks for asking for the guide. Use the button below to get it — it's yours to keep.",
            ],
            button: Some(("Download the guide", "/")),
        },
        Mail {
            name: "Lead magnet — Did you get it?",
            subject: "Did you get a chance to open it?",
            heading: "A quick nudge",
            paragraphs: &[
                "The guide takes ten minutes to read and saves hours. If the first email got buried, here it is again.",
            ],
            button: Some(("Open the guide", "/")),
        },
    ]
}

fn abandoned() -> Vec<Mail> {
    vec![
        Mail {
            name: "Abandoned cart — Still thinking?",
            subject: "You left something behind",
            heading: "Still thinking it over?",
            paragraphs: &[
                "You started checking out {{ trigger.offer_name }} but didn't finish. Your place is saved — pick up right where you left off.",
                "Questions? Just reply; a real person answers.",
            ],
            button: Some(("Finish checking out", "{{ trigger.checkout_url }}")),
        },
        Mail {
            name: "Abandoned cart — Last reminder",
            subject: "Last reminder about {{ trigger.offer_name }}",
            heading: "One last reminder",
            paragraphs: &["We won't keep nudging. If now is the right time, your checkout is one click away."],
            button: Some(("Complete my order", "{{ trigger.checkout_url }}")),
        },
    ]
}

fn onboarding() -> Vec<Mail> {
    vec![
        Mail {
            name: "Onboarding 1 — Thank you",
            subject: "Thank you — here's how to start",
            heading: "Welcome aboard",
            paragraphs: &[
                "Thank you for your purchase of {{ trigger.offer_name }}. The best way to start is the first lesson: it takes fifteen minutes.",
            ],
            button: Some(("Go to my courses", "/learn")),
        },
        Mail {
            name: "Onboarding 2 — Get the most out of it",
            subject: "Three tips to get the most out of your course",
            heading: "Three tips",
            paragraphs: &[
                "1. Set a regular time. 2. Do the exercises, not just the videos. 3. Ask questions in the comments — they help everyone.",
            ],
            button: None,
        },
        Mail {
            name: "Onboarding 3 — How is it going?",
            subject: "How is it going?",
            heading: "A ten-day check-in",
            paragraphs: &[
                "You've had the course for ten days. Reply and tell me one thing that worked and one that didn't.",
            ],
            button: None,
        },
    ]
}

fn upsell() -> Vec<Mail> {
    vec![
        Mail {
            name: "Upsell 1 — Congratulations",
            subject: "You finished {{ trigger.course_title }}!",
            heading: "Congratulations!",
            paragraphs: &[
                "Finishing {{ trigger.course_title }} puts you ahead of most people who start. Take a moment to enjoy it.",
                "When you're ready for the next level, there's a course that builds directly on what you just learned.",
            ],
            button: Some(("See what's next", "/courses")),
        },
        Mail {
            name: "Upsell 2 — Your next step",
            subject: "Your next step after {{ trigger.course_title }}",
            heading: "Keep the momentum",
            paragraphs: &["Students who continue within a week are twice as likely to finish the next course too."],
            button: Some(("Continue learning", "/courses")),
        },
    ]
}

fn win_back() -> Vec<Mail> {
    vec![
        Mail {
            name: "Win-back 1 — We miss you",
            subject: "We haven't seen you in a while",
            heading: "Your courses are waiting",
            paragraphs: &[
                "Hi {{ first_name | default: \"there\" }}, it's been a while. Your progress is saved — you can pick up exactly where you stopped.",
            ],
            button: Some(("Continue where I left off", "/learn")),
        },
        Mail {
            name: "Win-back 2 — Anything we can do?",
            subject: "Is there anything we can do?",
            heading: "Can we help?",
            paragraphs: &["If something got in the way, reply and tell us. We read every message and often can help."],
            button: None,
        },
    ]
}

fn dunning() -> Vec<Mail> {
    vec![
        Mail {
            name: "Dunning 1 — Payment failed",
            subject: "Your payment didn't go through",
            heading: "Please update your payment details",
            paragraphs: &[
                "We couldn't take your latest subscription payment. Nothing is lost: update your card and your access continues as before.",
            ],
            button: Some(("Update my card", "/account/billing")),
        },
        Mail {
            name: "Dunning 2 — Reminder",
            subject: "Reminder: your subscription needs attention",
            heading: "Your subscription is past due",
            paragraphs: &["We'll try the payment again soon. Updating your card now avoids any interruption."],
            button: Some(("Update my card", "/account/billing")),
        },
        Mail {
            name: "Dunning 3 — Last notice",
            subject: "Last notice before your access pauses",
            heading: "Last notice",
            paragraphs: &["Your access pauses when the grace period ends. It takes a minute to keep it."],
            button: Some(("Keep my access", "/account/billing")),
        },
    ]
}
