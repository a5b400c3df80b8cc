//! Helpers for the opt-in form tests: a form made through the admin, a library file with real
//! bytes in storage, a genuine render time and posts as a visitor's browser makes them.

use reqwest::{Response, StatusCode};

use crate::support::{Browser, TestApp, TestSchool, location};

/// The bytes of the lead magnet file.
pub const GUIDE: &[u8] =
    b"%PDF-1.4\n% The spring guide\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// Makes a form through the admin with `extra` fields over sensible defaults; its id.
pub async fn new_form(b: &Browser, extra: &[(&str, &str)]) -> String {
    let mut fields: Vec<(&str, &str)> = vec![
        ("name", "Spring guide"),
        ("button_label", "Get the guide"),
        ("field_position", "1"),
        ("field_kind", "first_name"),
        ("field_label", ""),
        ("field_key", ""),
        ("field_state", "optional"),
        ("field_options", ""),
        ("consent_text", "I agree to receive emails."),
        ("consent_required", "on"),
        ("tags", "lead, spring"),
        ("after", "none"),
    ];
    for (k, v) in extra {
        fields.retain(|(n, _)| n != k);
        fields.push((k, v));
    }
    let res = b.post_form("/admin/forms", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    location(&res).trim_start_matches("/admin/forms/").to_string()
}

/// A PDF in the school's library, with its bytes in storage.
pub async fn library_file(app: &TestApp, school: &TestSchool) -> media::MediaId {
    let id = media::MediaId::new();
    let upload = media::model::UploadId::new();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into media (tenant_id, id, title, kind, status, current_upload, file_name, content_type, source_bytes)
         values ($1, $2, 'Spring guide', 'file', 'ready', $3, 'spring-guide.pdf', 'application/pdf', $4)",
    )
    .bind(school.school.id)
    .bind(id)
    .bind(upload)
    .bind(GUIDE.len() as i64)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let key = media::model::keys::source(id, upload).unwrap();
    app.state.storage.put(school.school.id, &key, GUIDE.to_vec(), Some("application/pdf")).await.unwrap();
    id
}

/// A render time old enough for a person.
pub fn stamp(app: &TestApp) -> String {
    kernel::web::visitor::form_stamp(&app.state.config.keys, chrono::Utc::now().timestamp() - 10)
}

/// Posts the opt-in form as a browser on the school's site does (same origin, no CSRF token).
pub async fn opt_in(app: &TestApp, b: &Browser, form: &str, fields: &[(&str, &str)]) -> Response {
    let stamp = stamp(app);
    let mut all: Vec<(&str, &str)> = vec![("_stamp", &stamp)];
    all.extend_from_slice(fields);
    b.client
        .post(b.url(&format!("/f/{form}")))
        .header("accept", "text/html")
        .header("origin", &b.base)
        .header("referer", format!("{}/p/spring?utm_source=newsletter&utm_campaign=launch", b.base))
        .form(&all)
        .send()
        .await
        .unwrap()
}

/// One number from the school's rows.
pub async fn count(app: &TestApp, school: &TestSchool, sql: &'static str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}
