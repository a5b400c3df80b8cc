//! Media: the school's library of videos, audio and files (ARCHITECTURE §7).
//!
//! Uploads arrive over the tus 1.0 protocol ([`tus`]) and are checked and transcoded by a job
//! ([`process`], using ffprobe and ffmpeg through [`transcode`]) into an AES-128-encrypted HLS
//! ladder. Playback goes through short-lived tokens bound to the school, the item and the viewer
//! ([`token`]); who may watch is decided by [`entitlement`], which other domains extend.
//! Other domains record where they use an item with [`uses`], and react to watching through
//! [`observe`].

pub mod captions;
pub mod entitlement;
pub mod model;
pub mod observe;
pub mod picker;
pub mod process;
pub mod public_image;
pub mod routes;
pub mod serve;
pub mod service;
pub mod store;
pub mod sweep;
pub mod token;
pub mod transcode;
pub mod tus;
pub mod uses;
pub mod views;

pub use entitlement::Entitlement;
pub use model::{Kind, Media, MediaId};
pub use observe::{WatchObserver, Watched};
pub use routes::watch::{Player, player};

/// Registers media's templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// How many items the school's library holds (the dashboard's getting-started checklist).
pub async fn library_size(tx: &mut kernel::db::TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from media where tenant_id = $1").bind(tx.tenant()).fetch_one(&mut **tx).await
}

/// Media's jobs.
pub fn wire(w: &mut kernel::state::Wiring) {
    process::register(w);
}

/// Media's routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
