//! `GET /learn/{slug}/{lesson}`: the player. The outline (a drawer on phones), the lesson by
//! kind (media player, rich text, files, embed, quiz, assignment), its attachments, the
//! completion bar (sticky on phones), the student's note and the discussion. A lesson that is
//! not open says why and what to do, and never shows its content.

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx};
use minijinja::{Value, context, value::Serde};
use serde::Serialize;

use super::learn::{Preview, outline};
use crate::{
    access::{Access, Outline, OutlineLesson},
    comments,
    model::{Lesson, LessonId, LessonKind},
    notes,
    player::{self, Manual},
    store,
};

/// A file offered under a lesson.
#[derive(Serialize)]
struct Attachment {
    id: media::MediaId,
    title: String,
    file_name: String,
    bytes: i64,
    /// Whether students may download it (the library's switch).
    downloadable: bool,
}

/// The media of a video or audio lesson, as the viewer may see it.
#[derive(Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Playback {
    /// Nothing to play: no item, or the item was deleted.
    Missing,
    /// The item is still uploading or processing.
    Processing,
    /// A visitor on a free preview: media tokens are bound to an account.
    Login,
    /// The player's settings.
    Ready { player: Box<media::Player>, title: String },
}

/// Where the viewer stands on the lesson's completion.
#[derive(Serialize)]
pub(crate) struct Progress {
    /// Whether they may record progress at all (enrolled, open).
    pub can: bool,
    /// Whether "mark complete" is offered, and if not why.
    pub manual: Manual,
    /// The share of the lesson's media watched so far.
    pub watched: u32,
}

/// The lesson and its neighbours in the outline.
pub(crate) struct Place {
    pub outline: Outline,
    pub here: OutlineLesson,
    pub previous: Option<LessonId>,
    pub next: Option<LessonId>,
}

/// Finds a lesson of the course `slug` as the viewer sees it (404 when it is not in the
/// course or not visible to them).
pub(crate) async fn place(ctx: &Ctx, slug: &str, lesson: &str, as_student: bool) -> AppResult<Place> {
    let lesson: LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let outline = outline(ctx, slug, as_student).await?;
    let here = outline.find(lesson).ok_or(AppError::NotFound)?.clone();
    let all: Vec<_> = outline.lessons().map(|l| l.lesson.id).collect();
    let index = all.iter().position(|id| *id == lesson).unwrap_or(0);
    let previous = index.checked_sub(1).and_then(|i| all.get(i)).copied();
    let next = all.get(index + 1).copied();
    Ok(Place { outline, here, previous, next })
}

/// `GET /learn/{slug}/{lesson}`.
pub async fn show(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    Query(p): Query<Preview>,
) -> AppResult<Response> {
    let Place { mut outline, here, previous, next } = place(&ctx, &slug, &lesson, p.as_student()).await?;
    if !here.access.is_open() {
        let status = match here.access {
            Access::NotEnrolled | Access::Enrollment { .. } => StatusCode::FORBIDDEN,
            _ => StatusCode::OK,
        };
        let html = ctx.render(
            "courses/learn/closed.html",
            context! { outline => Serde(&outline), here => Serde(&here), preview => p.as_student() },
        )?;
        return Ok((status, html).into_response());
    }
    let now = ctx.state.clock.now();
    let lesson = &here.lesson;
    let mut progress = Progress { can: false, manual: Manual::Allowed, watched: 0 };
    let mut note = None;
    let mut changed = false;
    // One transaction for everything the page reads beside the outline.
    let mut tx = ctx.tx().await?;
    if let Some(user) = ctx.user.as_deref() {
        if player::may_progress(&outline, &here.access, now) {
            store::touch_enrollment(&mut tx, user.id, outline.course.id, lesson.id, now).await?;
            // Re-check the watching rule: a heartbeat lost on the way never leaves it open.
            let met = player::check_watched(&ctx.state, &mut tx, user.id, lesson).await?;
            changed = met && !here.completed;
            progress = Progress {
                can: true,
                manual: player::manual(lesson, met),
                watched: player::watched_percent(&mut tx, user.id, lesson).await? as u32,
            };
        }
        note = notes::get(&mut tx, user.id, lesson.id).await?;
    }
    let attachments = attachments(&mut tx, lesson).await?;
    let thread = super::comments::thread_for(&ctx, &mut tx, lesson).await?;
    tx.commit().await?;
    if changed {
        // The re-check may have completed it: show the outline as it now is.
        outline = super::learn::outline(&ctx, &slug, p.as_student()).await?;
    }
    let here = outline.find(lesson.id).cloned().unwrap_or(here);
    let content = kind_context(&ctx, &here.lesson).await?;
    let playback = playback(&ctx, &here.lesson).await?;
    let html = ctx.render(
        "courses/learn/lesson.html",
        context! {
            outline => Serde(&outline), here => Serde(&here), percent => outline.percent(),
            previous => Serde(previous), next => Serde(next), content, preview => p.as_student(),
            playback => Serde(&playback), attachments => Serde(&attachments),
            embed => here.lesson.embed_url.as_deref().and_then(player::embed_src),
            progress => Serde(&progress), note => Serde(&note), note_max => notes::MAX_CHARS,
            comments => Serde(&thread), comment_max => comments::MAX_CHARS,
            staff => ctx.can(Permission::ManageCourses) && !p.as_student(),
        },
    )?;
    Ok(html.into_response())
}

async fn playback(ctx: &Ctx, lesson: &Lesson) -> AppResult<Option<Playback>> {
    if !lesson.kind().plays_media() {
        return Ok(None);
    }
    let Some(id) = lesson.media_id else { return Ok(Some(Playback::Missing)) };
    let mut tx = ctx.tx().await?;
    let Some(item) = media::store::find(&mut tx, id).await? else { return Ok(Some(Playback::Missing)) };
    let captions = media::store::captions(&mut tx, id).await?;
    tx.commit().await?;
    if !item.is_ready() || !item.kind().is_playable() {
        return Ok(Some(Playback::Processing));
    }
    let Some(user) = ctx.user.as_deref() else { return Ok(Some(Playback::Login)) };
    let player = media::player(ctx, user, &item, &captions).await?;
    Ok(Some(Playback::Ready { player: Box::new(player), title: item.title }))
}

async fn attachments(tx: &mut TenantTx, lesson: &Lesson) -> AppResult<Vec<Attachment>> {
    let mut ids: Vec<media::MediaId> = vec![];
    if lesson.kind() == LessonKind::Files
        && let Some(id) = lesson.media_id
    {
        ids.push(id);
    }
    let attached = player::attachment_ids(tx, lesson.id).await?;
    ids.extend(attached.into_iter().filter(|id| Some(*id) != lesson.media_id || lesson.kind() != LessonKind::Files));
    let mut out = vec![];
    for id in ids {
        let Some(item) = media::store::find(tx, id).await? else { continue };
        if !item.is_ready() {
            continue;
        }
        out.push(Attachment {
            id: item.id,
            file_name: item.file_name.clone(),
            bytes: item.source_bytes,
            downloadable: item.downloadable,
            title: item.title,
        });
    }
    Ok(out)
}

/// What a lesson's kind adds to its page (a quiz's attempts, an assignment's submission).
async fn kind_context(ctx: &Ctx, lesson: &Lesson) -> AppResult<Value> {
    Ok(match lesson.kind() {
        LessonKind::Quiz => crate::quiz::lesson_context(ctx, lesson).await?,
        LessonKind::Assignment => crate::assignments::lesson_context(ctx, lesson).await?,
        _ => Value::UNDEFINED,
    })
}
