//! A visitor opting in: what they typed checked against the form ([`check`]), then [`accept`]
//! makes or updates the contact, records consent and the submission, tags them, publishes
//! `form.submitted`, and either mails a confirmation link (double opt-in; [`confirm`] finishes
//! it) or delivers the lead magnet now.

use std::collections::BTreeMap;

use chrono::Duration;
use kernel::{
    AppState,
    db::TenantTx,
    i18n::{self, Locale},
    secret::{hash_token, random_token},
    web::School,
};
use minijinja::context;
use serde_json::{Map, Value, json};

use crate::{
    contacts::{self, Incoming},
    forms::fields_of,
    forms_store::{self, NewSubmission},
    lead_magnet,
    model::{ContactId, Form},
    store,
};

/// Days a confirmation link works.
pub const CONFIRM_DAYS: i64 = 7;
/// The UTM parameters kept with a submission.
pub const UTM: &[&str] = &["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/// What a visitor posted, read from the form's inputs.
#[derive(Clone, Debug, Default)]
pub struct Posted {
    /// The values by input name (the first of each).
    pub values: BTreeMap<String, String>,
}

impl Posted {
    /// From a form body's pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            values.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Self { values }
    }

    /// One value, trimmed ("" when absent).
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map(|v| v.trim()).unwrap_or_default()
    }

    /// The UTM parameters: from hidden inputs, else from the referring page's address.
    pub fn utm(&self, referer: Option<&str>) -> Map<String, Value> {
        let from_referer: Vec<(String, String)> = referer
            .and_then(|r| r.split_once('?'))
            .map(|(_, q)| serde_urlencoded::from_str(q.split('#').next().unwrap_or_default()).unwrap_or_default())
            .unwrap_or_default();
        let mut out = Map::new();
        for key in UTM {
            let v = Some(self.get(key).to_string())
                .filter(|v| !v.is_empty())
                .or_else(|| from_referer.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()));
            if let Some(v) = v {
                out.insert((*key).to_string(), Value::String(v.chars().take(200).collect()));
            }
        }
        out
    }
}

/// The checked submission.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The address, lower case.
    pub email: String,
    /// First name, when asked.
    pub first_name: Option<String>,
    /// Last name, when asked.
    pub last_name: Option<String>,
    /// Custom fields by key.
    pub fields: Map<String, Value>,
    /// Whether the consent box was ticked.
    pub consented: bool,
}

/// Checks `posted` against `form`; messages (Fluent keys) by input name when something is wrong.
pub fn check(form: &Form, posted: &Posted) -> Result<Checked, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let email = posted.get("email");
    let email = if email.is_empty() {
        errors.insert("email".into(), "forms-error-email-missing".into());
        None
    } else {
        let e = contacts::normalise_email(email);
        if e.is_none() {
            errors.insert("email".into(), "forms-error-email".into());
        }
        e
    };
    let mut out =
        Checked { email: String::new(), first_name: None, last_name: None, fields: Map::new(), consented: false };
    for f in fields_of(form).iter().filter(|f| f.kind != "email") {
        let v = posted.get(&f.key);
        let max = if f.kind == "textarea" { 5000 } else { 500 };
        let filled = !v.is_empty();
        if f.required && !filled {
            errors.insert(
                f.key.clone(),
                if f.kind == "checkbox" { "forms-error-tick" } else { "forms-error-required" }.into(),
            );
            continue;
        }
        if v.chars().count() > max {
            errors.insert(f.key.clone(), "forms-error-too-long".into());
            continue;
        }
        if f.kind == "select" && !v.is_empty() && !f.options.iter().any(|o| o == v) {
            errors.insert(f.key.clone(), "forms-error-choice".into());
            continue;
        }
        match f.kind.as_str() {
            "first_name" => out.first_name = Some(v.to_string()).filter(|s| !s.is_empty()),
            "last_name" => out.last_name = Some(v.to_string()).filter(|s| !s.is_empty()),
            "checkbox" => {
                out.fields.insert(f.key.clone(), Value::Bool(filled));
            }
            _ if !v.is_empty() => {
                out.fields.insert(f.key.clone(), Value::String(v.to_string()));
            }
            _ => {}
        }
    }
    out.consented = !posted.get("consent").is_empty();
    if form.consent_required && !form.consent_text.is_empty() && !out.consented {
        errors.insert("consent".into(), "forms-error-consent".into());
    }
    match email {
        Some(e) if errors.is_empty() => Ok(Checked { email: e, ..out }),
        _ => Err(errors),
    }
}

/// Where the submission came from.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The built page, when posted from one.
    pub page_id: Option<uuid::Uuid>,
    /// Its A/B variant.
    pub variant: String,
    /// The page address's UTM parameters.
    pub utm: Map<String, Value>,
    /// The visitor's address, for the consent record.
    pub ip: String,
    /// An affiliate's referral cookie as the browser sent it (empty without one); the affiliate
    /// program verifies it when it records the opt-in.
    pub referral: String,
}

/// What [`accept`] did.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// The contact.
    pub contact: ContactId,
    /// A confirmation email was sent and the contact waits for it.
    pub awaiting_confirmation: bool,
}

