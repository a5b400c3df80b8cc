//! `GET /courses`: the school's published courses, open to everyone: cover, title, subtitle,
//! who teaches it, how many lessons, whether it is free, and whether the viewer is enrolled.
//! A handful of set-based queries whatever the number of courses.

use std::collections::{HashMap, HashSet};

use axum::response::Html;
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};
use serde::Serialize;

use crate::{
    model::{Course, EnrollmentState},
    store,
};

/// A course as the catalogue shows it.
#[derive(Serialize)]
struct Card {
    course: Course,
    instructors: Vec<String>,
    lessons: i64,
    enrolled: bool,
}

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    let mut tx = ctx.tx().await?;
    let courses = store::published_courses(&mut tx).await?;
    let counts: HashMap<_, _> = store::lesson_counts(&mut tx).await?.into_iter().collect();
    let teaching = store::instructors(&mut tx).await?;
    let ids: Vec<_> = teaching.iter().map(|(_, u)| *u).collect::<HashSet<_>>().into_iter().collect();
    let names: HashMap<_, _> =
        identity::store::find_many(&mut tx, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let now = ctx.state.clock.now();
    let mine: HashSet<_> = match &ctx.user {
        Some(user) => store::enrollments_of_user(&mut tx, user.id)
            .await?
            .into_iter()
            .filter(|e| e.state(now) == EnrollmentState::Active)
            .map(|e| e.course_id)
            .collect(),
        None => HashSet::new(),
    };
    tx.commit().await?;
    let cards: Vec<Card> = courses
        .into_iter()
        .map(|course| Card {
            instructors: teaching
                .iter()
                .filter(|(c, _)| *c == course.id)
                .filter_map(|(_, u)| names.get(u).cloned())
                .collect(),
            lessons: counts.get(&course.id).copied().unwrap_or(0),
            enrolled: mine.contains(&course.id),
            course,
        })
        .collect();
    ctx.render("courses/catalogue.html", context! { cards => Serde(&cards) })
}
