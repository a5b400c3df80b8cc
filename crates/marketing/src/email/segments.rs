//! Segments: which contacts a broadcast goes to, as rules on tags, purchases, courses, signup
//! date, engagement and custom fields, matched all together or any one of them.
//!
//! A segment is JSON (`{"match": "all", "rules": [{"kind": "has_tag", "tag": "VIP"}]}`) and is
//! compiled to a SQL condition on `contacts c` with every value bound, never spliced. Whatever
//! the rules, only subscribed contacts whose address is not suppressed are ever in a segment.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kernel::{AppState, db::TenantTx, events::Event};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::contacts_store as cs;

/// Whether every rule must hold, or one is enough.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every rule.
    #[default]
    All,
    /// At least one rule.
    Any,
}

/// One condition on a contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Has the tag (any case).
    HasTag { tag: String },
    /// Does not have the tag.
    LacksTag { tag: String },
    /// Bought something, or this offer.
    Purchased { offer_id: Option<Uuid> },
    /// Enrolled in any course, or this one.
    Enrolled { course_id: Option<Uuid> },
    /// Completed any course, or this one.
    Completed { course_id: Option<Uuid> },
    /// Became a contact before this day (in the school's zone).
    SignedUpBefore { date: NaiveDate },
    /// Became a contact on or after this day.
    SignedUpAfter { date: NaiveDate },
    /// Became a contact in the last N days.
    SignedUpWithin { days: i32 },
    /// Opened an email in the last N days.
    OpenedWithin { days: i32 },
    /// Clicked in an email in the last N days.
    ClickedWithin { days: i32 },
    /// Never opened an email.
    NeverOpened {},
    /// A custom field equals a value (any case).
    FieldEquals { field: String, value: String },
    /// A custom field contains a value (any case).
    FieldContains { field: String, value: String },
    /// A custom field has a value.
    FieldSet { field: String },
}

/// The kinds of rule, in the order the builder offers them.
pub const KINDS: &[&str] = &[
    "has_tag",
    "lacks_tag",
    "purchased",
    "enrolled",
    "completed",
    "signed_up_before",
    "signed_up_after",
    "signed_up_within",
    "opened_within",
    "clicked_within",
    "never_opened",
    "field_equals",
    "field_contains",
    "field_set",
];

/// A segment of the school's contacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// All or any.
    #[serde(rename = "match", default)]
    pub mode: Match,
    /// The rules; none means every subscribed contact.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// One rule as the builder's row shows it: its kind and two text values.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleRow {
    /// One of [`KINDS`].
    pub kind: String,
    /// Tag, offer, course, date, days or field name.
    pub value: String,
    /// A field's value.
    pub extra: String,
    /// The message key of what is wrong with it, if anything.
    pub error: Option<&'static str>,
}

fn days(v: &str) -> Result<i32, &'static str> {
    v.trim().parse::<i32>().ok().filter(|d| (1..=3650).contains(d)).ok_or("broadcasts-rule-days")
}

fn optional_id(v: &str) -> Result<Option<Uuid>, &'static str> {
    match v.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| "broadcasts-rule-choice"),
    }
}

fn text(v: &str, max: usize, err: &'static str) -> Result<String, &'static str> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max { Err(err) } else { Ok(v.to_string()) }
}

fn field_key(v: &str) -> Result<String, &'static str> {
    let key = crate::contacts_import::field_key(v);
    if key.is_empty() { Err("broadcasts-rule-field") } else { Ok(key) }
}

