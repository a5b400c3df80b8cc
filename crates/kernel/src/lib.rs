//! The kernel: what every Lyceum domain needs and nothing domain-specific.
//!
//! Database access goes through [`db::TenantTx`] (one school's rows) or [`db::PlatformTx`]
//! (the platform tables); request code returns [`error::AppError`]; background work is a
//! [`jobs`] entry; cross-domain reactions are [`events`]; pages render through [`web`].

pub mod cache;
pub mod clock;
pub mod config;
pub mod csv;
pub mod db;
pub mod error;
pub mod events;
pub mod format;
pub mod html;
pub mod i18n;
pub mod ids;
pub mod jobs;
pub mod lockout;
pub mod mail;
pub mod net;
pub mod plan;
pub mod process;
pub mod rate;
pub mod scratch;
pub mod secret;
pub mod state;
pub mod storage;
pub mod web;
pub mod zones;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::{AppError, AppResult};
pub use ids::TenantId;
pub use state::AppState;

/// Registers the kernel's own templates (layout, error pages, components).
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}
