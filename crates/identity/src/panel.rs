//! Panels other domains add to a student's page (`/admin/people/{id}`): courses shows the
//! student's enrolments there, without identity knowing about courses. A domain implements
//! [`PersonPanel`] and registers it with [`register`] while the application is wired, the way
//! media's `Entitlement` is extended.

use std::sync::Arc;

use kernel::{AppResult, db::TenantTx, state::Wiring};

use crate::{Ctx, model::User};

/// A section of a student's page provided by another domain.
#[async_trait::async_trait]
pub trait PersonPanel: Send + Sync {
    /// The panel's HTML for `person` as `ctx`'s viewer sees it, or `None` to show nothing.
    /// The HTML is inserted as is: render it with `ctx.render` (which escapes).
    async fn render(&self, ctx: &Ctx, tx: &mut TenantTx, person: &User) -> AppResult<Option<String>>;
}

/// The registered panels, in registration order, kept in the state's extensions.
#[derive(Clone, Default)]
pub struct PersonPanels(Vec<Arc<dyn PersonPanel>>);

/// Adds a panel (call while wiring the application).
pub fn register(w: &mut Wiring, panel: Arc<dyn PersonPanel>) {
    let mut all = w.extensions.remove::<PersonPanels>().unwrap_or_default();
    all.0.push(panel);
    w.extensions.insert(all);
}

/// Every registered panel's HTML for `person`, in order.
pub async fn render_all(ctx: &Ctx, tx: &mut TenantTx, person: &User) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    if let Some(panels) = ctx.state.extensions.get::<PersonPanels>() {
        for panel in &panels.0 {
            if let Some(html) = panel.render(ctx, tx, person).await? {
                out.push(html);
            }
        }
    }
    Ok(out)
}
