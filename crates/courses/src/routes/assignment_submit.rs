//! `POST /learn/{slug}/{lesson}/assignment`: a student hands in an assignment (text and/or
//! files, multipart with the CSRF token first). Success goes back to the lesson with a flash;
//! a refusal shows the lesson again with the messages beside the fields and the text kept.

use axum::{
    extract::{
        Multipart, Path, Query,
        multipart::{MultipartError, MultipartRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};

use super::{
    learn::{self, Preview},
    lesson as player,
};
use crate::{
    access::Access,
    assignments::{
        REFUSED, Refused,
        files::{self, FILE_MAX_BYTES, FILES_MAX},
        service::{self, NewFile, SubmitError},
        text_to_html,
    },
    model::{EnrollmentState, LessonId, LessonKind},
};

/// Longest text accepted, in characters.
const TEXT_MAX: usize = 50_000;

/// What the form sent.
#[derive(Default)]
struct Sent {
    text: String,
    files: Vec<(String, Option<Vec<u8>>)>,
    too_large: bool,
}

/// Takes the student's work in, or shows the lesson again with what was wrong.
pub async fn submit(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let lesson_id: LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let outline = learn::outline(&ctx, &slug, true).await?;
    let here = outline.find(lesson_id).ok_or(AppError::NotFound)?;
    if here.lesson.kind() != LessonKind::Assignment {
        return Err(AppError::NotFound);
    }
    let active = outline.enrollment.as_ref().is_some_and(|e| e.state(ctx.state.clock.now()) == EnrollmentState::Active);
    if !active || !matches!(here.access, Access::Open | Access::Preview) {
        return Err(AppError::Forbidden);
    }
    let lesson = here.lesson.clone();
    let multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let sent = read(multipart).await?;

    let mut refused = Refused { text: sent.text.clone(), ..Default::default() };
    let max_mb: kernel::i18n::ArgValue = ((FILE_MAX_BYTES / (1024 * 1024)) as i64).into();
    let mut checked = vec![];
    let mut file_errors = vec![];
    if sent.too_large {
        file_errors.push(ctx.t_args("assign-body-too-large", &[("max", max_mb.clone())]));
    }
    for (name, bytes) in &sent.files {
        let name = files::clean_name(name);
        let result = match bytes {
            None => Err(files::Refusal::TooLarge),
            Some(bytes) => files::check(&name, bytes),
        };
        match result {
            Ok(content_type) => {
                checked.push(NewFile { file_name: name, content_type, bytes: bytes.clone().unwrap_or_default() })
            }
            Err(r) => file_errors.push(ctx.t_args(r.key(), &[("name", name.clone().into()), ("max", max_mb.clone())])),
        }
    }
    if sent.files.len() > FILES_MAX {
        file_errors.push(ctx.t_args("assign-too-many-files", &[("max", (FILES_MAX as i64).into())]));
    }
    let text = sent.text.trim();
    if text.chars().count() > TEXT_MAX {
        refused.errors.insert("text".into(), ctx.t_args("assign-text-too-long", &[("max", (TEXT_MAX as i64).into())]));
    }
    if text.is_empty() && sent.files.is_empty() && !sent.too_large {
        refused.errors.insert("text".into(), ctx.t("assign-nothing"));
    }
    if !checked.is_empty() && file_errors.is_empty() {
        let adding: u64 = checked.iter().map(|f| f.bytes.len() as u64).sum();
        if !fits_in_plan(&ctx, adding).await? {
            file_errors.push(ctx.t("assign-storage-full"));
        }
    }
    if !refused.errors.is_empty() || !file_errors.is_empty() {
        // A browser cannot keep chosen files across a reload: say so beside the field.
        if !checked.is_empty() {
            file_errors.push(ctx.t("assign-choose-again"));
        }
        if !file_errors.is_empty() {
            refused.errors.insert("files".into(), file_errors.join(" "));
        }
    }
    if !refused.errors.is_empty() {
        let status = if sent.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
        return show_again(ctx, slug, lesson.id, refused, status).await;
    }

    let mut tx = ctx.tx().await?;
    let done = match service::submit(&ctx.state, &mut tx, user, &lesson, &text_to_html(text), checked).await {
        Ok(done) => done,
        Err(SubmitError::Approved) => {
            let to = format!("/learn/{slug}/{}", lesson.id);
            return Ok(ctx.redirect_with(&to, "info", ctx.t("assign-already-approved")).into_response());
        }
        Err(SubmitError::Other(e)) => return Err(AppError::Internal(e)),
    };
    tx.commit().await?;
    for key in &done.unused {
        if let Ok(key) = kernel::storage::StorageKey::parse(key)
            && let Err(e) = ctx.state.storage.delete(ctx.school.id, &key).await
        {
            tracing::warn!(error = %e, "a replaced assignment file stays in storage");
        }
    }
    let msg = if done.replaced { "assign-replaced" } else { "assign-submitted" };
    let to = format!("/learn/{slug}/{}", lesson.id);
    Ok(ctx.redirect_with(&to, "success", ctx.t(msg)).into_response())
}

/// Whether `adding` more bytes keep the school within its plan's storage (the media library's
/// items and uploads under way, plus the files already handed in).
async fn fits_in_plan(ctx: &Ctx, adding: u64) -> AppResult<bool> {
    let plan = kernel::plan::Plan::named(&ctx.school.plan);
    let mut tx = ctx.tx().await?;
    let (library, reserved) = media::store::usage(&mut tx).await?;
    let handed_in = crate::assignments::store::stored_bytes(&mut tx).await?;
    tx.commit().await?;
    let used = (library + reserved + handed_in).max(0) as u64;
    Ok(used.saturating_add(adding) <= plan.storage_bytes)
}

/// The lesson page again, with the messages and the typed text, through the player itself.
async fn show_again(
    ctx: Ctx,
    slug: String,
    lesson: LessonId,
    refused: Refused,
    status: StatusCode,
) -> AppResult<Response> {
    let page = REFUSED.scope(refused, player::show(ctx, Path((slug, lesson.to_string())), Query(Preview::default())));
    let mut res = page.await?;
    *res.status_mut() = status;
    Ok(res)
}

/// Reads the form. Past the body limit the files count as too large and the text read before
/// them is kept.
async fn read(mut multipart: Multipart) -> AppResult<Sent> {
    let mut sent = Sent::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return too_large(e, sent),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match kernel::web::multipart::read_capped(field, FILE_MAX_BYTES).await {
                // A file input left empty still sends a part with no name and no bytes.
                Ok(Some(bytes)) if file_name.is_empty() && bytes.is_empty() => {}
                Ok(bytes) => sent.files.push((file_name, bytes)),
                Err(e) => return too_large(e, sent),
            }
            continue;
        }
        let value = match kernel::web::multipart::read_capped(field, TEXT_MAX * 4 + 1024).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned(),
            Err(e) => return too_large(e, sent),
        };
        if name == "text" {
            sent.text = value;
        }
    }
    Ok(sent)
}

fn too_large(e: MultipartError, mut sent: Sent) -> AppResult<Sent> {
    if e.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return Err(AppError::BadRequest(e.body_text()));
    }
    sent.too_large = true;
    Ok(sent)
}
