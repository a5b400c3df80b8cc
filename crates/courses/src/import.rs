//! Enrolling students from a spreadsheet: read the CSV (with clear refusals for files that are
//! not one), guess which column holds what, check every row against the school (bad address,
//! repeated row, unreadable date, already enrolled), and only once the creator confirms, enrol
//! the good rows in one transaction. The uploaded rows wait in `course_imports` between steps.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use identity::model::Email;
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde::{Deserialize, Serialize};

use crate::{
    enrollment::Source,
    model::{Course, CourseId, EnrollmentState},
    roster, store,
};

/// The largest file accepted.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The most rows accepted (besides the header).
pub const MAX_ROWS: usize = 10_000;

/// Why a file is not a CSV we can read; each has a message key (`import-file-…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Over [`MAX_BYTES`].
    TooLarge,
    /// Not UTF-8 text.
    NotText,
    /// No header row, or nothing at all.
    Empty,
    /// A row with more or fewer cells than the header, at this line.
    Ragged(u64),
    /// Over [`MAX_ROWS`].
    TooManyRows,
}

impl FileError {
    /// The message key.
    pub fn key(self) -> &'static str {
        match self {
            Self::TooLarge => "import-file-too-large",
            Self::NotText => "import-file-not-text",
            Self::Empty => "import-file-empty",
            Self::Ragged(_) => "import-file-ragged",
            Self::TooManyRows => "import-file-too-many",
        }
    }

    /// The line it concerns, if any.
    pub fn line(self) -> Option<u64> {
        match self {
            Self::Ragged(line) => Some(line),
            _ => None,
        }
    }
}

/// A readable CSV: its header and rows, every row as long as the header.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sheet {
    /// Column names.
    pub headers: Vec<String>,
    /// Cells, row by row.
    pub rows: Vec<Vec<String>>,
}

/// Reads a CSV upload. Commas, semicolons (spreadsheets set to Spanish write those) and tabs
/// are told apart from the header line; a byte-order mark is ignored.
pub fn parse(bytes: &[u8]) -> Result<Sheet, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|d| first.matches(*d as char).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(_) => return Err(FileError::Empty),
    };
    if headers.iter().all(String::is_empty) {
        return Err(FileError::Empty);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths { pos, .. } => FileError::Ragged(pos.as_ref().map_or(0, |p| p.line())),
            csv::ErrorKind::Utf8 { .. } => FileError::NotText,
            _ => FileError::Ragged(e.position().map_or(0, |p| p.line())),
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line at the end of a spreadsheet export
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(Sheet { headers, rows })
}

/// Which column holds what (indexes into the header).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// The address (required).
    pub email: Option<usize>,
    /// The name.
    pub name: Option<usize>,
    /// The last day of access.
    pub ends: Option<usize>,
}

/// The columns the header names suggest, in English or Spanish.
pub fn guess(headers: &[String]) -> Mapping {
    let find = |words: &[&str]| {
        headers.iter().position(|h| {
            let h = h.to_lowercase();
            words.iter().any(|w| h.contains(w))
        })
    };
    Mapping {
        email: find(&["email", "e-mail", "correo", "mail"]),
        name: find(&["name", "nombre", "student", "alumno"]),
        ends: find(&["end", "until", "expire", "fin", "hasta", "vence"]),
    }
}

/// What will happen to one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// An account will be created and enrolled.
    Create,
    /// The existing account will be enrolled.
    Enrol,
    /// Already enrolled with open access: skipped.
    Skip,
    /// The address is not one.
    BadEmail,
    /// The same address appeared on an earlier row.
    Duplicate,
    /// The end date cannot be read.
    BadDate,
    /// The end date has passed.
    PastDate,
}

impl Outcome {
    /// Whether the row will be imported.
    pub fn imports(self) -> bool {
        matches!(self, Self::Create | Self::Enrol)
    }
}

/// One row of the preview.
#[derive(Clone, Debug, Serialize)]
pub struct Checked {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The address as written.
    pub email: String,
    /// The name as written.
    pub name: String,
    /// The end date as written.
    pub ends: String,
    /// The end of access it means.
    #[serde(skip)]
    pub ends_at: Option<DateTime<Utc>>,
    /// What will happen.
    pub outcome: Outcome,
}

