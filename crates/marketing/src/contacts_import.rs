//! Importing contacts from a spreadsheet: the file is read with the courses import's CSV reader
//! (same refusals: too large, not text, empty, ragged), each column is mapped to what it holds
//! (email, first or last name, tags, a custom field, or nothing), every row is checked (bad or
//! missing address, the same address twice in the file), and only once staff confirm does a job
//! upsert the good rows, in batches whose progress the page shows. Rows wait in
//! `contact_imports` between steps; the sheet is emptied when the job ends.

use std::collections::HashSet;

use anyhow::Context;
use courses::import::Sheet;
use kernel::{AppState, db::TenantTx, jobs::Job};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::types::Json;
use uuid::Uuid;

use crate::contacts::{self, Incoming};

/// The job that imports confirmed rows.
pub const JOB: &str = "marketing.contacts_import";
/// Rows upserted per transaction (and per progress step).
const BATCH: usize = 250;

/// What a column can hold.
pub const ROLES: &[&str] = &["skip", "email", "first_name", "last_name", "name", "tags", "field"];

/// Registers the import job.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(JOB, run);
}

/// What each column holds, guessed from its header (English or Spanish).
pub fn guess(headers: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    headers
        .iter()
        .map(|h| {
            let h = h.to_lowercase();
            let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
            let role = if has(&["email", "e-mail", "correo", "mail"]) {
                "email"
            } else if has(&["first", "nombre", "given"]) {
                "first_name"
            } else if has(&["last", "surname", "apellido", "family"]) {
                "last_name"
            } else if has(&["name"]) {
                "name"
            } else if has(&["tag", "etiqueta"]) {
                "tags"
            } else {
                "field"
            };
            // One column per role, except custom fields.
            if role != "field" && !taken.insert(role) { "field" } else { role }.to_string()
        })
        .collect()
}

/// A custom field's key from its column header: `"Company name"` → `company_name`.
pub fn field_key(header: &str) -> String {
    let mut key = String::new();
    for c in header.trim().to_lowercase().chars() {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').chars().take(40).collect()
}

/// One row, read through the mapping.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Checked {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The address as typed.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Tags from the tags column (split on `,` `;` `|`).
    pub tags: Vec<String>,
    /// Custom fields.
    pub fields: serde_json::Map<String, Value>,
    /// Why it will be skipped (a message key), if it will.
    pub problem: Option<&'static str>,
}

/// Reads every row through `roles`; rows with a problem are skipped by the import.
pub fn check(sheet: &Sheet, roles: &[String]) -> Vec<Checked> {
    let mut seen = HashSet::new();
    sheet
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut c = Checked { line: i + 2, ..Default::default() };
            for (cell, (role, header)) in row.iter().zip(roles.iter().zip(&sheet.headers)) {
                let cell = cell.trim();
                match role.as_str() {
                    "email" => c.email = cell.to_string(),
                    "first_name" => c.first_name = cell.to_string(),
                    "last_name" => c.last_name = cell.to_string(),
                    "name" => {
                        let (first, last) = cell.split_once(' ').unwrap_or((cell, ""));
                        c.first_name = first.to_string();
                        c.last_name = last.trim().to_string();
                    }
                    "tags" => {
                        c.tags = cell
                            .split([',', ';', '|'])
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .map(String::from)
                            .collect()
                    }
                    "field" if !cell.is_empty() && !field_key(header).is_empty() => {
                        c.fields.insert(field_key(header), Value::String(cell.chars().take(500).collect()));
                    }
                    _ => {}
                }
            }
            c.problem = if c.email.is_empty() {
                Some("contacts-import-problem-missing")
            } else {
                match contacts::normalise_email(&c.email) {
                    None => Some("contacts-import-problem-email"),
                    Some(e) => (!seen.insert(e)).then_some("contacts-import-problem-duplicate"),
                }
            };
            c
        })
        .collect()
}

/// An import as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Import {
    /// Its id.
    pub id: Uuid,
    /// The uploaded file's name.
    pub file_name: String,
    /// The rows (emptied once imported).
    pub sheet: Json<Sheet>,
    /// What each column holds, once confirmed.
    pub mapping: Json<Vec<String>>,
    /// A tag put on every imported contact, if any.
    pub tag: String,
    /// `pending` (being mapped), `queued`, `running` or `done`.
    pub status: String,
    /// Rows to import.
    pub total: i32,
    /// Rows handled so far.
    pub processed: i32,
    /// Contacts made or updated.
    pub imported: i32,
    /// Rows skipped for a problem.
    pub skipped: i32,
}

