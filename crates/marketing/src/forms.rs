//! Opt-in forms as the creator defines them: which fields are asked (the email always first),
//! consent, double opt-in, tags, the lead magnet and where visitors go afterwards. [`Draft::parse`]
//! reads the admin's form post and says what is wrong beside each field; the rules that need the
//! database (a chosen file, course or page) are checked by [`Draft::check_refs`].

use std::collections::BTreeMap;

use kernel::db::TenantTx;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::model::Form;

/// The kinds of field a form may ask for, besides the email.
pub const KINDS: &[&str] = &["first_name", "last_name", "text", "textarea", "select", "checkbox"];
/// What a form may deliver.
pub const MAGNETS: &[&str] = &["none", "file", "course", "sequence"];
/// Keys a custom field may not take.
const RESERVED: &[&str] = &["email", "first_name", "last_name", "consent", "page_id", "variant", "key", "website"];

/// One field of a form, as stored in `forms.fields`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FieldDef {
    /// The name it is posted under and kept in the contact's fields.
    pub key: String,
    /// What the visitor reads (empty for the email and names: a translated default).
    #[serde(default)]
    pub label: String,
    /// `email` or one of [`KINDS`].
    pub kind: String,
    /// Whether it must be filled in (ticked, for a checkbox).
    #[serde(default)]
    pub required: bool,
    /// The choices of a `select`.
    #[serde(default)]
    pub options: Vec<String>,
}

/// A form as the editor shows and posts it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Draft {
    /// Its name in the admin.
    pub name: String,
    /// The fields after the email, in order.
    pub fields: Vec<FieldDef>,
    /// The consent checkbox's text (none when empty).
    pub consent_text: String,
    /// Whether it must be ticked.
    pub consent_required: bool,
    /// Whether a confirmation email must be clicked first.
    pub double_opt_in: bool,
    /// Tags put on whoever submits, comma-separated as typed.
    pub tags: String,
    /// `none`, `file`, `course` or `sequence`.
    pub magnet: String,
    /// The library file delivered.
    pub magnet_media_id: String,
    /// The free course delivered.
    pub magnet_course_id: String,
    /// The mini email course's name.
    pub magnet_sequence: String,
    /// The button's label.
    pub button_label: String,
    /// `page`, `url` or `none` (a thank-you message on the form's own page).
    pub after: String,
    /// The built page visitors go to.
    pub thank_you_page_id: String,
    /// Or a link.
    pub thank_you_url: String,
}

/// Messages beside fields, as Fluent keys.
pub type Problems = BTreeMap<String, String>;

fn slug_key(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').chars().take(40).collect()
}