impl RuleRow {
    /// The rule it describes, or the key of the message saying what is missing.
    pub fn parse(&self) -> Result<Rule, &'static str> {
        let (v, x) = (self.value.as_str(), self.extra.as_str());
        Ok(match self.kind.as_str() {
            "has_tag" => Rule::HasTag { tag: text(v, 60, "broadcasts-rule-tag")? },
            "lacks_tag" => Rule::LacksTag { tag: text(v, 60, "broadcasts-rule-tag")? },
            "purchased" => Rule::Purchased { offer_id: optional_id(v)? },
            "enrolled" => Rule::Enrolled { course_id: optional_id(v)? },
            "completed" => Rule::Completed { course_id: optional_id(v)? },
            "signed_up_before" | "signed_up_after" => {
                let date = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| "broadcasts-rule-date")?;
                if self.kind == "signed_up_before" {
                    Rule::SignedUpBefore { date }
                } else {
                    Rule::SignedUpAfter { date }
                }
            }
            "signed_up_within" => Rule::SignedUpWithin { days: days(v)? },
            "opened_within" => Rule::OpenedWithin { days: days(v)? },
            "clicked_within" => Rule::ClickedWithin { days: days(v)? },
            "never_opened" => Rule::NeverOpened {},
            "field_equals" => Rule::FieldEquals { field: field_key(v)?, value: text(x, 500, "broadcasts-rule-value")? },
            "field_contains" => {
                Rule::FieldContains { field: field_key(v)?, value: text(x, 500, "broadcasts-rule-value")? }
            }
            "field_set" => Rule::FieldSet { field: field_key(v)? },
            _ => return Err("broadcasts-rule-choice"),
        })
    }

    /// The row showing a rule.
    pub fn of(rule: &Rule) -> Self {
        let id = |o: &Option<Uuid>| o.map(|u| u.to_string()).unwrap_or_default();
        let (kind, value, extra) = match rule {
            Rule::HasTag { tag } => ("has_tag", tag.clone(), String::new()),
            Rule::LacksTag { tag } => ("lacks_tag", tag.clone(), String::new()),
            Rule::Purchased { offer_id } => ("purchased", id(offer_id), String::new()),
            Rule::Enrolled { course_id } => ("enrolled", id(course_id), String::new()),
            Rule::Completed { course_id } => ("completed", id(course_id), String::new()),
            Rule::SignedUpBefore { date } => ("signed_up_before", date.to_string(), String::new()),
            Rule::SignedUpAfter { date } => ("signed_up_after", date.to_string(), String::new()),
            Rule::SignedUpWithin { days } => ("signed_up_within", days.to_string(), String::new()),
            Rule::OpenedWithin { days } => ("opened_within", days.to_string(), String::new()),
            Rule::ClickedWithin { days } => ("clicked_within", days.to_string(), String::new()),
            Rule::NeverOpened {} => ("never_opened", String::new(), String::new()),
            Rule::FieldEquals { field, value } => ("field_equals", field.clone(), value.clone()),
            Rule::FieldContains { field, value } => ("field_contains", field.clone(), value.clone()),
            Rule::FieldSet { field } => ("field_set", field.clone(), String::new()),
        };
        Self { kind: kind.into(), value, extra, error: None }
    }
}

/// Reads the builder's fields (`match`, then per row `rule`, `value`, `extra` in order): the
/// rows as typed, and the segment when every row is valid.
pub fn from_form(pairs: &[(String, String)]) -> (Vec<RuleRow>, Option<Segment>) {
    let mut rows: Vec<RuleRow> = vec![];
    let mut mode = Match::All;
    for (k, v) in pairs {
        match k.as_str() {
            "match" if v == "any" => mode = Match::Any,
            "rule" => rows.push(RuleRow { kind: v.clone(), ..Default::default() }),
            "value" => {
                if let Some(r) = rows.last_mut() {
                    v.clone_into(&mut r.value);
                }
            }
            "extra" => {
                if let Some(r) = rows.last_mut() {
                    v.clone_into(&mut r.extra);
                }
            }
            _ => {}
        }
    }
    let mut rules = vec![];
    for r in &mut rows {
        match r.parse() {
            Ok(rule) => rules.push(rule),
            Err(e) => r.error = Some(e),
        }
    }
    let ok = rows.iter().all(|r| r.error.is_none());
    (rows, ok.then_some(Segment { mode, rules }))
}

