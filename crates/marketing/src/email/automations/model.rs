//! What an automation is made of: a [`Trigger`] and a tree of [`Step`]s with stable ids.
//!
//! Steps are stored as JSON (`automations.steps`). An `if_else` step holds two branches
//! (`yes`, `no`); a `wait` for an event holds its two exits the same way (`yes` = the event
//! came, `no` = the timeout passed). After the last step of a branch the run goes on with the
//! step that follows the branching step.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

kernel::id_type!(
    /// An automation.
    AutomationId
);
kernel::id_type!(
    /// One contact's way through one automation.
    RunId
);

/// The trigger kinds, in the order the editor offers them.
pub const TRIGGERS: &[&str] = &[
    "form_submitted",
    "tag_added",
    "purchase",
    "checkout_abandoned",
    "enrolled",
    "lesson_completed",
    "course_completed",
    "quiz_failed",
    "subscription_past_due",
    "subscription_canceled",
    "no_login",
    "date_field",
    "manual",
];

/// The step kinds.
pub const STEPS: &[&str] =
    &["send_email", "wait", "if_else", "add_tag", "remove_tag", "enrol_course", "notify_staff", "webhook", "end"];

/// The event each event trigger listens to.
pub fn trigger_event(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "form_submitted" => "form.submitted",
        "tag_added" => "contact.tagged",
        "purchase" => "order.paid",
        "checkout_abandoned" => "checkout.abandoned",
        "enrolled" => "enrollment.created",
        "lesson_completed" => "lesson.completed",
        "course_completed" => "course.completed",
        "quiz_failed" => "quiz.failed",
        "subscription_past_due" => "subscription.past_due",
        "subscription_canceled" => "subscription.canceled",
        _ => return None,
    })
}

/// An automation as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Automation {
    /// Its id.
    pub id: AutomationId,
    /// Its name in the admin.
    pub name: String,
    /// `draft`, `active` or `paused`.
    pub status: String,
    /// `{"kind": "form_submitted", "form_id": "…"}` and the like.
    pub trigger: Value,
    /// The step tree.
    pub steps: Value,
    /// Whether a contact who went through it may enter again (never while still in it).
    pub allow_reentry: bool,
    /// The recipe it was made from.
    pub recipe: Option<String>,
    /// Increases with every save (a stale save gets 409).
    pub revision: i32,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Automation {
    /// The parsed step tree (bad JSON reads as no steps).
    pub fn tree(&self) -> Vec<Step> {
        serde_json::from_value(self.steps.clone()).unwrap_or_default()
    }
}

/// One step. Settings are kept loose (`Value`) so the editor can grow without migrations.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Step {
    /// Stable id, unique in the automation.
    pub id: String,
    /// One of [`STEPS`].
    pub kind: String,
    /// The step's settings (email_id, tag, days, …).
    #[serde(default)]
    pub config: Value,
    /// First branch (if: condition true; wait for event: it came).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yes: Vec<Step>,
    /// Second branch (if: false; wait for event: timed out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no: Vec<Step>,
}

impl Step {
    /// A text setting.
    pub fn text(&self, key: &str) -> &str {
        self.config[key].as_str().unwrap_or_default()
    }

    /// A number setting.
    pub fn number(&self, key: &str) -> i64 {
        match &self.config[key] {
            Value::Number(n) => n.as_i64().unwrap_or(0),
            Value::String(s) => s.trim().parse().unwrap_or(0),
            _ => 0,
        }
    }

    fn has_branches(&self) -> bool {
        self.kind == "if_else" || (self.kind == "wait" && self.text("mode") == "event")
    }
}

/// Where a step sits: the path of (list, index) from the root.
fn locate<'a>(list: &'a [Step], id: &str, trail: &mut Vec<(&'a [Step], usize)>) -> bool {
    for (i, s) in list.iter().enumerate() {
        trail.push((list, i));
        if s.id == id || locate(&s.yes, id, trail) || locate(&s.no, id, trail) {
            return true;
        }
        trail.pop();
    }
    false
}

/// The step with this id.
pub fn find<'a>(steps: &'a [Step], id: &str) -> Option<&'a Step> {
    let mut trail = Vec::new();
    locate(steps, id, &mut trail).then(|| trail.last().map(|(l, i)| &l[*i])).flatten()
}

/// The first step of the automation.
pub fn first(steps: &[Step]) -> Option<String> {
    steps.first().map(|s| s.id.clone())
}

/// What follows step `id` when it is done (not entering its branches): the next step in its
/// list, else the step after the branching step that holds the list, and so on up.
pub fn after(steps: &[Step], id: &str) -> Option<String> {
    let mut trail = Vec::new();
    if !locate(steps, id, &mut trail) {
        return None;
    }
    while let Some((list, i)) = trail.pop() {
        if let Some(next) = list.get(i + 1) {
            return Some(next.id.clone());
        }
    }
    None
}

