//! Puts a certificate, the school's template and branding together into what the PDF draws.

use kernel::{db::TenantTx, i18n::Locale, web::School};

use super::{
    Certificate,
    pdf::{Labels, Picture, Sheet},
    store::{self, Template},
};

/// The language a certificate is written in.
pub fn locale_of(c: &Certificate) -> Locale {
    Locale::parse(&c.locale).unwrap_or(Locale::En)
}

/// The public verification page of `code` on the school's site.
pub fn verify_url(school: &School, code: &str) -> String {
    format!("{}/certificates/{code}", school.base_url)
}

/// The date printed on a certificate, e.g. `Nov 30, 2026`.
pub fn date(c: &Certificate, locale: Locale) -> String {
    let noon = c.issued_on.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    kernel::format::date(noon, "UTC", locale)
}

/// The length printed on a certificate, e.g. `4.5 hours`.
pub fn hours(c: &Certificate, locale: Locale) -> Option<String> {
    c.hours().map(|h| kernel::i18n::t_args(locale, "cert-hours", &[("hours", kernel::i18n::ArgValue::Num(h))]))
}

/// The school's logo, when it has one.
async fn logo(tx: &mut TenantTx, school: &School) -> anyhow::Result<Option<Picture>> {
    let Some(id) = school
        .logo_url
        .as_deref()
        .and_then(|u| u.strip_prefix(tenancy::model::LOGO_PATH))
        .and_then(|k| k.parse::<uuid::Uuid>().ok())
    else {
        return Ok(None);
    };
    let asset = tenancy::branding::find(tx, id).await?;
    Ok(asset.map(|a| Picture { content_type: a.content_type, data: a.data }))
}

/// Everything the PDF of `c` shows, from `template` and the school's branding.
pub async fn build(tx: &mut TenantTx, school: &School, template: &Template, c: &Certificate) -> anyhow::Result<Sheet> {
    let locale = locale_of(c);
    let t = |key: &str| kernel::i18n::t(locale, key);
    let accent = kernel::web::school::parse_hex(&template.accent_color)
        .or_else(|| kernel::web::school::parse_hex(&school.brand_color))
        .unwrap_or((79, 70, 229));
    let (signer_name, signer_title) = if template.signer_name.trim().is_empty() {
        (c.instructor_name.clone(), String::new())
    } else {
        (template.signer_name.clone(), template.signer_title.clone())
    };
    let signature =
        if template.has_signature && !template.signer_name.is_empty() { store::signature(tx).await? } else { None };
    Ok(Sheet {
        layout: template.layout(),
        title: if template.title.trim().is_empty() { t("cert-default-title") } else { template.title.clone() },
        school_name: school.name.clone(),
        student_name: c.student_name.clone(),
        course_title: c.course_title.clone(),
        date: date(c, locale),
        hours: if template.show_hours { hours(c, locale) } else { None },
        signer_name,
        signer_title,
        signature,
        logo: logo(tx, school).await?,
        accent,
        code: c.code.clone(),
        verify_url: verify_url(school, &c.code),
        labels: Labels {
            certifies: t("cert-pdf-certifies"),
            completed: t("cert-pdf-completed"),
            date: t("cert-pdf-date"),
            hours: t("cert-pdf-hours"),
            instructor: t("cert-pdf-instructor"),
            code: t("cert-pdf-code"),
            verify: t("cert-pdf-verify"),
        },
        language: locale.code().to_string(),
    })
}
