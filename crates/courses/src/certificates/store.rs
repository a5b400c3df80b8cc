//! Certificates' SQL: the school's template and the certificates it issued.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;

use super::{Certificate, CertificateId, Layout, pdf::Picture};
use crate::model::CourseId;

const COLUMNS: &str = "id, code, user_id, course_id, student_name, course_title, instructor_name, minutes, \
                       issued_at, issued_on, locale, pdf_key, revoked_at, revoked_reason";

/// The school's certificate design.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Template {
    /// Heading; blank means the default words in the certificate's language.
    pub title: String,
    /// `classic`, `modern` or `minimal`.
    pub layout: String,
    /// `#rrggbb`; blank means the school's brand colour.
    pub accent_color: String,
    /// Whether the course's length is printed.
    pub show_hours: bool,
    /// Who signs; blank means the course's instructor.
    pub signer_name: String,
    /// Their title.
    pub signer_title: String,
    /// Whether a signature image is uploaded.
    pub has_signature: bool,
}

impl Default for Template {
    fn default() -> Self {
        Self {
            title: String::new(),
            layout: Layout::Classic.as_str().into(),
            accent_color: String::new(),
            show_hours: true,
            signer_name: String::new(),
            signer_title: String::new(),
            has_signature: false,
        }
    }
}

impl Template {
    /// The layout as a type.
    pub fn layout(&self) -> Layout {
        Layout::parse(&self.layout).unwrap_or_default()
    }
}

/// The school's template (the defaults until it saves one).
pub async fn template(tx: &mut TenantTx) -> sqlx::Result<Template> {
    let row = sqlx::query_as(
        "select title, layout, accent_color, show_hours, signer_name, signer_title, signature is not null as has_signature
         from certificate_templates where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.unwrap_or_default())
}

/// What to do with the signature image on save.
pub enum SignatureChange<'a> {
    /// Keep what is there.
    Keep,
    /// Replace it with this image (content type, bytes).
    Set(&'static str, &'a [u8]),
    /// Remove it.
    Remove,
}

/// Saves the school's template.
pub async fn save_template(tx: &mut TenantTx, t: &Template, signature: SignatureChange<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into certificate_templates (tenant_id, id, title, layout, accent_color, show_hours, signer_name, signer_title)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (tenant_id) do update set title = excluded.title, layout = excluded.layout,
           accent_color = excluded.accent_color, show_hours = excluded.show_hours,
           signer_name = excluded.signer_name, signer_title = excluded.signer_title",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(&t.title)
    .bind(&t.layout)
    .bind(&t.accent_color)
    .bind(t.show_hours)
    .bind(&t.signer_name)
    .bind(&t.signer_title)
    .execute(&mut **tx)
    .await?;
    let (kind, data): (Option<&str>, Option<&[u8]>) = match signature {
        SignatureChange::Keep => return Ok(()),
        SignatureChange::Set(kind, data) => (Some(kind), Some(data)),
        SignatureChange::Remove => (None, None),
    };
    sqlx::query("update certificate_templates set signature_type = $2, signature = $3 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(kind)
        .bind(data)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The uploaded signature image.
pub async fn signature(tx: &mut TenantTx) -> sqlx::Result<Option<Picture>> {
    let row: Option<(Option<String>, Option<Vec<u8>>)> =
        sqlx::query_as("select signature_type, signature from certificate_templates where tenant_id = $1")
            .bind(tx.tenant())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match row {
        Some((Some(content_type), Some(data))) => Some(Picture { content_type, data }),
        _ => None,
    })
}

/// A certificate by its code (valid or revoked).
pub async fn by_code(tx: &mut TenantTx, code: &str) -> sqlx::Result<Option<Certificate>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from certificates where tenant_id = $1 and code = $2"
    )))
    .bind(tx.tenant())
    .bind(code)
    .fetch_optional(&mut **tx)
    .await
}

/// A certificate by id.
pub async fn find(tx: &mut TenantTx, id: CertificateId) -> sqlx::Result<Option<Certificate>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {COLUMNS} from certificates where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Whether `user` has any certificate for `course`, valid or revoked.
pub async fn exists(tx: &mut TenantTx, user: UserId, course: CourseId) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from certificates where tenant_id = $1 and user_id = $2 and course_id = $3)",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .fetch_one(&mut **tx)
    .await
}

/// Whether a code is taken.
pub async fn code_taken(tx: &mut TenantTx, code: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from certificates where tenant_id = $1 and code = $2)")
        .bind(tx.tenant())
        .bind(code)
        .fetch_one(&mut **tx)
        .await
}

/// A student's certificates, newest first.
pub async fn for_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Vec<Certificate>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from certificates where tenant_id = $1 and user_id = $2 order by issued_at desc, id desc"
    )))
    .bind(tx.tenant())
    .bind(user)
    .fetch_all(&mut **tx)
    .await
}

/// The school's certificates, newest first; `query` filters by name, course or code.
pub async fn recent(tx: &mut TenantTx, query: &str, limit: i64) -> sqlx::Result<Vec<Certificate>> {
    let pattern = format!("%{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from certificates where tenant_id = $1
           and ($2 = '%%' or student_name ilike $2 or course_title ilike $2 or code ilike $2)
         order by issued_at desc, id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(pattern)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Records a certificate; `false` when the student already holds a valid one for the course.
pub async fn insert(tx: &mut TenantTx, c: &Certificate) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "insert into certificates (tenant_id, id, code, user_id, course_id, student_name, course_title,
           instructor_name, minutes, issued_at, issued_on, locale)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (tenant_id, user_id, course_id) where revoked_at is null do nothing",
    )
    .bind(tx.tenant())
    .bind(c.id)
    .bind(&c.code)
    .bind(c.user_id)
    .bind(c.course_id)
    .bind(&c.student_name)
    .bind(&c.course_title)
    .bind(&c.instructor_name)
    .bind(c.minutes)
    .bind(c.issued_at)
    .bind(c.issued_on)
    .bind(&c.locale)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Remembers where the PDF is stored.
pub async fn set_pdf_key(tx: &mut TenantTx, id: CertificateId, key: &str) -> sqlx::Result<()> {
    sqlx::query("update certificates set pdf_key = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Revokes a valid certificate; `false` when it was already revoked.
pub async fn revoke(
    tx: &mut TenantTx,
    id: CertificateId,
    reason: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update certificates set revoked_at = $3, revoked_reason = $4, revoked_by = $5
         where tenant_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(at)
    .bind(reason)
    .bind(by)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The course's length: the sum of its published lessons' duration estimates, in minutes.
pub async fn course_minutes(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select coalesce(sum(l.duration_minutes), 0)::bigint from lessons l
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id and m.deleted_at is null
         where l.tenant_id = $1 and l.course_id = $2 and l.status = 'published' and l.deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_one(&mut **tx)
    .await
}

/// The course's first instructor, by position.
pub async fn first_instructor(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar(
        "select user_id from course_instructors where tenant_id = $1 and course_id = $2 order by position, created_at limit 1",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_optional(&mut **tx)
    .await
}
