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
    Ok(school.base_url)
}
