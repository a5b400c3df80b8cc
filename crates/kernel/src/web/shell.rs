//! The per-request data every layout needs: school and branding, who is logged in, language,
//! time zone, CSRF token and flash messages.

use std::sync::Arc;

use axum::{extract::FromRequestParts, http::request::Parts};
use serde::Serialize;

use crate::{error::AppError, i18n::Locale, web::School};

/// What the layout shows about the logged-in person.
#[derive(Clone, Debug, Serialize)]
pub struct ShellUser {
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Role name.
    pub role: String,
    /// Whether the role belongs to the school's team (sees `/admin`).
    pub is_staff: bool,
    /// Initials for the avatar.
    pub initials: String,
    /// What the person may do, as permission names (`manage_settings`): the layout shows a
    /// link only when the page behind it would open (identity's permission table decides).
    pub can: Vec<&'static str>,
}

/// View data for the layout, built by [`crate::web::visitor::layer`] and completed by identity.
#[derive(Clone, Debug, Serialize)]
pub struct Shell {
    /// The school, on a school's site.
    pub school: Option<Arc<School>>,
    /// The logged-in person, if any.
    pub user: Option<ShellUser>,
    /// The logged-in operator's name, on the platform host.
    pub operator: Option<String>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Messages to show once.
    pub flash: Vec<super::Flash>,
    /// Interface language.
    pub locale: Locale,
    /// The viewer's time zone.
    pub time_zone: String,
    /// Request path (for active navigation).
    pub path: String,
    /// Demo mode.
    pub demo: bool,
    /// The platform's base URL.
    pub platform_url: String,
    /// This request's id.
    pub request_id: String,
    /// The caller's address (for rate limits), never rendered.
    #[serde(skip)]
    pub client_ip: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Shell {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Shell>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("shell layer missing")))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for super::Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<super::Visitor>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("visitor layer missing")))
    }
}
