//! Issuing, revoking and re-issuing certificates, and their PDF.

use anyhow::Context;
use kernel::{AppState, db::TenantTx, events::Event, i18n::Locale, ids::UserId, storage::StorageKey, web::School};
use rand::Rng;
use serde_json::json;

use super::{Certificate, CertificateId, sheet, store};
use crate::model::CourseId;

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L, U/V).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// A fresh code such as `LYC-7K3M-9QX2` (about 39 bits of chance: not guessable in practice,
/// and short enough to read out or type).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let mut group = || (0..4).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect::<String>();
    format!("LYC-{}-{}", group(), group())
}

/// Normalises a typed code (case, spaces) to the stored form.
pub fn normalise_code(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// Subscriber of `course.completed`: issues the student's certificate. Running twice (a retry,
/// a second delivery) issues nothing more.
pub async fn on_course_completed(state: AppState, event: Event) -> anyhow::Result<()> {
    let user: UserId = serde_json::from_value(event.payload["user_id"].clone()).context("user_id")?;
    let course: CourseId = serde_json::from_value(event.payload["course_id"].clone()).context("course_id")?;
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    // Nothing to certify when it was issued already, or the student or course is gone since.
    if store::exists(&mut tx, user, course).await?
        || identity::store::find(&mut tx, user).await?.is_none()
        || crate::store::course(&mut tx, course).await?.is_none()
    {
        return Ok(());
    }
    issue(&state, &mut tx, &school, user, course).await?;
    tx.commit().await?;
    Ok(())
}

/// Issues `user` a certificate for `course` (snapshot, PDF, event `certificate.issued`, email);
/// `None` when they already hold a valid one.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn issue(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: UserId,
    course: CourseId,
) -> anyhow::Result<Option<Certificate>> {
    let student = identity::store::find(tx, user).await?.context("the student no longer exists")?;
    let course_row = crate::store::course(tx, course).await?.context("the course no longer exists")?;
    let instructor_name = match store::first_instructor(tx, course).await? {
        Some(id) => identity::store::find(tx, id).await?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let minutes = i32::try_from(store::course_minutes(tx, course).await?).unwrap_or(i32::MAX);
    let now = state.clock.now();
    let locale = student.locale.as_deref().and_then(Locale::parse).unwrap_or(school.default_locale);
    let mut code = new_code();
    while store::code_taken(tx, &code).await? {
        code = new_code();
    }
    let cert = Certificate {
        id: CertificateId::new(),
        code,
        user_id: user,
        course_id: course,
        student_name: if student.name.trim().is_empty() { student.email.clone() } else { student.name.clone() },
        course_title: course_row.title.clone(),
        instructor_name,
        minutes,
        issued_at: now,
        issued_on: now.with_timezone(&kernel::format::tz(&school.time_zone)).date_naive(),
        locale: locale.code().to_string(),
        pdf_key: None,
        revoked_at: None,
        revoked_reason: String::new(),
    };
    if !store::insert(tx, &cert).await? {
        return Ok(None);
    }
    let key = store_pdf(state, tx, school, &cert).await?;
    store::set_pdf_key(tx, cert.id, &key).await?;
    state
        .events
        .publish(
            tx,
            "certificate.issued",
            json!({ "certificate_id": cert.id, "code": cert.code, "user_id": user, "course_id": course,
                    "course_title": cert.course_title, "student_name": cert.student_name }),
        )
        .await?;
    let verify = sheet::verify_url(school, &cert.code);
    let mail = kernel::mail::compose(
        state,
        school,
        locale,
        (&student.email, &student.name),
        "courses/mail/certificate",
        kernel::i18n::t_args(locale, "cert-mail-subject", &[("course", cert.course_title.clone().into())]),
        minijinja::context! {
            name => student.name.clone(),
            course => cert.course_title.clone(),
            code => cert.code.clone(),
            url => format!("{verify}/pdf"),
            verify_url => verify,
            list_url => format!("{}/certificates", school.base_url),
        },
    )?;
    kernel::mail::queue(tx, &mail).await?;
    Ok(Some(Certificate { pdf_key: Some(key), ..cert }))
}

/// Where a certificate's PDF is kept.
fn pdf_key(c: &Certificate) -> anyhow::Result<StorageKey> {
    Ok(StorageKey::parse(&format!("courses/certificates/{}.pdf", c.id))?)
}

/// Draws the PDF of `c` with the school's current template.
pub async fn render(tx: &mut TenantTx, school: &School, c: &Certificate) -> anyhow::Result<Vec<u8>> {
    let template = store::template(tx).await?;
    let sheet = sheet::build(tx, school, &template, c).await?;
    tokio::task::spawn_blocking(move || super::pdf::render(&sheet)).await?
}

async fn store_pdf(state: &AppState, tx: &mut TenantTx, school: &School, c: &Certificate) -> anyhow::Result<String> {
    let bytes = render(tx, school, c).await?;
    let key = pdf_key(c)?;
    state.storage.put(tx.tenant(), &key, bytes, Some("application/pdf")).await?;
    Ok(key.as_str().to_string())
}

/// The stored PDF of `c`; drawn again (and stored) when it is missing.
pub async fn pdf(state: &AppState, tx: &mut TenantTx, school: &School, c: &Certificate) -> anyhow::Result<Vec<u8>> {
    if let Some(stored) = c.pdf_key.as_deref().and_then(|k| StorageKey::parse(k).ok())
        && let Ok(bytes) = state.storage.get(tx.tenant(), &stored).await
    {
        return Ok(bytes.to_vec());
    }
    let key = store_pdf(state, tx, school, c).await?;
    store::set_pdf_key(tx, c.id, &key).await?;
    state.storage.get(tx.tenant(), &StorageKey::parse(&key)?).await.map(|b| b.to_vec()).map_err(Into::into)
}

/// Revokes `id` for `reason`; publishes `certificate.revoked`. `false` when already revoked.
pub async fn revoke(
    state: &AppState,
    tx: &mut TenantTx,
    id: CertificateId,
    reason: &str,
    by: UserId,
) -> anyhow::Result<bool> {
    if !store::revoke(tx, id, reason, by, state.clock.now()).await? {
        return Ok(false);
    }
    let Some(c) = store::find(tx, id).await? else { return Ok(false) };
    state
        .events
        .publish(
            tx,
            "certificate.revoked",
            json!({ "certificate_id": c.id, "code": c.code, "user_id": c.user_id, "course_id": c.course_id,
                    "reason": reason }),
        )
        .await?;
    Ok(true)
}

/// Issues a new certificate in place of a revoked one (a new code, today's date, the names as
/// they are now). `None` when the student already holds a valid one for the course.
pub async fn reissue(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    revoked: &Certificate,
) -> anyhow::Result<Option<Certificate>> {
    issue(state, tx, school, revoked.user_id, revoked.course_id).await
}
