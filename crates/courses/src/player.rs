//! The player's rules beyond access: when a lesson may be marked complete, completion from
//! watching (media's [`media::WatchObserver`], and a re-check when the page opens), and which
//! embed addresses may be framed.

use identity::User;
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde::Serialize;

use crate::{
    access::{Access, Outline},
    model::{Lesson, LessonKind},
    progress::{self, How},
    store,
};

/// Whether the "mark complete" button is offered for a lesson, and why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Manual {
    /// The student may mark it.
    Allowed,
    /// Its rule must be met first: watch this share of the video.
    Watch {
        /// The share, 0–100.
        percent: i32,
    },
    /// Its quiz must be passed first.
    Quiz,
    /// Its assignment must be approved first.
    Assignment,
}

/// Whether `lesson` may be marked complete by hand now, given whether its own rule is met.
pub fn manual(lesson: &Lesson, rule_met: bool) -> Manual {
    if lesson.allow_manual || rule_met {
        return Manual::Allowed;
    }
    match lesson.kind() {
        LessonKind::Video | LessonKind::Audio if lesson.media_id.is_some() => {
            Manual::Watch { percent: lesson.watch_percent }
        }
        LessonKind::Quiz => Manual::Quiz,
        LessonKind::Assignment => Manual::Assignment,
        _ => Manual::Allowed,
    }
}

/// Whether the viewer may record progress on a lesson of `outline`: enrolled with open access
/// (not paused, ended or revoked) and the lesson open to them now.
pub fn may_progress(outline: &Outline, access: &Access, now: chrono::DateTime<chrono::Utc>) -> bool {
    let active = outline.enrollment.as_ref().is_some_and(|e| e.state(now) == crate::model::EnrollmentState::Active);
    active && matches!(access, Access::Open | Access::Preview)
}

/// The share of a lesson's media `user` has watched, 0–100 (0 when nothing was recorded).
pub async fn watched_percent(tx: &mut TenantTx, user: UserId, lesson: &Lesson) -> sqlx::Result<f64> {
    let Some(item) = lesson.media_id else { return Ok(0.0) };
    let Some(media) = media::store::find(tx, item).await? else { return Ok(0.0) };
    let Some((seconds, _)) = media::store::view(tx, item, user).await? else { return Ok(0.0) };
    let duration = media.duration_ms.unwrap_or(0) as f64 / 1000.0;
    Ok(media::Watched { media: item, seconds, duration }.percent())
}

/// Completes `lesson` for `user` with [`How::Watched`] if it plays media and enough of it was
/// watched (the page re-checks this on load, so a missed heartbeat never leaves it open).
/// Returns whether the rule is met.
pub async fn check_watched(state: &AppState, tx: &mut TenantTx, user: UserId, lesson: &Lesson) -> anyhow::Result<bool> {
    if !lesson.kind().plays_media() {
        return Ok(false);
    }
    let met = watched_percent(tx, user, lesson).await? >= f64::from(lesson.watch_percent);
    if met {
        progress::complete_lesson(state, tx, user, lesson, How::Watched).await?;
    }
    Ok(met)
}

/// An instructor's one-line headline from their profile.
pub async fn headline(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select headline from instructor_profiles where tenant_id = $1 and user_id = $2")
        .bind(tx.tenant())
        .bind(user)
        .fetch_optional(&mut **tx)
        .await
}

/// The library items attached to a lesson, in order.
pub async fn attachment_ids(tx: &mut TenantTx, lesson: crate::model::LessonId) -> sqlx::Result<Vec<media::MediaId>> {
    sqlx::query_scalar(
        "select media_id from lesson_attachments where tenant_id = $1 and lesson_id = $2 order by position, created_at",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}

/// Completes the lessons playing an item once a student watched enough of it.
pub struct LessonWatch;

#[async_trait::async_trait]
impl media::WatchObserver for LessonWatch {
    async fn watched(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        user: &User,
        watched: media::Watched,
    ) -> anyhow::Result<()> {
        let percent = watched.percent();
        let lessons: Vec<Lesson> = store::lessons_using_media(tx, watched.media)
            .await?
            .into_iter()
            .filter(|l| l.kind().plays_media() && l.media_id == Some(watched.media))
            .filter(|l| percent >= f64::from(l.watch_percent))
            .collect();
        let mut courses: Vec<_> = lessons.iter().map(|l| l.course_id).collect();
        courses.sort_by_key(|c| c.0);
        courses.dedup();
        for course_id in courses {
            let Some(course) = store::course(tx, course_id).await? else { continue };
            // As a student: only lessons the viewer is enrolled in and may open now complete.
            let outline = Outline::load(tx, course, Some(user), state.clock.now(), true).await?;
            if outline.enrollment.is_none() {
                continue;
            }
            for lesson in lessons.iter().filter(|l| l.course_id == course_id) {
                if outline.find(lesson.id).is_some_and(|o| matches!(o.access, Access::Open | Access::Preview)) {
                    progress::complete_lesson(state, tx, user.id, lesson, How::Watched).await?;
                }
            }
        }
        Ok(())
    }
}

/// The address to frame for an embed lesson: only the privacy-enhanced players of YouTube,
/// Vimeo and Loom, over https; anything else is not framed.
pub fn embed_src(url: &str) -> Option<&str> {
    const ALLOWED: [&str; 4] = [
        "https://www.youtube-nocookie.com/embed/",
        "https://player.vimeo.com/video/",
        "https://www.loom.com/embed/",
        "https://loom.com/embed/",
    ];
    let ok = ALLOWED.iter().any(|p| url.starts_with(p))
        && !url.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'));
    ok.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_privacy_enhanced_players_are_framed() {
        assert!(embed_src("https://www.youtube-nocookie.com/embed/abc123").is_some());
        assert!(embed_src("https://player.vimeo.com/video/42?dnt=1").is_some());
        assert!(embed_src("https://www.loom.com/embed/xyz").is_some());
        for bad in [
            "http://www.youtube-nocookie.com/embed/abc",
            "https://www.youtube.com/embed/abc",
            "https://evil.test/embed",
            "javascript:alert(1)",
            "https://player.vimeo.com/video/1\" onload=\"x",
        ] {
            assert!(embed_src(bad).is_none(), "{bad}");
        }
    }
}
