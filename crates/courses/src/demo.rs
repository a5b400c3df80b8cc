//! The demo school's courses (`make demo`): a paid foundations course with video, audio, text,
//! a handout, a drip schedule and a free preview, and a free seven-day course that drips a
//! lesson a day; students at different stages. Written through the same store and services as
//! the builder and the player, so the demo shows what a creator would have made.

use kernel::{AppState, TenantId, db::TenantTx, ids::UserId};

use crate::{
    enrollment::{self, Source},
    model::{CourseId, Drip, LessonId, ModuleId},
    progress::{self, How},
    store,
};

/// The library items the demo's lessons use.
#[derive(Clone, Copy, Debug, Default)]
pub struct DemoMedia {
    /// The welcome video.
    pub welcome: Option<media::MediaId>,
    /// The warm-up audio.
    pub warm_up: Option<media::MediaId>,
    /// The colour-mixing handout (PDF).
    pub handout: Option<media::MediaId>,
}

/// Who is who in the demo school.
#[derive(Clone, Copy, Debug)]
pub struct DemoPeople {
    /// The owner, who teaches.
    pub owner: UserId,
    /// A second instructor.
    pub instructor: UserId,
    /// A student who finished the foundations course.
    pub finished: UserId,
    /// A student half-way through.
    pub halfway: UserId,
    /// A student who just joined the free course.
    pub newcomer: UserId,
}

/// What a lesson of the demo is.
struct L {
    title: &'static str,
    kind: &'static str,
    body: &'static str,
    minutes: i32,
    media: Option<media::MediaId>,
    preview: bool,
}

/// The ids the seed made, for later steps (quizzes, assignments, certificates).
#[derive(Clone, Debug, Default)]
pub struct DemoCourses {
    /// The paid course.
    pub foundations: Option<CourseId>,
    /// The free course.
    pub florals: Option<CourseId>,
    /// Lessons by title.
    pub lessons: Vec<(String, LessonId)>,
}

