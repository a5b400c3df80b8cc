//! `GET /certificates/{code}`: the public verification page, and `GET /certificates/{code}/pdf`,
//! the PDF for its owner and the school's staff. `GET /certificates`: the student's own list.

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::certificates::{self, Certificate, issue, sheet, store};

/// The LinkedIn "add to profile" address for `c` (the form LinkedIn documents for
/// certifications).
pub fn linkedin_url(school: &kernel::web::School, c: &Certificate) -> String {
    let q = |s: &str| -> String { url_escape(s) };
    format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}\
         &issueYear={}&issueMonth={}&certUrl={}&certId={}",
        q(&c.course_title),
        q(&school.name),
        c.issued_on.format("%Y"),
        c.issued_on.format("%-m"),
        q(&sheet::verify_url(school, &c.code)),
        q(&c.code),
    )
}

fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Whether the viewer may download `c`: its owner while it is valid, or staff.
fn may_download(ctx: &Ctx, c: &Certificate) -> bool {
    ctx.can(Permission::ManageCourses) || ctx.user.as_ref().is_some_and(|u| u.id == c.user_id && c.is_valid())
}

pub async fn verify(ctx: Ctx, Path(code): Path<String>) -> AppResult<Response> {
    let code = issue::normalise_code(&code);
    let mut tx = ctx.tx().await?;
    let found = store::by_code(&mut tx, &code).await?;
    tx.commit().await?;
    let Some(c) = found else {
        let html = ctx.render("courses/certificates/unknown.html", context! { code })?;
        return Ok((StatusCode::NOT_FOUND, html).into_response());
    };
    let locale = ctx.shell.locale;
    let owner = ctx.user.as_ref().is_some_and(|u| u.id == c.user_id);
    let html = ctx.render(
        "courses/certificates/verify.html",
        context! {
            c => Serde(&c),
            date => sheet::date(&c, locale),
            hours => sheet::hours(&c, locale),
            revoked_on => c.revoked_at.map(|at| kernel::format::date(at, &ctx.school.time_zone, locale)),
            url => sheet::verify_url(&ctx.school, &c.code),
            download => may_download(&ctx, &c),
            linkedin => (owner && c.is_valid()).then(|| linkedin_url(&ctx.school, &c)),
        },
    )?;
    Ok(html.into_response())
}

pub async fn pdf(ctx: Ctx, Path(code): Path<String>) -> AppResult<Response> {
    ctx.user()?;
    let code = issue::normalise_code(&code);
    let mut tx = ctx.tx().await?;
    let c = store::by_code(&mut tx, &code).await?.ok_or(AppError::NotFound)?;
    if !may_download(&ctx, &c) {
        return Err(AppError::NotFound);
    }
    let bytes = issue::pdf(&ctx.state, &mut tx, &ctx.school, &c).await?;
    tx.commit().await?;
    Ok(pdf_response(bytes, &format!("certificate-{}.pdf", c.code), true))
}

/// A PDF response; `attachment` makes browsers save it rather than show it.
pub fn pdf_response(bytes: Vec<u8>, filename: &str, attachment: bool) -> Response {
    let disposition = format!("{}; filename=\"{filename}\"", if attachment { "attachment" } else { "inline" });
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

pub async fn mine(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let mut tx = ctx.tx().await?;
    let list = certificates::for_user(&mut tx, user).await?;
    tx.commit().await?;
    Ok(ctx.render("courses/certificates/mine.html", context! { certificates => Serde(&list) })?.into_response())
}