/// What the school already knows about the addresses in a file.
#[derive(Default)]
pub struct Known {
    /// Addresses (lowercase) with an account.
    pub accounts: HashMap<String, UserId>,
    /// Accounts with open access to the course.
    pub active: HashSet<UserId>,
}

/// Checks every row under `mapping` (`zone` reads dates as days in the school's time zone).
pub fn check(sheet: &Sheet, mapping: Mapping, known: &Known, zone: &str, now: DateTime<Utc>) -> Vec<Checked> {
    let cell = |row: &Vec<String>, i: Option<usize>| i.and_then(|i| row.get(i)).cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    sheet
        .rows
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let (email, name, ends) = (cell(row, mapping.email), cell(row, mapping.name), cell(row, mapping.ends));
            let ends_at = (!ends.is_empty()).then(|| roster::end_of_day(&ends, zone)).flatten();
            let parsed = Email::parse(&email);
            let outcome = match &parsed {
                None => Outcome::BadEmail,
                Some(e) if !seen.insert(e.as_str().to_string()) => Outcome::Duplicate,
                Some(_) if !ends.is_empty() && ends_at.is_none() => Outcome::BadDate,
                Some(_) if ends_at.is_some_and(|end| end <= now) => Outcome::PastDate,
                Some(e) => match known.accounts.get(e.as_str()) {
                    Some(id) if known.active.contains(id) => Outcome::Skip,
                    Some(_) => Outcome::Enrol,
                    None => Outcome::Create,
                },
            };
            Checked { line: n + 2, email, name, ends, ends_at, outcome }
        })
        .collect()
}

/// What the school knows about the addresses in `sheet` under `mapping`.
pub async fn known(
    tx: &mut TenantTx,
    course: &Course,
    sheet: &Sheet,
    mapping: Mapping,
    now: DateTime<Utc>,
) -> sqlx::Result<Known> {
    let Some(col) = mapping.email else { return Ok(Known::default()) };
    let emails: Vec<String> = sheet
        .rows
        .iter()
        .filter_map(|r| r.get(col))
        .filter_map(|e| Email::parse(e))
        .map(|e| e.as_str().to_string())
        .collect();
    let accounts: HashMap<String, UserId> = identity::store::find_by_emails(tx, &emails)
        .await?
        .into_iter()
        .map(|u| (u.email.to_lowercase(), u.id))
        .collect();
    let active = store::enrollments_of_course(tx, course.id)
        .await?
        .into_iter()
        .filter(|e| e.state(now) == EnrollmentState::Active)
        .map(|e| e.user_id)
        .collect();
    Ok(Known { accounts, active })
}

/// An upload waiting for its creator to map and confirm it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pending {
    /// Its id.
    pub id: uuid::Uuid,
    /// The course.
    pub course_id: CourseId,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The file's content.
    pub sheet: sqlx::types::Json<Sheet>,
    /// `pending` or `done`.
    pub status: String,
}

