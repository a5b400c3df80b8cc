//! Who may watch an item. Staff of the school always may; other domains (courses: "enrolled in
//! a course whose lesson uses this video") add their rules by implementing [`Entitlement`] and
//! registering it with [`register`] when the application is wired.

use std::sync::Arc;

use identity::{Permission, User};
use kernel::{AppState, db::TenantTx, state::Wiring};

use crate::model::MediaId;

/// A rule that may let a person watch or download an item.
#[async_trait::async_trait]
pub trait Entitlement: Send + Sync {
    /// Whether `user` may watch `media` (which exists in the transaction's school); `state`
    /// gives the rule the application's clock and services.
    async fn may_watch(&self, state: &AppState, tx: &mut TenantTx, user: &User, media: MediaId)
    -> anyhow::Result<bool>;
}

/// The registered rules, kept in the state's extensions.
#[derive(Clone, Default)]
pub struct Entitlements(Vec<Arc<dyn Entitlement>>);

/// Adds a rule (call while wiring the application).
pub fn register(w: &mut Wiring, rule: Arc<dyn Entitlement>) {
    let mut all = w.extensions.remove::<Entitlements>().unwrap_or_default();
    all.0.push(rule);
    w.extensions.insert(all);
}

/// Whether `user` may watch `media`: staff of the school, or any registered rule says yes.
pub async fn may_watch(state: &AppState, tx: &mut TenantTx, user: &User, media: MediaId) -> anyhow::Result<bool> {
    if identity::model::allows(user.role(), Permission::ViewAdmin) {
        return Ok(true);
    }
    if let Some(rules) = state.extensions.get::<Entitlements>() {
        for rule in &rules.0 {
            if rule.may_watch(state, tx, user, media).await? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
