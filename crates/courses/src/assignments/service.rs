//! The rules of assignments: handing work in (a resubmission while pending replaces the latest
//! version; one after "changes requested" adds a version), and staff's review, which emails the
//! student and, on approval, completes the lesson through [`progress::complete_lesson`].

use kernel::{AppState, db::TenantTx, ids::UserId, storage::StorageKey, web::School};
use minijinja::context;
use serde_json::json;

use super::{
    FileId, SubmissionId, VersionId,
    store::{self, File, Submission},
};
use crate::{
    model::Lesson,
    progress::{self, How},
};

/// A checked file ready to store.
pub struct NewFile {
    /// The cleaned name from the student's computer.
    pub file_name: String,
    /// The type found from its bytes.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What [`submit`] did.
pub struct Submitted {
    /// The submission.
    pub submission: SubmissionId,
    /// The version number now waiting for review.
    pub version: i32,
    /// Whether the latest version was replaced rather than a new one added.
    pub replaced: bool,
    /// Stored objects no version uses any more, to delete once committed.
    pub unused: Vec<String>,
}

/// Why work could not be handed in.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The assignment is approved already.
    #[error("the assignment is approved already")]
    Approved,
    /// The database or storage failed.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Hands in `body_html` and `files` for `user` on `lesson`. Callers check that the student may
/// open the lesson. Files chosen replace the latest version's; with none chosen they are kept.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn submit(
    state: &AppState,
    tx: &mut TenantTx,
    user: UserId,
    lesson: &Lesson,
    body_html: &str,
    files: Vec<NewFile>,
) -> Result<Submitted, SubmitError> {
    let now = state.clock.now();
    let existing = store::submission_of(tx, lesson.id, user, true).await?;
    let (submission, version, number, replaced, mut unused) = match existing {
        None => {
            let s = Submission {
                id: SubmissionId::new(),
                lesson_id: lesson.id,
                course_id: lesson.course_id,
                user_id: user,
                status: "pending".into(),
                version: 1,
                submitted_at: now,
                reviewed_at: None,
                reviewed_by: None,
            };
            let version = VersionId::new();
            store::insert_submission(tx, &s, version, body_html).await?;
            (s.id, version, 1, false, vec![])
        }
        Some(s) if s.status == "approved" => return Err(SubmitError::Approved),
        Some(s) => {
            let latest = store::versions(tx, s.id).await?.into_iter().next().context_missing()?;
            if s.status == "pending" {
                store::replace_version_text(tx, latest.id, body_html, now).await?;
                store::mark_pending(tx, s.id, s.version, now).await?;
                let unused = if files.is_empty() { vec![] } else { store::delete_files(tx, latest.id).await? };
                (s.id, latest.id, s.version, true, unused)
            } else {
                let number = s.version + 1;
                let version = VersionId::new();
                store::insert_version(tx, version, s.id, number, body_html, now).await?;
                if files.is_empty() {
                    store::copy_files(tx, latest.id, version).await?;
                }
                store::mark_pending(tx, s.id, number, now).await?;
                (s.id, version, number, false, vec![])
            }
        }
    };
    for f in files {
        let id = FileId::new();
        let key = format!("courses/assignments/{submission}/{id}");
        let storage_key = StorageKey::parse(&key).map_err(anyhow::Error::from)?;
        let size = f.bytes.len() as i64;
        state
            .storage
            .put(tx.tenant(), &storage_key, f.bytes, Some(f.content_type))
            .await
            .map_err(anyhow::Error::from)?;
        let row = File {
            id,
            version_id: version,
            submission_id: submission,
            file_name: f.file_name,
            content_type: f.content_type.to_string(),
            size_bytes: size,
            storage_key: key,
        };
        store::insert_file(tx, &row).await?;
    }
    unused.retain(|k| k.starts_with("courses/assignments/"));
    state
        .events
        .publish(
            tx,
            "assignment.submitted",
            json!({ "submission_id": submission, "user_id": user, "lesson_id": lesson.id,
                    "course_id": lesson.course_id, "version": number, "replaced": replaced }),
        )
        .await?;
    Ok(Submitted { submission, version: number, replaced, unused })
}

/// Staff's decision on the latest version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The work is accepted: the lesson completes.
    Approve,
    /// The student should change it and hand it in again.
    Changes,
}

impl Decision {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Changes => "changes_requested",
        }
    }
}

/// Why a review could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The latest version was reviewed already (by someone else, or in another tab).
    #[error("this version was reviewed already")]
    AlreadyReviewed,
    /// The database failed.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ReviewError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Records `decision` with `feedback` (plain text) on `submission`, publishes
/// `assignment.approved` or `assignment.changes_requested`, emails the student, and on approval
/// completes the lesson.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn review(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    reviewer: UserId,
    (submission, lesson): (&Submission, &Lesson),
    decision: Decision,
    feedback: &str,
) -> Result<(), ReviewError> {
    let Some(s) = store::submission(tx, submission.id, true).await? else { return Err(ReviewError::AlreadyReviewed) };
    if s.status != "pending" || s.version != submission.version {
        return Err(ReviewError::AlreadyReviewed);
    }
    let now = state.clock.now();
    store::record_review(tx, &s, decision.as_str(), feedback, reviewer, now).await?;
    let kind = match decision {
        Decision::Approve => "assignment.approved",
        Decision::Changes => "assignment.changes_requested",
    };
    state
        .events
        .publish(
            tx,
            kind,
            json!({ "submission_id": s.id, "user_id": s.user_id, "lesson_id": s.lesson_id,
                    "course_id": s.course_id, "version": s.version, "reviewed_by": reviewer }),
        )
        .await?;
    if decision == Decision::Approve {
        progress::complete_lesson(state, tx, s.user_id, lesson, How::Assignment).await?;
    }
    email_student(state, tx, school, &s, lesson, decision, feedback).await?;
    Ok(())
}

async fn email_student(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    s: &Submission,
    lesson: &Lesson,
    decision: Decision,
    feedback: &str,
) -> anyhow::Result<()> {
    let Some(student) = identity::store::find(tx, s.user_id).await? else { return Ok(()) };
    let course = crate::store::course(tx, lesson.course_id).await?;
    let Some(course) = course else { return Ok(()) };
    let url = format!("{}/learn/{}/{}", school.base_url, course.slug, lesson.id);
    let (template, subject) = match decision {
        Decision::Approve => ("courses/assignments/mail_approved", "assign-mail-approved-subject"),
        Decision::Changes => ("courses/assignments/mail_changes", "assign-mail-changes-subject"),
    };
    let ctx = context! {
        name => student.name.clone(), lesson => lesson.title.clone(), course => course.title.clone(),
        feedback => feedback.to_string(), url,
    };
    super::send_mail(state, tx, school, &student, template, (subject, &[("lesson", lesson.title.clone().into())]), ctx)
        .await
}

trait ContextMissing<T> {
    fn context_missing(self) -> Result<T, SubmitError>;
}

impl<T> ContextMissing<T> for Option<T> {
    fn context_missing(self) -> Result<T, SubmitError> {
        self.ok_or_else(|| SubmitError::Other(anyhow::anyhow!("a submission without versions")))
    }
}