/// Where the compiled condition takes the moments it needs.
#[derive(Clone, Debug)]
pub struct Now {
    /// The present (from the application's clock).
    pub at: DateTime<Utc>,
    /// The school's zone, for signup dates.
    pub zone: String,
}

fn start_of(date: NaiveDate, zone: &str) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    kernel::format::tz(zone).from_local_datetime(&naive).earliest().map_or(naive.and_utc(), |t| t.with_timezone(&Utc))
}

fn activity(q: &mut QueryBuilder<Postgres>, kind: &str, key: &str, id: Option<Uuid>) {
    q.push("exists (select 1 from contact_activity a where a.tenant_id = c.tenant_id and a.contact_id = c.id and a.kind = ");
    q.push_bind(kind.to_string());
    if let Some(id) = id {
        q.push(" and a.detail->>");
        q.push_bind(key.to_string());
        q.push(" = ");
        q.push_bind(id.to_string());
    }
    q.push(")");
}

fn engaged(q: &mut QueryBuilder<Postgres>, column: &str, since: Option<DateTime<Utc>>) {
    q.push("exists (select 1 from email_deliveries d where d.tenant_id = c.tenant_id and d.contact_id = c.id and d.");
    q.push(column);
    match since {
        Some(t) => {
            q.push(" >= ");
            q.push_bind(t);
        }
        None => {
            q.push(" is not null");
        }
    }
    q.push(")");
}

fn push_rule(q: &mut QueryBuilder<Postgres>, rule: &Rule, now: &Now) {
    let tag = |q: &mut QueryBuilder<Postgres>, t: &str| {
        q.push(
            "exists (select 1 from contact_tags ct join tags t on t.tenant_id = ct.tenant_id and t.id = ct.tag_id \
             where ct.tenant_id = c.tenant_id and ct.contact_id = c.id and lower(t.name) = lower(",
        );
        q.push_bind(t.to_string());
        q.push("))");
    };
    let field = |q: &mut QueryBuilder<Postgres>, f: &str| {
        q.push("lower(coalesce(c.fields->>");
        q.push_bind(f.to_string());
        q.push(", ''))");
    };
    match rule {
        Rule::HasTag { tag: t } => tag(q, t),
        Rule::LacksTag { tag: t } => {
            q.push("not ");
            tag(q, t);
        }
        Rule::Purchased { offer_id: None } => {
            q.push("(c.is_customer or ");
            activity(q, "purchase", "offer_id", None);
            q.push(")");
        }
        Rule::Purchased { offer_id } => activity(q, "purchase", "offer_id", *offer_id),
        Rule::Enrolled { course_id } => activity(q, "enrolled", "course_id", *course_id),
        Rule::Completed { course_id } => activity(q, "completed", "course_id", *course_id),
        Rule::SignedUpBefore { date } => {
            q.push("c.created_at < ");
            q.push_bind(start_of(*date, &now.zone));
        }
        Rule::SignedUpAfter { date } => {
            q.push("c.created_at >= ");
            q.push_bind(start_of(*date, &now.zone));
        }
        Rule::SignedUpWithin { days } => {
            q.push("c.created_at >= ");
            q.push_bind(now.at - Duration::days(i64::from(*days)));
        }
        Rule::OpenedWithin { days } => engaged(q, "opened_at", Some(now.at - Duration::days(i64::from(*days)))),
        Rule::ClickedWithin { days } => engaged(q, "clicked_at", Some(now.at - Duration::days(i64::from(*days)))),
        Rule::NeverOpened {} => {
            q.push("not ");
            engaged(q, "opened_at", None);
        }
        Rule::FieldEquals { field: f, value } => {
            field(q, f);
            q.push(" = lower(");
            q.push_bind(value.clone());
            q.push(")");
        }
        Rule::FieldContains { field: f, value } => {
            q.push("strpos(");
            field(q, f);
            q.push(", lower(");
            q.push_bind(value.clone());
            q.push(")) > 0");
        }
        Rule::FieldSet { field: f } => {
            field(q, f);
            q.push(" <> ''");
        }
    }
}

