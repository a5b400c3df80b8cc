//! The request context every school route starts from.

use std::sync::Arc;

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{Html, Redirect},
};
use kernel::{
    AppError, AppResult, AppState,
    db::TenantTx,
    i18n::{self, ArgValue},
    rate::Limit,
    web::{School, Shell, Site, Visitor},
};
use minijinja::Value;

use crate::{
    model::{Permission, User, allows},
    session::Viewer,
};

/// The school, the viewer, and the means to read and write the school's data.
#[derive(Clone)]
pub struct Ctx {
    /// Shared services.
    pub state: AppState,
    /// The school the request is for.
    pub school: Arc<School>,
    /// Layout data.
    pub shell: Shell,
    /// The browser (cookies, CSRF, flash).
    pub visitor: Visitor,
    /// The logged-in person.
    pub user: Option<Arc<User>>,
    /// The browser's `User-Agent` header (for the sign-in history).
    pub user_agent: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(Site::School(school)) = parts.extensions.get::<Site>().cloned() else {
            return Err(AppError::NotFound);
        };
        let shell = Shell::from_request_parts(parts, state).await?;
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let user = parts.extensions.get::<Viewer>().and_then(|v| v.0.clone());
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok(Self { state: state.clone(), school, shell, visitor, user, user_agent })
    }
}

impl Ctx {
    /// Where this request comes from, for a login's entry in the sign-in history.
    pub fn device(&self) -> crate::service::Device<'_> {
        crate::service::Device { ip: &self.shell.client_ip, user_agent: &self.user_agent }
    }

    /// Opens a transaction that sees only this school's rows.
    pub async fn tx(&self) -> AppResult<TenantTx> {
        Ok(self.state.db.tenant(self.school.id).await?)
    }

    /// The logged-in person, or 401 (which sends a browser to the login page).
    pub fn user(&self) -> AppResult<&User> {
        self.user.as_deref().ok_or(AppError::Unauthorized)
    }

    /// The logged-in person if their role allows `permission`; the one check staff routes use.
    pub fn require(&self, permission: Permission) -> AppResult<&User> {
        let user = self.user()?;
        if allows(user.role(), permission) { Ok(user) } else { Err(AppError::Forbidden) }
    }

    /// Whether the viewer may do something (for showing or hiding controls).
    pub fn can(&self, permission: Permission) -> bool {
        self.user.as_ref().is_some_and(|u| allows(u.role(), permission))
    }

    /// Renders a page.
    pub fn render(&self, template: &str, ctx: Value) -> AppResult<Html<String>> {
        kernel::web::render(&self.state, &self.shell, template, ctx)
    }

    /// A message in the viewer's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.shell.locale, key)
    }

    /// A message with arguments in the viewer's language.
    pub fn t_args(&self, key: &str, args: &[(&str, ArgValue)]) -> String {
        i18n::t_args(self.shell.locale, key, args)
    }

    /// Redirects after a form, showing `message` on the next page.
    pub fn redirect_with(&self, to: &str, kind: &str, message: impl Into<String>) -> Redirect {
        self.visitor.flash(kind, message);
        Redirect::to(to)
    }

    /// Counts an attempt at `bucket` by this visitor in this school; 429 past `limit`.
    pub fn rate_limit(&self, bucket: &str, limit: Limit) -> AppResult<()> {
        self.state
            .rate
            .check(&self.rate_key(bucket), limit)
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })
    }

    /// Counts an attempt at `bucket` by this visitor; `Err(seconds)` to wait past `limit`, for a
    /// form that shows the wait beside its fields.
    pub fn rate_check(&self, bucket: &str, limit: Limit) -> Result<(), u64> {
        self.state.rate.check(&self.rate_key(bucket), limit)
    }

    /// Whether this visitor is over `limit` at `bucket`, counting nothing; `Err(seconds)` to wait.
    /// With [`Ctx::rate_hit`] on failure, only failures count (a classroom logging in is not).
    pub fn rate_peek(&self, bucket: &str, limit: Limit) -> Result<(), u64> {
        self.state.rate.peek(&self.rate_key(bucket), limit)
    }

    /// Counts a failed attempt at `bucket`.
    pub fn rate_hit(&self, bucket: &str, limit: Limit) {
        self.state.rate.hit(&self.rate_key(bucket), limit)
    }

    /// A logged-in person is counted by account (a class shares one address), anyone else by
    /// address.
    fn rate_key(&self, bucket: &str) -> String {
        match &self.user {
            Some(user) => format!("{bucket}:{}:user:{}", self.school.id, user.id),
            None => format!("{bucket}:{}:{}", self.school.id, self.shell.client_ip),
        }
    }

    /// Refuses new signups and orders while the school is suspended.
    pub fn ensure_open(&self) -> AppResult<()> {
        if self.school.suspended() { Err(AppError::Suspended) } else { Ok(()) }
    }
}
