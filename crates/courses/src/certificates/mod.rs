//! Certificates (issue 9, item 8): issued once when a student completes a course (subscriber of
//! `course.completed`), drawn as a PDF from the school's one template, stored, emailed, and
//! checked by anyone on the public verification page `/certificates/{code}`. Staff may revoke
//! one (the page then says so) and issue a new one.
//!
//! A certificate keeps a snapshot of what it certifies (name, course, date, length, signer), so
//! later renames never change a certificate already handed out.

pub mod fonts;
pub mod issue;
pub mod pdf;
pub mod sheet;
pub mod store;
pub mod text;

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::{Deserialize, Serialize};

use crate::model::CourseId;

pub use issue::{issue, reissue, revoke};

kernel::id_type!(
    /// An issued certificate.
    CertificateId
);

/// The designs a school chooses from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Centred, inside a double frame.
    #[default]
    Classic,
    /// A band of colour down the left with the logo.
    Modern,
    /// White, with a bar of colour above and below.
    Minimal,
}

impl Layout {
    /// Every layout, in the order the editor offers them.
    pub const ALL: [Layout; 3] = [Layout::Classic, Layout::Modern, Layout::Minimal];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Modern => "modern",
            Self::Minimal => "minimal",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// An issued certificate, as every page shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Certificate {
    /// Its id.
    pub id: CertificateId,
    /// The public code, e.g. `LYC-7K3M-9QX2`.
    pub code: String,
    /// Who earned it.
    pub user_id: UserId,
    /// For which course.
    pub course_id: CourseId,
    /// The student's name when it was issued.
    pub student_name: String,
    /// The course's title when it was issued.
    pub course_title: String,
    /// The course's first instructor when it was issued.
    pub instructor_name: String,
    /// The course's length when issued, in minutes (sum of the lessons' estimates).
    pub minutes: i32,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// The date printed on it (the school's time zone at issue).
    pub issued_on: NaiveDate,
    /// The language its words are in.
    pub locale: String,
    /// Where its PDF is stored.
    pub pdf_key: Option<String>,
    /// When staff revoked it.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revoked_reason: String,
}

impl Certificate {
    /// Whether it still certifies anything.
    pub fn is_valid(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// Its length in hours, to one decimal, when the course had estimates.
    pub fn hours(&self) -> Option<f64> {
        (self.minutes > 0).then(|| (f64::from(self.minutes) / 6.0).round() / 10.0)
    }
}

/// A student's certificates, newest first, for their dashboard (which includes
/// `courses/certificates/_list.html` with them as `certificates`).
pub async fn for_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Vec<Certificate>> {
    store::for_user(tx, user).await
}

/// Courses' event subscription: a completed course earns its certificate.
pub fn wire(w: &mut kernel::state::Wiring) {
    if !fonts::cjk_available() {
        tracing::warn!(
            "no CJK font: certificates for Chinese, Japanese or Korean names cannot be drawn until \
             fonts-noto-cjk is installed (scripts/ensure-deps.sh)"
        );
    }
    w.events.subscribe(&mut w.jobs, "course.completed", "courses.certificate_issue", issue::on_course_completed);
}
