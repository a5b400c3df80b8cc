//! `/admin/contacts/import`: upload a CSV, say what each column holds, look at the rows that
//! will be skipped and why, confirm; then watch the job's progress on the same page.

use axum::{
    extract::{Multipart, Path, Query, multipart::MultipartRejection},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use courses::import::{self as csvimport, FileError};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use uuid::Uuid;

use crate::contacts_import::{self as import, ROLES};

/// Rows shown in the preview.
const PREVIEW: usize = 20;

/// The upload form.
pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    upload_page(&ctx, None)
}

fn upload_page(ctx: &Ctx, error: Option<String>) -> AppResult<Response> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = ctx.render("marketing/admin/contacts_import.html", context! { error })?;
    Ok((status, html).into_response())
}

/// Reads the file and keeps it for mapping; every unreadable file gets its own message.
pub async fn upload(ctx: Ctx, multipart: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let refuse = |e: FileError| {
        let line = e.line().unwrap_or(0) as i64;
        let args = [("line", line.into()), ("max", (csvimport::MAX_ROWS as i64).into())];
        upload_page(&ctx, Some(ctx.t_args(e.key(), &args)))
    };
    let Ok(mut multipart) = multipart else { return refuse(FileError::Empty) };
    let (mut bytes, mut file_name, mut too_large) = (Vec::new(), String::new(), false);
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refuse(FileError::TooLarge),
        };
        if field.name() != Some("file") {
            continue;
        }
        file_name = field.file_name().unwrap_or_default().chars().take(255).collect();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if bytes.len() + chunk.len() > csvimport::MAX_BYTES => too_large = true,
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(_) => return refuse(FileError::TooLarge),
            }
        }
    }
    if too_large {
        return refuse(FileError::TooLarge);
    }
    if bytes.is_empty() {
        return upload_page(&ctx, Some(ctx.t("contacts-import-missing")));
    }
    let lower = file_name.to_lowercase();
    if !(lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv")) || bytes.contains(&0) {
        return upload_page(&ctx, Some(ctx.t("contacts-import-not-csv")));
    }
    let sheet = match csvimport::parse(&bytes) {
        Ok(sheet) if sheet.rows.is_empty() => return upload_page(&ctx, Some(ctx.t("contacts-import-no-rows"))),
        Ok(sheet) => sheet,
        Err(e) => return refuse(e),
    };
    if !import::guess(&sheet.headers).iter().any(|r| r == "email") {
        let found = sheet.headers.iter().any(|h| h.contains('@'))
            || sheet.rows.iter().take(5).flatten().any(|c| crate::contacts::normalise_email(c).is_some());
        if !found {
            return upload_page(&ctx, Some(ctx.t("contacts-import-no-email")));
        }
    }
    let mut tx = ctx.tx().await?;
    let id = import::save(&mut tx, &file_name, &sheet, user.0).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/contacts/import/{id}")).into_response())
}

async fn load(ctx: &Ctx, id: &str) -> AppResult<import::Import> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = import::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(found)
}

/// The roles chosen in the mapping form (`col{i}`), or the guess for a column not sent.
fn roles(found: &import::Import, chosen: &[(String, String)]) -> Vec<String> {
    let guessed = import::guess(&found.sheet.headers);
    guessed
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let key = format!("col{i}");
            chosen.iter().find(|(k, v)| *k == key && ROLES.contains(&v.as_str())).map(|(_, v)| v.clone()).unwrap_or(g)
        })
        .collect()
}

/// The mapping and preview while pending; the progress once confirmed.
pub async fn review(ctx: Ctx, Path(id): Path<String>, Query(q): Query<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let found = load(&ctx, &id).await?;
    review_page(&ctx, &found, &q, None)
}

fn review_page(
    ctx: &Ctx,
    found: &import::Import,
    q: &[(String, String)],
    error: Option<String>,
) -> AppResult<Response> {
    let roles = roles(found, q);
    let checked = import::check(&found.sheet, &roles);
    let problems: Vec<_> = checked.iter().filter(|c| c.problem.is_some()).take(100).collect();
    let good = checked.iter().filter(|c| c.problem.is_none()).count();
    let preview: Vec<_> = checked.iter().take(PREVIEW).collect();
    let tag = q.iter().find(|(k, _)| k == "tag").map(|(_, v)| v.clone()).unwrap_or_default();
    let has_email = roles.iter().any(|r| r == "email");
    let columns: Vec<_> = found
        .sheet
        .headers
        .iter()
        .zip(&roles)
        .enumerate()
        .map(|(i, (h, r))| {
            let sample = found.sheet.rows.first().and_then(|row| row.get(i)).cloned().unwrap_or_default();
            context! { index => i, header => h, role => r, sample }
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = ctx.render(
        "marketing/admin/contacts_import_review.html",
        context! {
            import => Serde(found), columns, roles => ROLES.to_vec(), preview => Serde(&preview), problems => Serde(&problems),
            good, skipped => checked.len() - good, tag, has_email, error,
            percent => if found.total > 0 { found.processed * 100 / found.total } else { 100 },
        },
    )?;
    Ok((status, html).into_response())
}

/// Confirms the mapping and queues the import.
pub async fn confirm(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let found = load(&ctx, &id).await?;
    let roles = roles(&found, &f);
    if found.status != "pending" {
        return Ok(Redirect::to(&format!("/admin/contacts/import/{}", found.id)).into_response());
    }
    if roles.iter().filter(|r| *r == "email").count() != 1 {
        return review_page(&ctx, &found, &f, Some(ctx.t("contacts-import-map-email")));
    }
    let tag: String =
        f.iter().find(|(k, _)| k == "tag").map(|(_, v)| v.trim().chars().take(60).collect()).unwrap_or_default();
    let mut tx = ctx.tx().await?;
    import::confirm(&mut tx, found.id, &roles, &tag).await?;
    tx.commit().await?;
    let to = format!("/admin/contacts/import/{}", found.id);
    Ok(ctx.redirect_with(&to, "success", ctx.t("contacts-import-started")).into_response())
}
