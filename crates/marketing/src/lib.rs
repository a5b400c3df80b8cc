//! Marketing: what brings people to a school before they buy.
//!
//! - [`pages`]: the page builder's documents (sections, see [`sections`]), drafts with a revision
//!   number, published versions, and [`render`] for what visitors see at `/` and `/p/{slug}`;
//! - [`contacts`]: the school's leads and customers in one list, with tags, consent and activity.
//!
//! Other domains learn about marketing from the events `contact.created`,
//! `contact.subscribed`, `contact.tagged` and `form.submitted`.

pub mod cache;
pub mod contacts;
pub mod contacts_events;
pub mod contacts_import;
pub mod contacts_store;
pub mod demo;
pub mod email;
pub mod experiments;
pub mod forms;
pub mod forms_store;
pub mod funnel;
pub mod funnel_store;
pub mod lead_magnet;
pub mod model;
pub mod optin;
pub mod page_templates;
pub mod pages;
pub mod render;
pub mod routes;
pub mod sections;
pub mod seo;
pub mod stats;
pub mod store;

pub use model::{ContactId, FormId, Page, PageId};

/// Registers the marketing templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Marketing's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.extensions.insert(std::sync::Arc::new(cache::PageCache::default()));
    funnel::wire(w);
    contacts_events::wire(w);
    contacts_import::wire(w);
    email::wire(w);
}

/// Routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router().merge(email::router())
}
