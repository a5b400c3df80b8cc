//! `POST /language`: the visitor picks the interface language (remembered on the account too).

use axum::response::Redirect;
use kernel::{AppResult, i18n::Locale, web::Form};
use serde::Deserialize;

use crate::Ctx;

/// The language picker's fields.
#[derive(Deserialize)]
pub struct LanguageForm {
    locale: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn set(ctx: Ctx, Form(f): Form<LanguageForm>) -> AppResult<Redirect> {
    let locale = Locale::parse(&f.locale).ok_or_else(|| kernel::AppError::BadRequest("unknown language".into()))?;
    ctx.visitor.set_language(locale);
    if let Some(user) = &ctx.user {
        let mut tx = ctx.tx().await?;
        crate::store::set_locale(&mut tx, user.id, locale.code()).await?;
        tx.commit().await?;
    }
    Ok(Redirect::to(&kernel::web::safe_redirect(f.next.as_deref(), "/")))
}
