//! The student's enrolments on their page in the admin (`/admin/people/{id}`), through
//! identity's [`PersonPanel`] extension point: course, progress, where access stands, and the
//! way to the course's students page where staff change it.

use std::sync::Arc;

use identity::{Ctx, Permission, User, panel::PersonPanel};
use kernel::{AppResult, db::TenantTx, state::Wiring};
use minijinja::{context, value::Serde};
use serde::Serialize;

use crate::{access::Outline, model::Enrollment, store};

/// One enrolment as the panel shows it.
#[derive(Serialize)]
struct Item {
    enrollment: Enrollment,
    title: String,
    state: crate::model::EnrollmentState,
    percent: u32,
}

struct Enrolments;

#[async_trait::async_trait]
impl PersonPanel for Enrolments {
    async fn render(&self, ctx: &Ctx, tx: &mut TenantTx, person: &User) -> AppResult<Option<String>> {
        let now = ctx.state.clock.now();
        let mut items = Vec::new();
        for e in store::enrollments_of_user(tx, person.id).await? {
            let Some(course) = store::course(tx, e.course_id).await? else { continue };
            let outline = Outline::load(tx, course, Some(person), now, true).await?;
            items.push(Item {
                title: outline.course.title.clone(),
                state: e.state(now),
                percent: outline.percent(),
                enrollment: e,
            });
        }
        let html = ctx.render(
            "courses/admin/_person_panel.html",
            context! {
                items => Serde(&items), person => Serde(person),
                can_manage => ctx.can(Permission::ManageCourses),
            },
        )?;
        Ok(Some(html.0))
    }
}

/// Registers the panel (called from [`crate::wire`]).
pub fn register(w: &mut Wiring) {
    identity::panel::register(w, Arc::new(Enrolments));
}
