//! `GET/POST /admin/certificates`: the school's certificate design (heading, layout, accent,
//! length, signer and signature image), with a live preview: the real PDF of a sample
//! certificate, refreshed by htmx as the creator changes the form.

use axum::{
    extract::{
        Multipart, Query,
        multipart::{MultipartError, MultipartRejection},
    },
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Datelike;
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, i18n::Locale, web::FieldErrors};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::certificates::{
    Certificate, CertificateId, Layout, pdf, sheet,
    store::{self, SignatureChange, Template},
};

/// The largest signature image, in bytes.
pub const SIGNATURE_MAX: usize = 512 * 1024;
/// The largest body accepted: above the image limit, so an oversized photo still gets its
/// message beside the field.
pub const BODY_MAX: usize = 16 * 1024 * 1024;
const TEXT_MAX: usize = 4096;

/// The design form as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DesignForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    layout: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    show_hours: Option<String>,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    signer_title: String,
}

impl DesignForm {
    fn from_template(t: &Template) -> Self {
        Self {
            title: t.title.clone(),
            layout: t.layout.clone(),
            accent_color: t.accent_color.clone(),
            show_hours: t.show_hours.then(|| "1".into()),
            signer_name: t.signer_name.clone(),
            signer_title: t.signer_title.clone(),
        }
    }

    /// The template this form describes, or the messages to show beside its fields.
    fn parse(&self, locale: Locale, has_signature: bool) -> Result<Template, FieldErrors> {
        let t = |k: &str| kernel::i18n::t(locale, k);
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_string();
        if title.chars().count() > 80 {
            errors.add("title", t("cert-error-title-long"));
        }
        let accent = self.accent_color.trim().to_ascii_lowercase();
        let hex = accent.len() == 7 && accent.starts_with('#') && accent[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !accent.is_empty() && !hex {
            errors.add("accent_color", t("cert-error-accent"));
        }
        let signer_name = self.signer_name.trim().to_string();
        let signer_title = self.signer_title.trim().to_string();
        if signer_name.chars().count() > 80 {
            errors.add("signer_name", t("cert-error-signer-long"));
        }
        if signer_title.chars().count() > 80 {
            errors.add("signer_title", t("cert-error-signer-long"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Template {
            title,
            layout: Layout::parse(&self.layout).unwrap_or_default().as_str().into(),
            accent_color: accent,
            show_hours: self.show_hours.as_deref().is_some_and(|v| !v.is_empty() && v != "0"),
            signer_name,
            signer_title,
            has_signature,
        })
    }

    /// The query string of the preview of this form.
    fn query(&self) -> String {
        serde_urlencoded_like(self)
    }
}

fn serde_urlencoded_like(f: &DesignForm) -> String {
    let pairs = [
        ("title", f.title.as_str()),
        ("layout", f.layout.as_str()),
        ("accent_color", f.accent_color.as_str()),
        ("show_hours", f.show_hours.as_deref().unwrap_or("")),
        ("signer_name", f.signer_name.as_str()),
        ("signer_title", f.signer_title.as_str()),
    ];
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.bytes().map(escape).collect::<String>()))
        .collect::<Vec<_>>()
        .join("&")
}

fn escape(b: u8) -> String {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
        _ => format!("%{b:02X}"),
    }
}

/// What the form sent.
#[derive(Default)]
struct Sent {
    form: DesignForm,
    remove_signature: bool,
    signature: Signature,
}

#[derive(Default)]
enum Signature {
    #[default]
    Unchanged,
    File(Vec<u8>),
    TooLarge,
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let mut tx = ctx.tx().await?;
    let saved = store::template(&mut tx).await?;
    tx.commit().await?;
    let sent = Sent { form: DesignForm::from_template(&saved), ..Sent::default() };
    page(&ctx, &sent, saved.has_signature, &FieldErrors::default(), StatusCode::OK)
}

