//! Loads the logged-in person for each request on a school's site.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use kernel::{
    AppError, AppState,
    i18n::Locale,
    secret::hash_token,
    web::{Shell, ShellUser, Site, Visitor},
};

use crate::{model::User, store};

/// The logged-in person, when there is one (a request extension).
#[derive(Clone, Debug)]
pub struct Viewer(pub Option<Arc<User>>);

/// Middleware: resolves the session cookie to a user and completes the shell.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut viewer = None;
    if let (Some(Site::School(school)), Some(visitor)) =
        (req.extensions().get::<Site>().cloned(), req.extensions().get::<Visitor>().cloned())
    {
        // A browser that arrived without a visitor cookie has no session to look up.
        if visitor.is_new() {
            req.extensions_mut().insert(Viewer(None));
            return next.run(req).await;
        }
        let key = hash_token(&visitor.sid());
        match load(&state, school.id, &key).await {
            Ok(found) => viewer = found,
            // Not knowing who this is must not read as "logged out": that would throw a student
            // out of a quiz or a checkout at the first database blip. They retry instead.
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "session lookup failed");
                return AppError::Unavailable.into_response();
            }
        }
    }
    if viewer.is_some()
        && let Some(visitor) = req.extensions().get::<Visitor>()
    {
        visitor.logged_in();
    }
    if let Some(user) = &viewer
        && let Some(shell) = req.extensions_mut().get_mut::<Shell>()
    {
        shell.user = Some(ShellUser {
            name: user.name.clone(),
            email: user.email.clone(),
            role: user.role_name.clone(),
            is_staff: user.role().is_staff(),
            initials: user.initials(),
            can: user.role().permission_names(),
        });
        // A logged-in person's own choices, or else the school's current defaults (which the
        // visitor layer already put in the shell). The browser's language cookie is not asked:
        // the account page shows what the account holds, and that is what applies.
        let school_default = shell.school.as_ref().map(|s| s.default_locale);
        if let Some(locale) = user.locale.as_deref().and_then(Locale::parse).or(school_default) {
            shell.locale = locale;
        }
        if let Some(tz) = user.time_zone.clone() {
            shell.time_zone = tz;
        }
    }
    req.extensions_mut().insert(Viewer(viewer.map(Arc::new)));
    next.run(req).await
}

async fn load(state: &AppState, tenant: kernel::TenantId, key: &str) -> anyhow::Result<Option<User>> {
    let mut tx = state.db.tenant(tenant).await?;
    let user = store::session_user(&mut tx, key, false).await?;
    tx.commit().await?;
    Ok(user)
}
