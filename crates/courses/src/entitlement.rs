//! Courses' rule for media: a student may watch an item used by a lesson they may open now
//! (enrolled, not paused or expired, dripped) or by a free-preview lesson.

use identity::User;
use kernel::{AppState, db::TenantTx};

use crate::{access::Outline, store};

/// The rule registered with media at wiring.
pub struct LessonEntitlement;

#[async_trait::async_trait]
impl media::Entitlement for LessonEntitlement {
    async fn may_watch(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        user: &User,
        item: media::MediaId,
    ) -> anyhow::Result<bool> {
        let lessons = store::lessons_using_media(tx, item).await?;
        if lessons.iter().any(|l| l.free_preview) {
            return Ok(true);
        }
        let mut courses: Vec<_> = lessons.iter().map(|l| l.course_id).collect();
        courses.dedup();
        for course_id in courses {
            let Some(course) = store::course(tx, course_id).await? else { continue };
            let outline = Outline::load(tx, course, Some(user), state.clock.now(), true).await?;
            if lessons.iter().any(|l| outline.find(l.id).is_some_and(|o| o.access.is_open())) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Registers the rule with media.
pub fn register(w: &mut kernel::state::Wiring) {
    media::entitlement::register(w, std::sync::Arc::new(LessonEntitlement));
}