fn page(ctx: &Ctx, sent: &Sent, has_signature: bool, errors: &FieldErrors, status: StatusCode) -> AppResult<Response> {
    let layouts: Vec<(&str, String)> =
        Layout::ALL.iter().map(|l| (l.as_str(), ctx.t(&format!("cert-layout-{}", l.as_str())))).collect();
    let html = ctx.render(
        "courses/certificates/design.html",
        context! {
            form => Serde(&sent.form),
            layout => Layout::parse(&sent.form.layout).unwrap_or_default().as_str(),
            layouts => Serde(layouts),
            errors => Serde(errors),
            has_signature,
            remove_signature => sent.remove_signature,
            signature_max_kb => SIGNATURE_MAX / 1024,
            preview_query => sent.form.query(),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn save(ctx: Ctx, multipart: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let sent = read(multipart).await?;
    let mut tx = ctx.tx().await?;
    let saved = store::template(&mut tx).await?;
    let locale = ctx.shell.locale;
    let parsed = sent.form.parse(locale, saved.has_signature);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let max_kb = ((SIGNATURE_MAX / 1024) as i64).into();
    let image = match &sent.signature {
        Signature::Unchanged => None,
        Signature::TooLarge => {
            errors.add("signature", ctx.t_args("cert-error-signature-large", &[("max", max_kb)]));
            None
        }
        Signature::File(bytes) => match image_kind(bytes) {
            Some(kind) => Some((kind, bytes.as_slice())),
            None => {
                errors.add("signature", ctx.t("cert-error-signature-type"));
                None
            }
        },
    };
    if !errors.is_empty() {
        if image.is_some() {
            errors.add("signature", ctx.t("cert-error-choose-again"));
        }
        let status = if matches!(sent.signature, Signature::TooLarge) {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        tx.commit().await?;
        return page(&ctx, &sent, saved.has_signature, &errors, status);
    }
    let template = parsed.map_err(|_| AppError::BadRequest("invalid design".into()))?;
    let change = match image {
        Some((kind, bytes)) => SignatureChange::Set(kind, bytes),
        None if sent.remove_signature => SignatureChange::Remove,
        None => SignatureChange::Keep,
    };
    store::save_template(&mut tx, &template, change).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/certificates", "success", ctx.t("cert-saved")).into_response())
}

/// PNG or JPEG, by their first bytes (never the type the browser claims), as logos are told.
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    use tenancy::branding::ImageKind;
    ImageKind::sniff(bytes).filter(|k| matches!(k, ImageKind::Png | ImageKind::Jpeg)).map(ImageKind::content_type)
}

async fn read(mut multipart: Multipart) -> AppResult<Sent> {
    let mut sent = Sent::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return too_large(e, sent),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "signature" {
            let chosen = field.file_name().is_some_and(|n| !n.is_empty());
            match kernel::web::multipart::read_capped(field, SIGNATURE_MAX).await {
                Ok(Some(bytes)) if chosen || !bytes.is_empty() => sent.signature = Signature::File(bytes),
                Ok(Some(_)) => {}
                Ok(None) => sent.signature = Signature::TooLarge,
                Err(e) => return too_large(e, sent),
            }
            continue;
        }
        let value = match kernel::web::multipart::read_capped(field, TEXT_MAX).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned(),
            Err(e) => return too_large(e, sent),
        };
        match name.as_str() {
            "title" => sent.form.title = value,
            "layout" => sent.form.layout = value,
            "accent_color" => sent.form.accent_color = value,
            "show_hours" => sent.form.show_hours = Some(value),
            "signer_name" => sent.form.signer_name = value,
            "signer_title" => sent.form.signer_title = value,
            "remove_signature" => sent.remove_signature = value == "1",
            _ => {}
        }
    }
    Ok(sent)
}

fn too_large(e: MultipartError, mut sent: Sent) -> AppResult<Sent> {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        sent.signature = Signature::TooLarge;
        Ok(sent)
    } else {
        Err(AppError::BadRequest(e.body_text()))
    }
}

/// `GET /admin/certificates/preview`: the preview frame for the form as typed (htmx swaps it in).
pub async fn preview_frame(ctx: Ctx, Query(f): Query<DesignForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    Ok(ctx.render("courses/certificates/_preview.html", context! { preview_query => f.query() })?.into_response())
}

/// `GET /admin/certificates/preview.pdf`: a sample certificate with the design as typed (what is
/// saved stands in for any field that is not valid yet).
pub async fn preview_pdf(ctx: Ctx, Query(f): Query<DesignForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let locale = ctx.shell.locale;
    let mut tx = ctx.tx().await?;
    let saved = store::template(&mut tx).await?;
    let template = f.parse(locale, saved.has_signature).unwrap_or(saved);
    let now = ctx.state.clock.now().with_timezone(&kernel::format::tz(&ctx.school.time_zone));
    let sample = Certificate {
        id: CertificateId::new(),
        code: "LYC-7K3M-9QX2".into(),
        user_id: ctx.user()?.id,
        course_id: crate::model::CourseId::new(),
        student_name: ctx.t("cert-sample-student"),
        course_title: ctx.t("cert-sample-course"),
        instructor_name: ctx.user()?.name.clone(),
        minutes: 270,
        issued_at: now.to_utc(),
        issued_on: chrono::NaiveDate::from_ymd_opt(now.year(), now.month(), now.day()).unwrap_or_default(),
        locale: locale.code().into(),
        pdf_key: None,
        revoked_at: None,
        revoked_reason: String::new(),
    };
    let sheet = sheet::build(&mut tx, &ctx.school, &template, &sample).await?;
    tx.commit().await?;
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&sheet)).await.map_err(anyhow::Error::from)??;
    let mut res = super::certificates_public::pdf_response(bytes, "certificate-preview.pdf", false);
    // The editor shows it in a frame of its own page.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"),
    );
    Ok(res)
}