/// Keeps an upload until it is confirmed (or swept, see [`crate::import_sweep`]).
pub async fn save(
    tx: &mut TenantTx,
    course: CourseId,
    by: UserId,
    file_name: &str,
    sheet: &Sheet,
    now: DateTime<Utc>,
) -> sqlx::Result<uuid::Uuid> {
    let id = uuid::Uuid::now_v7();
    sqlx::query(
        "insert into course_imports (tenant_id, id, course_id, created_by, file_name, sheet, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(course)
    .bind(by)
    .bind(file_name)
    .bind(sqlx::types::Json(sheet))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    crate::import_sweep::schedule(tx).await?;
    Ok(id)
}

/// An upload of `course` by id.
pub async fn find(tx: &mut TenantTx, course: CourseId, id: uuid::Uuid) -> sqlx::Result<Option<Pending>> {
    sqlx::query_as(
        "select id, course_id, file_name, sheet, status from course_imports
         where tenant_id = $1 and id = $2 and course_id = $3",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(course)
    .fetch_optional(&mut **tx)
    .await
}

/// What a confirmed import did.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    /// Students enrolled.
    pub enrolled: i64,
    /// Of those, accounts created.
    pub created: i64,
    /// Rows skipped (already enrolled).
    pub skipped: i64,
    /// Rows left out for their errors.
    pub failed: i64,
}

/// Enrols every good row of `pending` under `mapping`, in the caller's transaction, and marks
/// the upload done (so a second confirm imports nothing). `None` when it was done already.
pub async fn run(
    state: &AppState,
    tx: &mut TenantTx,
    course: &Course,
    pending: &Pending,
    mapping: Mapping,
    zone: &str,
) -> anyhow::Result<Option<Counts>> {
    let claimed = sqlx::query(
        "update course_imports set status = 'done' where tenant_id = $1 and id = $2 and status = 'pending'",
    )
    .bind(tx.tenant())
    .bind(pending.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(None);
    }
    let now = state.clock.now();
    let known = known(tx, course, &pending.sheet, mapping, now).await?;
    let mut counts = Counts::default();
    for row in check(&pending.sheet, mapping, &known, zone, now) {
        match row.outcome {
            Outcome::Skip => counts.skipped += 1,
            o if !o.imports() => counts.failed += 1,
            _ => {
                let Some(email) = Email::parse(&row.email) else { continue };
                let done =
                    roster::enroll_by_email(state, tx, course, &email, &row.name, row.ends_at, Source::Import).await?;
                counts.enrolled += i64::from(done.granted);
                counts.created += i64::from(done.created);
                counts.skipped += i64::from(!done.granted);
            }
        }
    }
    sqlx::query(
        "update course_imports set enrolled_count = $3, created_count = $4, skipped_count = $5, failed_count = $6
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(pending.id)
    .bind(counts.enrolled)
    .bind(counts.created)
    .bind(counts.skipped)
    .bind(counts.failed)
    .execute(&mut **tx)
    .await?;
    Ok(Some(counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str) -> Result<Sheet, FileError> {
        parse(text.as_bytes())
    }

    #[test]
    fn reads_commas_semicolons_and_a_byte_order_mark() {
        let s = sheet("\u{feff}Email,Name\nana@x.test,Ana\n\n").unwrap();
        assert_eq!(s.headers, ["Email", "Name"]);
        assert_eq!(s.rows, [["ana@x.test", "Ana"]]);
        let s = sheet("correo;nombre;hasta\nana@x.test;Ana López;2030-01-01\n").unwrap();
        assert_eq!(s.rows[0][1], "Ana López");
        assert_eq!(guess(&s.headers), Mapping { email: Some(0), name: Some(1), ends: Some(2) });
    }

    #[test]
    fn refuses_files_that_are_not_a_readable_csv() {
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(FileError::NotText));
        assert_eq!(sheet(""), Err(FileError::Empty));
        assert_eq!(sheet("email,name\na@x.test\n"), Err(FileError::Ragged(2)));
        let many = format!("email\n{}", "a@x.test\n".repeat(MAX_ROWS + 1));
        assert_eq!(sheet(&many), Err(FileError::TooManyRows));
        assert_eq!(parse(&vec![b'a'; MAX_BYTES + 1]), Err(FileError::TooLarge));
    }

    #[test]
    fn every_row_says_what_will_happen_to_it() {
        let s =
            sheet("email,ends\nana@x.test,\nbad,\nANA@x.test,\nbo@x.test,someday\ncy@x.test,2001-01-01\ndee@x.test,\n")
                .unwrap();
        let dee = UserId::new();
        let known = Known { accounts: HashMap::from([("dee@x.test".into(), dee)]), active: HashSet::from([dee]) };
        let rows = check(&s, guess(&s.headers), &known, "UTC", Utc::now());
        let outcomes: Vec<_> = rows.iter().map(|r| r.outcome).collect();
        use Outcome::*;
        assert_eq!(outcomes, [Create, BadEmail, Duplicate, BadDate, PastDate, Skip]);
        assert_eq!(rows[1].line, 3);
    }
}
