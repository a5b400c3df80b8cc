//! Marketing's pages: one file per page or action.

mod admin_contacts;
mod admin_contacts_import;
mod admin_contacts_show;
mod admin_forms;
mod admin_pages;
mod editor;
mod embed;
mod experiment;
mod home;
mod lead_magnet;
mod optin;
mod page_stats;
mod public_page;
mod sitemap;
mod tracking;
mod versions;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// Marketing's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/p/{slug}", get(public_page::show))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .route("/admin/pages", get(admin_pages::list).post(admin_pages::create))
        .route("/admin/pages/{id}", get(editor::show))
        .route("/admin/pages/{id}/publish", post(admin_pages::publish))
        .route("/admin/pages/{id}/unpublish", post(admin_pages::unpublish))
        .route("/admin/pages/{id}/duplicate", post(admin_pages::duplicate))
        .route("/admin/pages/{id}/archive", post(admin_pages::archive))
        .route("/admin/pages/{id}/unarchive", post(admin_pages::unarchive))
        .route("/admin/pages/{id}/home", post(admin_pages::make_home))
        .route("/admin/pages/{id}/canvas", get(editor::canvas).post(editor::canvas_fragment))
        .route("/admin/pages/{id}/draft", post(editor::save).put(editor::save))
        .route("/admin/pages/{id}/preview", get(editor::preview))
        .route("/admin/pages/{id}/versions/{n}", get(versions::show))
        .route("/admin/pages/{id}/versions/{n}/restore", post(versions::restore))
        .merge(tracking::router())
        .merge(page_stats::router())
        .merge(experiment::router())
        .merge(contacts_router())
        .merge(forms_router())
}

/// The contacts list, a contact's page, and the CSV import and export.
fn contacts_router() -> Router<AppState> {
    Router::new()
        .route("/admin/contacts", get(admin_contacts::list))
        .route("/admin/contacts.csv", get(admin_contacts::export))
        .route("/admin/contacts/bulk", post(admin_contacts::bulk))
        .route("/admin/contacts/import", get(admin_contacts_import::form).post(admin_contacts_import::upload))
        .route("/admin/contacts/import/{id}", get(admin_contacts_import::review).post(admin_contacts_import::confirm))
        .route("/admin/contacts/{id}", get(admin_contacts_show::show).post(admin_contacts_show::save))
        .route("/admin/contacts/{id}/tags", post(admin_contacts_show::tags))
        .route("/admin/contacts/{id}/tags/remove", post(admin_contacts_show::untag))
        .route("/admin/contacts/{id}/unsubscribe", post(admin_contacts_show::unsubscribe))
        .route("/admin/contacts/{id}/resubscribe", post(admin_contacts_show::resubscribe))
        .route("/admin/contacts/{id}/erase", post(admin_contacts_show::erase))
}

/// Opt-in forms: the admin, the public post and page, embeds, confirmations and downloads.
fn forms_router() -> Router<AppState> {
    Router::new()
        .route("/admin/forms", get(admin_forms::list).post(admin_forms::create))
        .route("/admin/forms/new", get(admin_forms::new))
        .route("/admin/forms/{id}", get(admin_forms::show).post(admin_forms::update))
        .route("/admin/forms/{id}/{action}", post(admin_forms::archive))
        .route("/f/{id}", get(optin::show).post(optin::submit).options(optin::preflight))
        .route("/f/confirm/{token}", get(optin::confirm))
        .route("/f/{id}/embed", get(embed::frame))
        .route("/f/{id}/embed.js", get(embed::script))
        .route("/lm/{token}", get(lead_magnet::download))
        .route("/lm/{token}/resend", post(lead_magnet::resend))
}