fn valid_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && k.len() <= 40
        && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Draft {
    /// A new form: email, first name, no lead magnet.
    pub fn blank() -> Self {
        Self {
            fields: vec![FieldDef { key: "first_name".into(), kind: "first_name".into(), ..Default::default() }],
            magnet: "none".into(),
            after: "none".into(),
            ..Default::default()
        }
    }

    /// The editor's view of a stored form.
    pub fn of(form: &Form) -> Self {
        let fields: Vec<FieldDef> = serde_json::from_value(form.fields.clone()).unwrap_or_default();
        let m = &form.lead_magnet;
        let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        Self {
            name: form.name.clone(),
            fields: fields.into_iter().filter(|f| f.kind != "email").collect(),
            consent_text: form.consent_text.clone(),
            consent_required: form.consent_required,
            double_opt_in: form.double_opt_in,
            tags: form.tags.join(", "),
            magnet: m.get("kind").and_then(Value::as_str).unwrap_or("none").to_string(),
            magnet_media_id: s("media_id"),
            magnet_course_id: s("course_id"),
            magnet_sequence: s("name"),
            button_label: form.button_label.clone(),
            after: if form.thank_you_page_id.is_some() {
                "page".into()
            } else if form.thank_you_url.is_some() {
                "url".into()
            } else {
                "none".into()
            },
            thank_you_page_id: form.thank_you_page_id.map(|p| p.to_string()).unwrap_or_default(),
            thank_you_url: form.thank_you_url.clone().unwrap_or_default(),
        }
    }

    /// Reads the editor's post (field rows repeat `field_label`, `field_key`, `field_kind`,
    /// `field_state` — optional, required or remove —, `field_options` and `field_position`),
    /// with what is wrong keyed by input name.
    pub fn parse(pairs: &[(String, String)]) -> (Self, Problems) {
        let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
        let many =
            |k: &str| pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).collect::<Vec<_>>();
        let (labels, keys, kinds, states, options, positions) = (
            many("field_label"),
            many("field_key"),
            many("field_kind"),
            many("field_state"),
            many("field_options"),
            many("field_position"),
        );
        let mut rows: Vec<(f64, usize, FieldDef)> = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let label = labels.get(i).cloned().unwrap_or_default();
            let state = states.get(i).map(String::as_str).unwrap_or("optional");
            let named = matches!(kind.as_str(), "first_name" | "last_name");
            if state == "remove" || (!named && label.is_empty() && keys.get(i).is_none_or(|k| k.is_empty())) {
                continue;
            }
            let key = if named {
                kind.clone()
            } else {
                let k = keys.get(i).cloned().unwrap_or_default();
                if k.is_empty() { slug_key(&label) } else { k }
            };
            let opts = options
                .get(i)
                .map(|o| o.split([',', '\n']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            let pos = positions.get(i).and_then(|p| p.parse::<f64>().ok()).unwrap_or(i as f64 + 1.0);
            let f = FieldDef { key, label, kind: kind.clone(), required: state == "required", options: opts };
            rows.push((pos, i, f));
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let draft = Self {
            name: one("name"),
            fields: rows.into_iter().map(|r| r.2).collect(),
            consent_text: one("consent_text"),
            consent_required: !one("consent_required").is_empty(),
            double_opt_in: !one("double_opt_in").is_empty(),
            tags: one("tags"),
            magnet: Some(one("magnet")).filter(|m| MAGNETS.contains(&m.as_str())).unwrap_or_else(|| "none".into()),
            magnet_media_id: one("magnet_media_id"),
            magnet_course_id: one("magnet_course_id"),
            magnet_sequence: one("magnet_sequence"),
            button_label: one("button_label"),
            after: one("after"),
            thank_you_page_id: one("thank_you_page_id"),
            thank_you_url: one("thank_you_url"),
        };
        let problems = draft.problems();
        (draft, problems)
    }

    fn problems(&self) -> Problems {
        let mut p = Problems::new();
        let mut add = |k: String, v: &str| {
            p.entry(k).or_insert_with(|| v.to_string());
        };
        if self.name.is_empty() {
            add("name".into(), "forms-error-name");
        } else if self.name.chars().count() > 200 {
            add("name".into(), "forms-error-too-long");
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            if !KINDS.contains(&f.kind.as_str()) {
                add(format!("field_kind_{i}"), "forms-error-kind");
            }
            let custom = !matches!(f.kind.as_str(), "first_name" | "last_name");
            if custom && f.label.is_empty() {
                add(format!("field_label_{i}"), "forms-error-label");
            }
            if f.label.chars().count() > 200 {
                add(format!("field_label_{i}"), "forms-error-too-long");
            }
            if custom && (!valid_key(&f.key) || RESERVED.contains(&f.key.as_str())) {
                add(format!("field_key_{i}"), "forms-error-key");
            } else if seen.contains(&f.key.as_str()) {
                add(format!("field_key_{i}"), "forms-error-key-taken");
            }
            seen.push(&f.key);
            if f.kind == "select" && f.options.is_empty() {
                add(format!("field_options_{i}"), "forms-error-options");
            }
        }
        if self.fields.len() > 20 {
            add("fields".into(), "forms-error-too-many");
        }
        if self.consent_text.chars().count() > 1000 {
            add("consent_text".into(), "forms-error-too-long");
        }
        if self.consent_required && self.consent_text.is_empty() {
            add("consent_text".into(), "forms-error-consent-text");
        }
        if self.button_label.chars().count() > 60 {
            add("button_label".into(), "forms-error-too-long");
        }
        if self.tag_list().iter().any(|t| t.chars().count() > 60) {
            add("tags".into(), "forms-error-tag");
        }
        match self.magnet.as_str() {
            "file" if self.magnet_media_id.is_empty() => add("magnet_media_id".into(), "forms-error-magnet-file"),
            "course" if self.magnet_course_id.is_empty() => add("magnet_course_id".into(), "forms-error-magnet-course"),
            "sequence" if self.magnet_sequence.is_empty() || self.magnet_sequence.chars().count() > 120 => {
                add("magnet_sequence".into(), "forms-error-magnet-sequence")
            }
            _ => {}
        }
        match self.after.as_str() {
            "page" if self.thank_you_page_id.is_empty() => add("thank_you_page_id".into(), "forms-error-page"),
            "url"
                if !(self.thank_you_url.starts_with("https://") || self.thank_you_url.starts_with("http://"))
                    || self.thank_you_url.len() > 2000
                    || self.thank_you_url.contains(char::is_whitespace) =>
            {
                add("thank_you_url".into(), "forms-error-url")
            }
            _ => {}
        }
        p
    }

    /// Checks that the chosen file, course and page are the school's (and usable).
    pub async fn check_refs(&self, tx: &mut TenantTx, problems: &mut Problems) -> sqlx::Result<()> {
        if self.magnet == "file"
            && !self.magnet_media_id.is_empty()
            && !matches!(
                media::picker::chosen(tx, media::picker::PickKind::File, &self.magnet_media_id).await?,
                Ok(Some(_))
            )
        {
            problems.insert("magnet_media_id".into(), "forms-error-magnet-file".into());
        }
        if self.magnet == "course" && !self.magnet_course_id.is_empty() {
            let found = match self.magnet_course_id.parse() {
                Ok(id) => courses::store::course(tx, id).await?.is_some(),
                Err(_) => false,
            };
            if !found {
                problems.insert("magnet_course_id".into(), "forms-error-magnet-course".into());
            }
        }
        if self.after == "page" && !self.thank_you_page_id.is_empty() {
            let found = match self.thank_you_page_id.parse() {
                Ok(id) => crate::store::page(tx, id).await?.is_some_and(|p| p.published_version.is_some()),
                Err(_) => false,
            };
            if !found {
                problems.insert("thank_you_page_id".into(), "forms-error-page".into());
            }
        }
        Ok(())
    }

    /// The tags, trimmed, without duplicates.
    pub fn tag_list(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
                out.push(t.to_string());
            }
        }
        out
    }

    /// The stored fields: the email first, then the others.
    pub fn fields_json(&self) -> Value {
        let mut all =
            vec![FieldDef { key: "email".into(), kind: "email".into(), required: true, ..Default::default() }];
        all.extend(self.fields.iter().cloned());
        serde_json::to_value(all).unwrap_or_else(|_| json!([]))
    }

    /// The stored lead magnet.
    pub fn magnet_json(&self) -> Value {
        match self.magnet.as_str() {
            "file" => json!({ "kind": "file", "media_id": self.magnet_media_id }),
            "course" => json!({ "kind": "course", "course_id": self.magnet_course_id }),
            "sequence" => json!({ "kind": "sequence", "name": self.magnet_sequence }),
            _ => json!({ "kind": "none" }),
        }
    }
}