/// Appends the condition that a contact `c` of the transaction's school is in the segment:
/// subscribed, not suppressed, and matching the rules.
pub fn push_where(q: &mut QueryBuilder<Postgres>, tenant: Uuid, segment: &Segment, now: &Now) {
    q.push(" c.tenant_id = ");
    q.push_bind(tenant);
    q.push(
        " and c.status = 'subscribed' and c.suppressed_at is null \
         and not exists (select 1 from suppressions s where s.tenant_id = c.tenant_id and s.email = c.email)",
    );
    if segment.rules.is_empty() {
        return;
    }
    q.push(" and (");
    let glue = if segment.mode == Match::Any { " or " } else { " and " };
    for (i, rule) in segment.rules.iter().enumerate() {
        if i > 0 {
            q.push(glue);
        }
        q.push("(");
        push_rule(q, rule, now);
        q.push(")");
    }
    q.push(")");
}

/// How many contacts the segment holds now.
pub async fn count(tx: &mut TenantTx, segment: &Segment, now: &Now) -> sqlx::Result<i64> {
    let mut q = QueryBuilder::new("select count(*) from contacts c where");
    push_where(&mut q, tx.tenant().0, segment, now);
    q.build_query_scalar().fetch_one(&mut **tx).await
}

/// The addresses of the segment (tests and previews), in address order.
pub async fn emails(tx: &mut TenantTx, segment: &Segment, now: &Now) -> sqlx::Result<Vec<String>> {
    let mut q = QueryBuilder::new("select c.email from contacts c where");
    push_where(&mut q, tx.tenant().0, segment, now);
    q.push(" order by c.email");
    q.build_query_scalar().fetch_all(&mut **tx).await
}

/// Records course completions as contact activity, so segments can use them.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "course.completed", "marketing.contact_completed", on_completed);
}

async fn on_completed(state: AppState, event: Event) -> anyhow::Result<()> {
    let Some(user) = event.payload["user_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) else { return Ok(()) };
    let mut tx = state.db.tenant(event.tenant).await?;
    if let Some(id) = cs::by_user(&mut tx, user).await? {
        let p = &event.payload;
        let detail = json!({ "course_id": p["course_id"], "course_title": p["course_title"] });
        cs::activity_once(&mut tx, id, "completed", &detail, event.occurred_at, event.id.0).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_builder_rows_become_a_segment_and_back() {
        let (rows, seg) = from_form(&pairs(&[
            ("match", "any"),
            ("rule", "has_tag"),
            ("value", " VIP "),
            ("extra", ""),
            ("rule", "field_equals"),
            ("value", "Company"),
            ("extra", "Acme"),
        ]));
        let seg = seg.unwrap();
        assert_eq!(seg.mode, Match::Any);
        assert_eq!(seg.rules[0], Rule::HasTag { tag: "VIP".into() });
        assert_eq!(seg.rules[1], Rule::FieldEquals { field: "company".into(), value: "Acme".into() });
        assert_eq!(RuleRow::of(&seg.rules[1]).extra, "Acme");
        assert_eq!(rows.len(), 2);
        let json = serde_json::to_value(&seg).unwrap();
        assert_eq!(json["rules"][0], json!({"kind": "has_tag", "tag": "VIP"}));
        assert_eq!(serde_json::from_value::<Segment>(json).unwrap(), seg);
    }

    #[test]
    fn a_row_missing_its_value_says_what_is_missing() {
        let (rows, seg) = from_form(&pairs(&[("rule", "opened_within"), ("value", "soon")]));
        assert!(seg.is_none());
        assert_eq!(rows[0].error, Some("broadcasts-rule-days"));
    }
}
