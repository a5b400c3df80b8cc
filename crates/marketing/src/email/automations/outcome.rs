//! What happened at a step of a contact's path, in the viewer's language. The runner records
//! outcomes as short English codes (`sent`, `waiting for order.paid`, `skipped: no address`,
//! `tagged vip`) that stay stable in the database; this turns them into a sentence of the
//! viewer's locale, keeping any unknown outcome as it was recorded.

use kernel::i18n::{ArgValue, Locale, t, t_args};

/// Outcomes recorded as they are, each with its message key.
const PLAIN: &[(&str, &str)] = &[
    ("entered", "automations-outcome-entered"),
    ("sent", "automations-outcome-sent"),
    ("skipped", "automations-outcome-skipped"),
    ("enrolled", "automations-outcome-enrolled"),
    ("notified", "automations-outcome-notified"),
    ("yes", "automations-outcome-yes"),
    ("no", "automations-outcome-no"),
    ("ended", "automations-outcome-ended"),
    ("waiting", "automations-outcome-waiting"),
    ("timed out", "automations-outcome-timed-out"),
];

/// Reasons after `skipped: ` and `exited: `, each with its message key.
const REASONS: &[(&str, &str)] = &[
    ("not subscribed", "automations-reason-not-subscribed"),
    ("no email chosen", "automations-reason-no-email"),
    ("email deleted", "automations-reason-email-deleted"),
    ("no address", "automations-reason-no-address"),
    ("no account", "automations-reason-no-account"),
    ("no course", "automations-reason-no-course"),
    ("course gone", "automations-reason-course-gone"),
    ("course is not free", "automations-reason-course-not-free"),
    ("contact gone", "automations-reason-contact-gone"),
    ("unsubscribed", "automations-reason-unsubscribed"),
    ("step deleted", "automations-reason-step-deleted"),
];

fn reason(locale: Locale, r: &str) -> String {
    REASONS.iter().find(|(code, _)| *code == r).map_or_else(|| r.to_string(), |(_, key)| t(locale, key))
}

fn one(locale: Locale, key: &str, name: &str, value: &str) -> String {
    t_args(locale, key, &[(name, ArgValue::from(value))])
}

/// The outcome `code` as the viewer reads it.
pub fn label(locale: Locale, code: &str) -> String {
    if let Some((_, key)) = PLAIN.iter().find(|(c, _)| *c == code) {
        return t(locale, key);
    }
    if let Some(r) = code.strip_prefix("skipped: ") {
        return one(locale, "automations-outcome-skipped-because", "reason", &reason(locale, r));
    }
    if let Some(r) = code.strip_prefix("exited: ") {
        return one(locale, "automations-outcome-exited-because", "reason", &reason(locale, r));
    }
    if let Some(e) = code.strip_prefix("waiting for ") {
        return one(locale, "automations-outcome-waiting-for", "event", e);
    }
    if let Some(tag) = code.strip_prefix("tagged ") {
        return one(locale, "automations-outcome-tagged", "tag", tag);
    }
    if let Some(tag) = code.strip_prefix("untagged ") {
        return one(locale, "automations-outcome-untagged", "tag", tag);
    }
    if let Some(status) = code.strip_prefix("called (").and_then(|s| s.strip_suffix(')')) {
        return one(locale, "automations-outcome-called", "status", status);
    }
    if let Some(e) = code.strip_prefix("failed: ") {
        return one(locale, "automations-outcome-failed", "error", e);
    }
    if let Some(step) = code.strip_prefix("moved to ").and_then(|s| s.strip_suffix(": step deleted")) {
        return one(locale, "automations-outcome-moved", "step", step);
    }
    code.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_outcome_reads_in_both_languages() {
        let codes = [
            "entered",
            "sent",
            "skipped",
            "enrolled",
            "notified",
            "yes",
            "no",
            "ended",
            "waiting",
            "timed out",
            "skipped: not subscribed",
            "skipped: no email chosen",
            "skipped: email deleted",
            "skipped: no address",
            "skipped: no account",
            "skipped: no course",
            "skipped: course gone",
            "skipped: course is not free",
            "exited: contact gone",
            "exited: unsubscribed",
            "exited: step deleted",
            "waiting for order.paid",
            "tagged vip",
            "untagged vip",
            "called (200)",
            "failed: timeout",
            "moved to s3: step deleted",
        ];
        for locale in [Locale::En, Locale::Es] {
            for code in codes {
                let l = label(locale, code);
                assert!(!l.is_empty() && !l.contains("automations-"), "{code} in {locale:?}: {l}");
            }
        }
        let es = Locale::Es;
        assert_ne!(label(es, "sent"), "sent");
        assert!(label(es, "tagged vip").contains("vip"));
        assert_eq!(label(es, "something new"), "something new");
    }
}