/// Seeds the two courses and the students' progress.
pub async fn seed(
    state: &AppState,
    school: TenantId,
    people: DemoPeople,
    library: DemoMedia,
) -> anyhow::Result<DemoCourses> {
    let mut out = DemoCourses::default();
    let mut tx = state.db.tenant(school).await?;
    let foundations = course(
        &mut tx,
        "watercolor-foundations",
        "Watercolor Foundations",
        "Ten minutes a day to loose, luminous paintings",
        FOUNDATIONS_DESCRIPTION,
        false,
        &[people.owner, people.instructor],
    )
    .await?;
    let m1 = module(&mut tx, foundations, "Getting started", Drip::Now).await?;
    let m2 = module(&mut tx, foundations, "Washes and color", Drip::Days(3)).await?;
    let m3 = module(&mut tx, foundations, "Your first painting", Drip::AfterModule(m2)).await?;
    let lessons = [
        (
            m1,
            L {
                title: "Welcome to the studio",
                kind: "video",
                body: WELCOME,
                minutes: 4,
                media: library.welcome,
                preview: true,
            },
        ),
        (
            m1,
            L {
                title: "Your paper, paints and brushes",
                kind: "text",
                body: SUPPLIES,
                minutes: 8,
                media: None,
                preview: true,
            },
        ),
        (
            m1,
            L {
                title: "Warm-up: ten-minute washes",
                kind: "audio",
                body: WARM_UP,
                minutes: 10,
                media: library.warm_up,
                preview: false,
            },
        ),
        (
            m2,
            L {
                title: "Flat, graded and variegated washes",
                kind: "text",
                body: WASHES,
                minutes: 12,
                media: None,
                preview: false,
            },
        ),
        (m2, L { title: "Mixing clean greens", kind: "text", body: GREENS, minutes: 9, media: None, preview: false }),
        (
            m2,
            L {
                title: "Check your color knowledge",
                kind: "quiz",
                body: QUIZ_INTRO,
                minutes: 5,
                media: None,
                preview: false,
            },
        ),
        (
            m3,
            L {
                title: "Painting a loose landscape",
                kind: "text",
                body: LANDSCAPE,
                minutes: 20,
                media: None,
                preview: false,
            },
        ),
        (
            m3,
            L {
                title: "Share your landscape",
                kind: "assignment",
                body: SHARE,
                minutes: 30,
                media: None,
                preview: false,
            },
        ),
    ];
    for (module, l) in &lessons {
        let id = lesson(&mut tx, foundations, *module, l).await?;
        if l.title == "Your paper, paints and brushes"
            && let Some(handout) = library.handout
        {
            sqlx::query("insert into lesson_attachments (tenant_id, lesson_id, media_id) values ($1, $2, $3)")
                .bind(school)
                .bind(id)
                .bind(handout)
                .execute(&mut *tx)
                .await?;
            media::uses::record(
                &mut tx,
                handout,
                "lesson",
                id.0,
                "Watercolor Foundations › Supplies",
                "/admin/courses",
            )
            .await?;
        }
        if l.kind == "quiz" {
            quiz(&mut tx, id).await?;
        }
        out.lessons.push((l.title.to_string(), id));
    }
    let florals = course(
        &mut tx,
        "loose-florals-in-7-days",
        "Loose Florals in 7 Days",
        "A free mini-course: one flower a day, one new brush skill each time",
        FLORALS_DESCRIPTION,
        true,
        &[people.owner],
    )
    .await?;
    let week = module(&mut tx, florals, "The seven days", Drip::Now).await?;
    for (day, (title, body)) in FLORALS.iter().enumerate() {
        let id = lesson(
            &mut tx,
            florals,
            week,
            &L { title, kind: "text", body, minutes: 15, media: None, preview: day == 0 },
        )
        .await?;
        if day > 0 {
            sqlx::query("update lessons set drip = 'days', drip_days = $3 where tenant_id = $1 and id = $2")
                .bind(school)
                .bind(id)
                .bind(day as i32)
                .execute(&mut *tx)
                .await?;
        }
        out.lessons.push((title.to_string(), id));
    }
    tx.commit().await?;
    out.foundations = Some(foundations);
    out.florals = Some(florals);

    // Students at different stages, through the services that publish the events.
    let mut tx = state.db.tenant(school).await?;
    let found = store::course(&mut tx, foundations).await?.ok_or_else(|| anyhow::anyhow!("course"))?;
    let free = store::course(&mut tx, florals).await?.ok_or_else(|| anyhow::anyhow!("course"))?;
    for student in [people.finished, people.halfway] {
        enrollment::enroll(state, &mut tx, student, &found, Source::Purchase, Some("demo-order"), None).await?;
    }
    for student in [people.finished, people.newcomer] {
        enrollment::enroll(state, &mut tx, student, &free, Source::SelfServe, None, None).await?;
    }
    // The finished student enrolled a month ago, so every drip rule has opened for her.
    sqlx::query("update enrollments set started_at = now() - interval '30 days' where tenant_id = $1 and user_id = $2")
        .bind(school)
        .bind(people.finished)
        .execute(&mut *tx)
        .await?;
    let all = store::lessons(&mut tx, foundations).await?;
    for l in &all {
        let how = match l.kind() {
            crate::LessonKind::Quiz => How::Quiz,
            crate::LessonKind::Assignment => How::Assignment,
            crate::LessonKind::Video | crate::LessonKind::Audio => How::Watched,
            _ => How::Marked,
        };
        progress::complete_lesson(state, &mut tx, people.finished, l, how).await?;
    }
    for l in all.iter().take(3) {
        progress::complete_lesson(state, &mut tx, people.halfway, l, How::Marked).await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// The foundations quiz: five questions on washes and mixing, 80% to pass.
async fn quiz(tx: &mut TenantTx, lesson: LessonId) -> anyhow::Result<()> {
    use crate::quiz::{
        model::{Choice, Item, Question, QuestionId, Settings, Spec, new_option_id},
        store,
    };
    let settings = Settings { passing_percent: 80, shuffle_answers: true, ..Settings::default() };
    store::save_settings(tx, lesson, &settings).await?;
    let choice = |text: &str, correct: bool| Choice { id: new_option_id(), text: text.into(), correct };
    let item = |text: &str| Item { id: new_option_id(), text: text.into() };
    let questions = [
        (
            "Which wash goes from strong to pale?",
            Spec::Single { choices: vec![choice("Flat", false), choice("Graded", true), choice("Variegated", false)] },
            "<p>A graded wash adds a brushful of water at each stroke.</p>",
        ),
        (
            "Which pairs make lively greens?",
            Spec::Multiple {
                choices: vec![
                    choice("Hansa yellow + phthalo blue", true),
                    choice("Hansa yellow + ultramarine", true),
                    choice("Burnt sienna + quinacridone rose", false),
                ],
                partial: true,
            },
            "<p>A yellow and a blue; the warmer the yellow, the livelier the green.</p>",
        ),
        (
            "Cotton paper forgives more than student paper.",
            Spec::TrueFalse { answer: true },
            "<p>Cotton fibres hold water longer, so washes stay workable.</p>",
        ),
        (
            "What do you add to knock back a green that is too bright?",
            Spec::Short { accepted: vec!["burnt sienna".into(), "sienna".into()], case_sensitive: false },
            "<p>A touch of burnt sienna, its complement's cousin.</p>",
        ),
        (
            "Put the steps of a loose landscape in order.",
            Spec::Ordering { items: vec![item("Graded sky"), item("Variegated field"), item("Line of trees")] },
            "<p>Light to dark, big to small.</p>",
        ),
    ];
    for (prompt, spec, explanation) in questions {
        let q = Question {
            id: QuestionId::new(),
            lesson_id: lesson,
            position: 0,
            prompt: prompt.into(),
            points: 1,
            explanation_html: kernel::html::sanitize(explanation),
            spec,
        };
        store::save_question(tx, &q).await?;
    }
    Ok(())
}

async fn course(
    tx: &mut TenantTx,
    slug: &str,
    title: &str,
    subtitle: &str,
    description: &str,
    free: bool,
    instructors: &[UserId],
) -> anyhow::Result<CourseId> {
    let id = CourseId::new();
    store::insert_course(tx, id, slug, title, instructors.first().copied()).await?;
    sqlx::query(
        "update courses set subtitle = $3, description_html = $4, category = 'Painting', is_free = $5,
           status = 'published', published_at = now() - interval '60 days'
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(subtitle)
    .bind(kernel::html::sanitize(description))
    .bind(free)
    .execute(&mut **tx)
    .await?;
    for (position, user) in instructors.iter().enumerate() {
        sqlx::query("insert into course_instructors (tenant_id, course_id, user_id, position) values ($1, $2, $3, $4)")
            .bind(tx.tenant())
            .bind(id)
            .bind(user)
            .bind(position as i32)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

async fn module(tx: &mut TenantTx, course: CourseId, title: &str, drip: Drip) -> anyhow::Result<ModuleId> {
    let id = ModuleId::new();
    store::insert_module(tx, id, course, title).await?;
    let (rule, days, at, after) = drip.to_columns();
    sqlx::query(
        "update course_modules set drip = $3, drip_days = $4, drip_at = $5, drip_after = $6
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(rule)
    .bind(days)
    .bind(at)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

async fn lesson(tx: &mut TenantTx, course: CourseId, module: ModuleId, l: &L) -> anyhow::Result<LessonId> {
    let id = LessonId::new();
    store::insert_lesson(tx, id, course, module, l.title, l.kind).await?;
    sqlx::query(
        "update lessons set status = 'published', body_html = $3, duration_minutes = $4, media_id = $5,
           free_preview = $6
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(kernel::html::sanitize(l.body))
    .bind(l.minutes)
    .bind(l.media)
    .bind(l.preview)
    .execute(&mut **tx)
    .await?;
    if let Some(item) = l.media {
        media::uses::record(
            tx,
            item,
            "lesson",
            id.0,
            &format!("Watercolor Foundations › {}", l.title),
            "/admin/courses",
        )
        .await?;
    }
    Ok(id)
}

const FOUNDATIONS_DESCRIPTION: &str = "<p>Watercolor looks effortless in other people's hands and \
    muddy in yours? This course fixes that, ten minutes at a time. You will learn how much water \
    to load, how pigments mix on the paper, and how to leave the white that makes a painting \
    glow.</p><h2>What you will paint</h2><ul><li>Three kinds of washes you will use in every \
    painting</li><li>A color chart of clean, lively mixes from six tubes</li><li>Your first loose \
    landscape, start to finish</li></ul><p>Every lesson ends with a short exercise. Share your \
    landscape at the end and Maya will give you personal feedback.</p>";
const FLORALS_DESCRIPTION: &str = "<p>Seven short lessons, one a day. Each one teaches a single \
    brush skill through one flower, so by the end of the week you have a small bouquet and the \
    confidence to paint your own.</p>";
const WELCOME: &str = "<p>Welcome! In this short video Maya shows the whole course in one \
    painting, from the first wash to the final details. Watch it once without painting.</p>";
const SUPPLIES: &str = "<p>You do not need much, but what you buy matters.</p><h2>Paper</h2><p>Use \
    100% cotton paper, 300 gsm (140 lb), cold pressed. Student paper fights you; cotton paper \
    forgives.</p><h2>Paints</h2><ul><li>Hansa yellow</li><li>Quinacridone rose</li><li>Phthalo \
    blue (green shade)</li><li>Ultramarine</li><li>Burnt sienna</li><li>Perylene green</li></ul>\
    <h2>Brushes</h2><p>A size 10 round with a fine point and a 1\" flat are enough for the whole \
    course. Download the color mixing chart below and keep it by your palette.</p>";
const WARM_UP: &str = "<p>Put this on while you paint: ten minutes of guided washes, with a pause \
    after each instruction. Paint a row of swatches as you listen.</p>";
const WASHES: &str = "<p>Every watercolor is built from three washes.</p><ol><li><strong>Flat:\
    </strong> the same value from top to bottom. Tilt the board and keep a bead of paint moving.\
    </li><li><strong>Graded:</strong> from strong to pale. Add a brushful of water at each stroke.\
    </li><li><strong>Variegated:</strong> one color melting into another. Let them meet wet.\
    </li></ol><p>Paint each wash three times. The third is always the best.</p>";
const GREENS: &str = "<p>Tube greens look artificial. Mix your own from a blue and a yellow, then \
    knock them back with a touch of burnt sienna.</p><blockquote>Warm yellow + cool blue = the \
    liveliest greens.</blockquote>";
const QUIZ_INTRO: &str = "<p>Five quick questions on washes and mixing. You need 80% to pass and \
    you can try again as often as you like.</p>";
const LANDSCAPE: &str = "<p>Now everything comes together: a graded sky, a variegated field and a \
    line of trees in your own greens. Work from light to dark, and stop earlier than you \
    think.</p>";
const SHARE: &str = "<p>Photograph your landscape in daylight and upload it here, with a sentence \
    about what you found hardest. Maya reviews every painting within two days.</p>";
const FLORALS: [(&str, &str); 7] = [
    ("Day 1: A single tulip", "<p>One shape, one stroke: the press-and-lift that makes a petal.</p>"),
    ("Day 2: Cherry blossoms", "<p>Tiny dabs of rose, a lot of white paper.</p>"),
    ("Day 3: Lavender sprigs", "<p>Dry-brush texture with the tip of the round.</p>"),
    ("Day 4: A loose rose", "<p>Painting the spaces between petals, not the petals.</p>"),
    ("Day 5: Leaves and stems", "<p>Your greens from the foundations course, in calligraphic strokes.</p>"),
    ("Day 6: Anemones", "<p>Dark centres dropped into wet petals.</p>"),
    ("Day 7: Your bouquet", "<p>Everything from the week, arranged in one small painting.</p>"),
];
