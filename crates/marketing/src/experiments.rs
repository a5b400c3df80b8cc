//! A/B tests of a page. Variant A is the page's published version; variant B is a copy of it,
//! kept in `page_experiments` (not in the page's draft, so the builder stays free for the next
//! version), whose one-line and multi-line texts — headlines, subheadings, button labels — the
//! creator edits on `/admin/pages/{id}/experiment`. Ending a test makes the winner's document
//! the page's draft and publishes it.

use std::collections::BTreeMap;

use kernel::{AppState, db::TenantTx};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{
    funnel_store::{self, Experiment},
    model::PageId,
    pages::{self, PageError},
    sections::{self, Document, Field, Problems},
    stats::{self, Significance},
    store,
};

/// Why a test cannot start or end.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// Only a published page can be tested.
    #[error("the page is not published")]
    NotPublished,
    /// A test of this page is already running.
    #[error("a test is already running")]
    AlreadyRunning,
    /// No test of this page is running.
    #[error("no test is running")]
    NotRunning,
    /// The page change failed.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Starts a test of `page` with variant B a copy of its published version, counting `goal`
/// (`optin` or `purchase`) as the conversion.
pub async fn start(state: &AppState, tx: &mut TenantTx, page: PageId, goal: &str) -> Result<Uuid, ExperimentError> {
    let p = store::page_for_update(tx, page).await?.ok_or(PageError::NotFound)?;
    let doc = pages::published(tx, &p).await?.ok_or(ExperimentError::NotPublished)?;
    if funnel_store::running(tx, page).await?.is_some() {
        return Err(ExperimentError::AlreadyRunning);
    }
    let id = funnel_store::insert_experiment(tx, page, &doc, goal_of(goal), state.clock.now()).await?;
    crate::render::forget(state, tx.tenant());
    Ok(id)
}

fn goal_of(goal: &str) -> &'static str {
    if goal == "purchase" { "purchase" } else { "optin" }
}

/// A text of variant B the creator can change: which section, which field, what it says.
#[derive(Debug, Clone, Serialize)]
pub struct EditableText {
    /// The form field's name, `{section index}.{field}` (as [`sections::clean`] names problems).
    pub name: String,
    /// The section's kind.
    pub kind: String,
    /// The section's place on the page, from 1 (for its label).
    pub position: usize,
    /// The field (for its label).
    pub field: String,
    /// Several lines.
    pub multiline: bool,
    /// The longest text allowed.
    pub max: usize,
    /// The current text.
    pub value: String,
}

/// The texts of `doc` the variant editor shows: every one-line and multi-line field.
pub fn editable(doc: &Document) -> Vec<EditableText> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        let Some(kind) = sections::kind(&s.kind) else { continue };
        for (name, field) in kind.fields {
            let (multiline, max) = match field {
                Field::Text { max } => (false, *max),
                Field::Multiline { max } => (true, *max),
                _ => continue,
            };
            out.push(EditableText {
                name: format!("{i}.{name}"),
                kind: s.kind.clone(),
                position: i + 1,
                field: (*name).to_string(),
                multiline,
                max,
                value: s.data.get(*name).and_then(Value::as_str).unwrap_or_default().to_string(),
            });
        }
    }
    out
}

/// `doc` with the texts in `fields` (named as [`editable`] names them) replaced.
pub fn apply(doc: &Document, fields: &BTreeMap<String, String>) -> Document {
    let mut out = doc.clone();
    for t in editable(doc) {
        if let Some(v) = fields.get(&t.name) {
            let i: usize = t.name.split('.').next().and_then(|i| i.parse().ok()).unwrap_or(usize::MAX);
            if let Some(s) = out.sections.get_mut(i) {
                s.data.insert(t.field, Value::String(v.clone()));
            }
        }
    }
    out
}

/// Saves variant B's texts and the goal; the problems to show beside the fields otherwise.
pub async fn save_b(
    state: &AppState,
    tx: &mut TenantTx,
    test: &Experiment,
    fields: &BTreeMap<String, String>,
    goal: &str,
) -> Result<Result<(), Problems>, ExperimentError> {
    let doc = match sections::clean(&apply(&test.variant_b, fields)) {
        Ok(d) => d,
        Err(p) => return Ok(Err(p)),
    };
    funnel_store::update_experiment(tx, test.id, &doc, goal_of(goal)).await?;
    crate::render::forget(state, tx.tenant());
    Ok(Ok(()))
}

/// Ends the page's running test keeping `winner` (`a` or `b`): its document becomes the draft
/// and is published. Returns the published version's number.
pub async fn end(
    state: &AppState,
    tx: &mut TenantTx,
    page: PageId,
    winner: &str,
    by: Option<Uuid>,
) -> Result<i32, ExperimentError> {
    let p = store::page_for_update(tx, page).await?.ok_or(PageError::NotFound)?;
    let test = funnel_store::running(tx, page).await?.ok_or(ExperimentError::NotRunning)?;
    let (winner, doc) = if winner == "b" {
        ("b", test.variant_b.clone())
    } else {
        ("a", pages::published(tx, &p).await?.ok_or(ExperimentError::NotPublished)?)
    };
    store::save_draft(tx, page, &doc, by, state.clock.now()).await?;
    funnel_store::end_experiment(tx, test.id, winner, state.clock.now()).await?;
    Ok(pages::publish(state, tx, page, by).await?)
}

/// One arm's results.
#[derive(Debug, Clone, Serialize)]
pub struct Arm {
    /// `a` or `b`.
    pub variant: &'static str,
    /// Unique visitors (distinct per day, summed).
    pub visitors: i64,
    /// Conversions toward the test's goal.
    pub conversions: i64,
    /// Conversion rate in percent.
    pub rate: Option<f64>,
}

/// A test's results: each arm, and B against A.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Variant A, then B.
    pub arms: [Arm; 2],
    /// The z-test of B against A, once both arms have visitors.
    pub significance: Option<Significance>,
}

/// The results of `test` so far (or over its whole run once ended).
pub async fn results(state: &AppState, tx: &mut TenantTx, test: &Experiment) -> sqlx::Result<Results> {
    let to = test.ended_at.unwrap_or_else(|| state.clock.now() + chrono::Duration::seconds(1));
    let rows = funnel_store::by_variant(tx, test.page_id, test.started_at, to).await?;
    let arm = |v: &'static str| {
        let c = rows.iter().find(|r| r.variant.as_deref() == Some(v)).cloned().unwrap_or_default();
        let conversions = if test.goal == "purchase" { c.sales } else { c.optins };
        Arm { variant: v, visitors: c.visitors, conversions, rate: stats::rate(conversions, c.visitors) }
    };
    let arms = [arm("a"), arm("b")];
    let significance =
        stats::significance(arms[0].conversions, arms[0].visitors, arms[1].conversions, arms[1].visitors);
    Ok(Results { arms, significance })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_texts_are_listed_and_replaced() {
        let doc = crate::page_templates::document("blank", "Paint with light");
        let texts = editable(&doc);
        let headline = texts.iter().find(|t| t.field == "headline").expect("the hero's headline");
        assert_eq!(headline.value, "Paint with light");
        let changed = apply(&doc, &BTreeMap::from([(headline.name.clone(), "Paint with colour".to_string())]));
        assert_eq!(changed.sections[0].data["headline"], "Paint with colour");
    }
}