const IMPORT: &str = "id, file_name, sheet, mapping, tag, status, total, processed, imported, skipped";

/// Keeps an uploaded sheet until it is mapped and confirmed; returns its id.
pub async fn save(tx: &mut TenantTx, file_name: &str, sheet: &Sheet, by: Uuid) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into contact_imports (tenant_id, id, file_name, sheet, mapping, total, created_by) \
         values ($1, $2, $3, $4, '[]', $5, $6)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(file_name)
    .bind(Json(sheet))
    .bind(sheet.rows.len() as i32)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// One import.
pub async fn find(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<Option<Import>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {IMPORT} from contact_imports where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Confirms a pending import with its mapping and tag, and queues the job. Whether it was
/// still pending (a second click queues nothing).
pub async fn confirm(tx: &mut TenantTx, id: Uuid, roles: &[String], tag: &str) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update contact_imports set mapping = $3, tag = $4, status = 'queued' \
         where tenant_id = $1 and id = $2 and status = 'pending'",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(Json(roles))
    .bind(tag)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        let job = kernel::jobs::NewJob::new(JOB, json!({ "import_id": id })).key(id.to_string());
        kernel::jobs::enqueue(tx, job).await?;
    }
    Ok(n == 1)
}

async fn run(state: AppState, job: Job) -> anyhow::Result<()> {
    let id: Uuid = serde_json::from_value(job.payload["import_id"].clone()).context("import id")?;
    loop {
        let mut tx = state.db.tenant(job.tenant).await?;
        let import = sqlx::query_as::<_, Import>(sqlx::AssertSqlSafe(format!(
            "select {IMPORT} from contact_imports where tenant_id = $1 and id = $2 for update"
        )))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(import) = import.filter(|i| i.status != "done" && i.status != "pending") else { return Ok(()) };
        let rows = check(&import.sheet, &import.mapping);
        let start = import.processed as usize;
        let batch: Vec<&Checked> = rows.iter().skip(start).take(BATCH).collect();
        let (mut imported, mut skipped) = (0, 0);
        for row in &batch {
            if row.problem.is_some() {
                skipped += 1;
                continue;
            }
            let who = Incoming {
                email: row.email.clone(),
                first_name: Some(row.first_name.clone()),
                last_name: Some(row.last_name.clone()),
                fields: row.fields.clone(),
                source: json!({ "kind": "import", "import_id": id, "file": import.file_name }),
                ..Default::default()
            };
            let (contact, _) = contacts::upsert(&state, &mut tx, who).await?;
            let mut tags = row.tags.clone();
            if !import.tag.is_empty() {
                tags.push(import.tag.clone());
            }
            contacts::tag(&state, &mut tx, contact, &tags).await?;
            imported += 1;
        }
        let processed = (start + batch.len()) as i32;
        let done = processed as usize >= rows.len();
        sqlx::query(
            "update contact_imports set processed = $3, imported = imported + $4, skipped = skipped + $5, \
               status = case when $6 then 'done' else 'running' end, \
               sheet = case when $6 then '{\"headers\": [], \"rows\": []}'::jsonb else sheet end \
             where tenant_id = $1 and id = $2",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(processed)
        .bind(imported)
        .bind(skipped)
        .bind(done)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if done {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(headers: &[&str], rows: &[&[&str]]) -> Sheet {
        Sheet {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    #[test]
    fn columns_are_guessed_from_their_headers() {
        let headers: Vec<String> =
            ["Correo", "First name", "Apellido", "Tags", "Company"].iter().map(|s| s.to_string()).collect();
        assert_eq!(guess(&headers), ["email", "first_name", "last_name", "tags", "field"]);
        assert_eq!(field_key(" Company name! "), "company_name");
    }

    #[test]
    fn bad_missing_and_repeated_addresses_are_problems() {
        let s = sheet(
            &["email", "name", "tags"],
            &[
                &["ana@example.com", "Ana García", "vip; 2026"],
                &["nope", "", ""],
                &["", "x", ""],
                &["ANA@example.com", "", ""],
            ],
        );
        let rows = check(&s, &guess(&s.headers));
        assert_eq!(rows[0].problem, None);
        assert_eq!((rows[0].first_name.as_str(), rows[0].last_name.as_str()), ("Ana", "García"));
        assert_eq!(rows[0].tags, ["vip", "2026"]);
        assert_eq!(rows[1].problem, Some("contacts-import-problem-email"));
        assert_eq!(rows[2].problem, Some("contacts-import-problem-missing"));
        assert_eq!(rows[3].problem, Some("contacts-import-problem-duplicate"));
        assert_eq!(rows[3].line, 5);
    }
}