/// Takes a checked submission: contact, consent, tags, submission row, `form.submitted`, then
/// the confirmation email or the lead magnet.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn accept(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    locale: Locale,
    form: &Form,
    c: Checked,
    from: Origin,
) -> anyhow::Result<Accepted> {
    let now = state.clock.now();
    let mut source = json!({ "kind": "form", "form_id": form.id, "page_id": from.page_id });
    for (k, v) in &from.utm {
        source[k] = v.clone();
    }
    let consent = (c.consented && !form.consent_text.is_empty())
        .then(|| json!({ "text": form.consent_text, "at": now, "ip": from.ip, "form_id": form.id }));
    let before = store::contact_by_email(tx, &c.email).await?;
    let already = before.as_ref().is_some_and(|b| b.status == "subscribed");
    let confirm_first = form.double_opt_in && !already;
    let incoming = Incoming {
        email: c.email.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        fields: c.fields.clone(),
        source,
        consent,
        status: Some(if confirm_first { "pending" } else { "subscribed" }),
        ..Default::default()
    };
    let (contact_id, _) = contacts::upsert(state, tx, incoming).await?;
    contacts::tag(state, tx, contact_id, &form.tags).await?;
    let token = confirm_first.then(|| random_token(24));
    let mut data = c.fields.clone();
    data.insert("email".into(), Value::String(c.email.clone()));
    let submission = NewSubmission {
        form: form.id,
        contact: contact_id,
        page: from.page_id,
        variant: &from.variant,
        data: Value::Object(data),
        utm: Value::Object(from.utm.clone()),
        confirm: token.as_ref().map(|t| (hash_token(t), now + Duration::days(CONFIRM_DAYS))),
    };
    forms_store::insert_submission(tx, &submission).await?;
    store::insert_activity(
        tx,
        contact_id,
        "form_submitted",
        &json!({ "form_id": form.id, "page_id": from.page_id }),
        now,
    )
    .await?;
    let mut payload = json!({
        "form_id": form.id, "contact_id": contact_id, "email": c.email, "page_id": from.page_id,
        "variant": from.variant, "utm": from.utm,
    });
    if !from.referral.is_empty() {
        payload["referral"] = from.referral.clone().into();
        payload["ip_hash"] = kernel::web::ip_hash(&state.config.keys, tx.tenant(), &from.ip).into();
    }
    state.events.publish(tx, "form.submitted", payload).await?;
    let contact = store::contact(tx, contact_id).await?.ok_or_else(|| anyhow::anyhow!("contact just written"))?;
    match token {
        Some(token) => {
            let url = format!("{}/f/confirm/{token}", school.base_url);
            let subject = i18n::t_args(locale, "forms-mail-confirm-subject", &[("school", school.name.clone().into())]);
            let ctx = context! { name => contact.first_name.clone(), url, days => CONFIRM_DAYS };
            lead_magnet::queue(state, tx, school, locale, &contact, "marketing/mail/form_confirm", subject, ctx)
                .await?;
        }
        None => lead_magnet::deliver(state, tx, school, locale, form, &contact).await?,
    }
    Ok(Accepted { contact: contact_id, awaiting_confirmation: confirm_first })
}

/// What a confirmation link found.
#[derive(Clone, Debug)]
pub enum Confirmation {
    /// Confirmed now; the lead magnet is on its way.
    Done(Form),
    /// Confirmed earlier; nothing more happens.
    Already(Form),
    /// Too old: the visitor may submit the form again.
    Expired(Form),
    /// No such link.
    Unknown,
}

/// Follows a confirmation link: subscribes the contact (publishing `contact.subscribed`) and
/// delivers the lead magnet, once.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn confirm(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    locale: Locale,
    token: &str,
) -> anyhow::Result<Confirmation> {
    let Some(p) = forms_store::by_confirm_hash(tx, &hash_token(token)).await? else {
        return Ok(Confirmation::Unknown);
    };
    let Some(form) = store::form(tx, p.form_id).await? else { return Ok(Confirmation::Unknown) };
    let now = state.clock.now();
    if p.confirmed_at.is_some() {
        return Ok(Confirmation::Already(form));
    }
    if p.confirm_expires_at.is_none_or(|e| e < now) {
        return Ok(Confirmation::Expired(form));
    }
    let Some(contact) = store::contact(tx, p.contact_id).await? else { return Ok(Confirmation::Unknown) };
    forms_store::confirm(tx, p.id, now).await?;
    let incoming = Incoming { email: contact.email.clone(), status: Some("subscribed"), ..Default::default() };
    contacts::upsert(state, tx, incoming).await?;
    store::insert_activity(tx, contact.id, "confirmed", &json!({ "form_id": form.id }), now).await?;
    lead_magnet::deliver(state, tx, school, locale, &form, &contact).await?;
    Ok(Confirmation::Done(form))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_comes_from_inputs_or_else_the_referring_address() {
        let p = Posted::from_pairs(&[("utm_source".into(), "news".into())]);
        let utm = p.utm(Some("https://acme.test/p/guide?utm_source=x&utm_campaign=spring#top"));
        assert_eq!(utm["utm_source"], "news");
        assert_eq!(utm["utm_campaign"], "spring");
        assert!(!utm.contains_key("utm_medium"));
    }
}
