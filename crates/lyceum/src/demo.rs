//! The demo school: a believable creator with a team and students, seeded once.

use identity::{
    model::{Email, Role},
    service::{NewAccount, create_account},
};
use kernel::{AppState, i18n::Locale};
use tenancy::{
    model::Slug,
    service::{CreateError, NewSchool, create_school},
};

/// The password every demo account uses.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// The demo accounts: (name, email, role).
pub const PEOPLE: [(&str, &str, Role); 5] = [
    ("Maya Chen", "maya@bloom.test", Role::Owner),
    ("Diego Alvarez", "diego@bloom.test", Role::Instructor),
    ("Priya Raman", "priya@example.test", Role::Student),
    ("Tom Becker", "tom@example.test", Role::Student),
    ("Lucía Ortega", "lucia@example.test", Role::Student),
];

/// Seeds the demo school when it does not exist; returns its URL.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let account = |i: usize| NewAccount {
        name: PEOPLE[i].0.into(),
        email: Email::parse(PEOPLE[i].1).expect("demo emails are valid"),
        password: DEMO_PASSWORD.into(),
    };
    let new = NewSchool {
        name: "Bloom Watercolor Studio".into(),
        slug: Slug::parse("bloom").expect("valid slug"),
        owner: account(0),
        locale: Locale::En,
    };
    let school = match create_school(state, &new, true).await {
        Ok((school, _)) => school,
        Err(CreateError::SlugTaken) => return Ok(state.config.school_url("bloom")),
        Err(CreateError::Other(e)) => anyhow::bail!("seeding the demo school: {e}"),
    };
    let mut tx = state.db.tenant(school.id).await?;
    sqlx::query(
        "update tenant_settings set tagline = $2, brand_color = '#0f766e', accent_color = '#f59e0b',
           heading_font = 'fraunces', time_zone = 'America/Los_Angeles', currency = 'USD'
         where tenant_id = $1",
    )
    .bind(school.id)
    .bind("Loose, luminous watercolor for busy adults: ten minutes a day, real paintings in a month.")
    .execute(&mut *tx)
    .await?;
    for (i, person) in PEOPLE.iter().enumerate().skip(1) {
        create_account(state, &mut tx, &account(i), person.2, true).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    tx.commit().await?;
    let library = match seed_media(state, &school).await {
        Ok(library) => library,
        Err(e) => {
            tracing::warn!(error = ?e, "the demo media library was not seeded");
            courses::demo::DemoMedia::default()
        }
    };
    let people = {
        let mut tx = state.db.tenant(school.id).await?;
        let mut ids = vec![];
        for person in PEOPLE {
            let found = identity::store::find_by_email(&mut tx, person.1).await?;
            ids.push(found.map(|(u, _)| u.id).ok_or_else(|| anyhow::anyhow!("demo account {}", person.1))?);
        }
        courses::demo::DemoPeople {
            owner: ids[0],
            instructor: ids[1],
            finished: ids[2],
            halfway: ids[3],
            newcomer: ids[4],
        }
    };
    let made = courses::demo::seed(state, school.id, people, library).await?;
    if let (Some(foundations), Some(florals)) = (made.foundations, made.florals) {
        commerce::demo::seed(
            state,
            commerce::demo::DemoSchool {
                school: school.id,
                owner: people.owner,
                foundations,
                florals,
                finished: people.finished,
                halfway: people.halfway,
                newcomer: people.newcomer,
            },
        )
        .await?;
    }
    marketing::demo::seed(
        state,
        marketing::demo::DemoSchool {
            school: school.id,
            owner: people.owner,
            foundations: made.foundations,
            welcome: library.welcome,
            handout: library.handout,
        },
    )
    .await?;
    Ok(school.base_url)
}

/// A welcome video (a slow watercolor wash with a soft tone, made by ffmpeg), a short audio
/// piece and a PDF handout, queued for processing like real uploads.
async fn seed_media(state: &AppState, school: &kernel::web::School) -> anyhow::Result<courses::demo::DemoMedia> {
    let dir = tempfile_dir()?;
    let video = dir.join("Welcome to Bloom.mp4");
    let wash = "gradients=size=960x540:rate=25:speed=0.015:c0=0x0f766e:c1=0xf59e0b:c2=0xfef3c7:c3=0x134e4a:nb_colors=4:type=radial";
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            wash,
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=220:sample_rate=44100,volume=0.12",
            "-t",
            "16",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-shortest",
        ],
        &video,
    )
    .await?;
    let audio = dir.join("Studio warm-up.mp3");
    ffmpeg(
        &["-f", "lavfi", "-i", "sine=frequency=174:sample_rate=44100,volume=0.2", "-t", "30", "-c:a", "libmp3lame"],
        &audio,
    )
    .await?;
    let owner = {
        let mut tx = state.db.tenant(school.id).await?;
        identity::store::find_by_email(&mut tx, PEOPLE[0].1).await?.map(|(u, _)| u.id)
    };
    let plan = &school.plan;
    let welcome = media::service::import(
        state,
        school.id,
        plan,
        owner,
        "Welcome to Bloom.mp4",
        "video/mp4",
        std::fs::read(&video)?,
    )
    .await?;
    let warm_up = media::service::import(
        state,
        school.id,
        plan,
        owner,
        "Studio warm-up.mp3",
        "audio/mpeg",
        std::fs::read(&audio)?,
    )
    .await?;
    let handout = media::service::import(
        state,
        school.id,
        plan,
        owner,
        "Color mixing chart.pdf",
        "application/pdf",
        handout_pdf(),
    )
    .await?;
    let mut tx = state.db.tenant(school.id).await?;
    media::store::rename(&mut tx, welcome, "Welcome to Bloom: your first wash").await?;
    media::store::set_downloadable(&mut tx, handout, true).await?;
    tx.commit().await?;
    let _ = std::fs::remove_dir_all(dir);
    Ok(courses::demo::DemoMedia { welcome: Some(welcome), warm_up: Some(warm_up), handout: Some(handout) })
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("lyceum-demo-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn ffmpeg(args: &[&str], out: &std::path::Path) -> anyhow::Result<()> {
    let mut cmd = kernel::process::command("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-y"]).args(args).arg(out);
    let status = kernel::process::spawn(cmd).await?.wait().await?;
    anyhow::ensure!(status.success(), "ffmpeg failed");
    Ok(())
}

/// A one-page PDF handout with real text.
fn handout_pdf() -> Vec<u8> {
    let text = "BT /F1 28 Tf 72 720 Td (Color mixing chart) Tj /F1 14 Tf 0 -40 Td \
                (Warm: quinacridone rose + hansa yellow = coral) Tj 0 -24 Td \
                (Cool: phthalo blue + quinacridone rose = violet) Tj 0 -24 Td \
                (Earth: burnt sienna + ultramarine = neutral grey) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}