/// The first step of a branch of `step`, or what follows `step` when the branch is empty.
pub fn branch(steps: &[Step], step: &Step, yes: bool) -> Option<String> {
    let list = if yes { &step.yes } else { &step.no };
    list.first().map(|s| s.id.clone()).or_else(|| after(steps, &step.id))
}

/// Every step id in order (depth first).
pub fn ids(steps: &[Step]) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(list: &[Step], out: &mut Vec<String>) {
        for s in list {
            out.push(s.id.clone());
            walk(&s.yes, out);
            walk(&s.no, out);
        }
    }
    walk(steps, &mut out);
    out
}

/// Where a run at step `id` of the old tree goes in the new one: the same step when it is
/// still there, else the first step that followed it in the old tree and still exists, else
/// nowhere (the run ends).
pub fn relocate(old: &[Step], new: &[Step], id: &str) -> Option<String> {
    if find(new, id).is_some() {
        return Some(id.to_string());
    }
    let mut at = after(old, id);
    while let Some(candidate) = at {
        if find(new, &candidate).is_some() {
            return Some(candidate);
        }
        at = after(old, &candidate);
    }
    None
}

/// Checks a tree the editor sent: known kinds, unique non-empty ids, branches only where they
/// belong. The message names the problem.
pub fn validate(steps: &[Step]) -> Result<(), String> {
    let all = ids(steps);
    let mut seen = std::collections::HashSet::new();
    for id in &all {
        if id.is_empty() || id.len() > 40 || !seen.insert(id) {
            return Err(format!("step id {id:?} is empty, too long or used twice"));
        }
    }
    fn check(list: &[Step]) -> Result<(), String> {
        for s in list {
            if !STEPS.contains(&s.kind.as_str()) {
                return Err(format!("unknown step kind {:?}", s.kind));
            }
            let branches = !s.yes.is_empty() || !s.no.is_empty();
            if branches && !s.has_branches() {
                return Err(format!("step {} cannot have branches", s.id));
            }
            check(&s.yes)?;
            check(&s.no)?;
        }
        Ok(())
    }
    check(steps)
}

/// A run as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Run {
    /// Its id.
    pub id: RunId,
    /// The automation.
    pub automation_id: AutomationId,
    /// The contact.
    pub contact_id: Uuid,
    /// The step it is at (`None` once finished).
    pub current_step: Option<String>,
    /// Steps taken so far; guards the step job.
    pub seq: i32,
    /// `active`, `waiting`, `done` or `exited`.
    pub status: String,
    /// When a wait ends.
    pub wake_at: Option<DateTime<Utc>>,
    /// The event kind a wait is for.
    pub waiting_for: Option<String>,
    /// When a wait for an event gives up.
    pub timeout_at: Option<DateTime<Utc>>,
    /// The trigger's data (merge fields).
    pub trigger_data: Value,
    /// Entered.
    pub started_at: DateTime<Utc>,
    /// Left.
    pub finished_at: Option<DateTime<Utc>>,
}

/// One line of a run's path.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PathStep {
    /// The run.
    pub run_id: RunId,
    /// The step.
    pub step_id: String,
    /// Its kind.
    pub kind: String,
    /// What happened (`sent`, `waiting`, `yes`, `moved`, …).
    pub outcome: String,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tree() -> Vec<Step> {
        serde_json::from_value(json!([
            {"id": "a", "kind": "send_email"},
            {"id": "b", "kind": "if_else", "yes": [{"id": "c", "kind": "add_tag"}], "no": [{"id": "d", "kind": "end"}]},
            {"id": "e", "kind": "send_email"}
        ]))
        .unwrap()
    }

    #[test]
    fn steps_follow_each_other_and_branches_rejoin() {
        let t = tree();
        assert_eq!(after(&t, "a").as_deref(), Some("b"));
        assert_eq!(after(&t, "c").as_deref(), Some("e"));
        assert_eq!(after(&t, "e"), None);
        assert_eq!(branch(&t, find(&t, "b").unwrap(), true).as_deref(), Some("c"));
        assert!(validate(&t).is_ok());
    }

    #[test]
    fn a_deleted_step_moves_on_to_what_followed_it() {
        let old = tree();
        let new: Vec<Step> = old.iter().filter(|s| s.id != "b").cloned().collect();
        assert_eq!(relocate(&old, &new, "c").as_deref(), Some("e"));
        assert_eq!(relocate(&old, &new, "a").as_deref(), Some("a"));
        assert_eq!(relocate(&old, &[], "a"), None);
    }
}
