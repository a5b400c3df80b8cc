//! `GET /` on the platform host: the page for creators.

use axum::response::Html;
use kernel::{AppResult, AppState, web::Shell};
use minijinja::context;

pub async fn show(
    axum::extract::State(state): axum::extract::State<AppState>,
    shell: Shell,
) -> AppResult<Html<String>> {
    kernel::web::render(&state, &shell, "tenancy/landing.html", context! {})
}