/// A stored form's fields (the email first), read leniently.
pub fn fields_of(form: &Form) -> Vec<FieldDef> {
    let mut fields: Vec<FieldDef> = serde_json::from_value(form.fields.clone()).unwrap_or_default();
    if fields.first().is_none_or(|f| f.kind != "email") {
        fields.retain(|f| f.kind != "email");
        fields.insert(0, FieldDef { key: "email".into(), kind: "email".into(), required: true, ..Default::default() });
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn rows_are_read_in_their_chosen_order_and_blank_rows_are_ignored() {
        let (d, p) = Draft::parse(&pairs(&[
            ("name", "Guide"),
            ("field_label", "Company"),
            ("field_key", ""),
            ("field_kind", "text"),
            ("field_state", "required"),
            ("field_options", ""),
            ("field_position", "2"),
            ("field_label", ""),
            ("field_key", ""),
            ("field_kind", "first_name"),
            ("field_state", "optional"),
            ("field_options", ""),
            ("field_position", "1"),
            ("field_label", ""),
            ("field_key", ""),
            ("field_kind", "text"),
            ("field_state", "optional"),
            ("field_options", ""),
            ("field_position", "3"),
        ]));
        assert!(p.is_empty(), "{p:?}");
        let keys: Vec<_> = d.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["first_name", "company"]);
        assert!(d.fields[1].required);
    }

    #[test]
    fn bad_keys_selects_without_options_and_links_are_refused() {
        let (_, p) = Draft::parse(&pairs(&[
            ("name", ""),
            ("field_label", "Plan"),
            ("field_key", "Email"),
            ("field_kind", "select"),
            ("field_state", "optional"),
            ("field_options", ""),
            ("field_position", "1"),
            ("after", "url"),
            ("thank_you_url", "javascript:alert(1)"),
        ]));
        for k in ["name", "field_key_0", "field_options_0", "thank_you_url"] {
            assert!(p.contains_key(k), "{k}: {p:?}");
        }
    }
}
