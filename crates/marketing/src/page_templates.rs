//! Ready-made pages a creator starts from. Each is a list of sections with real copy the
//! creator replaces; the school's brand colour and heading font come from the theme, so every
//! template looks like the school's own.

use serde_json::{Value, json};

use crate::sections::{Document, Section, Seo, blank};

/// A template in the "new page" gallery.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Template {
    /// Stored name and Fluent key suffix (`page-template-{name}`).
    pub name: &'static str,
    /// Its Lucide icon.
    pub icon: &'static str,
}

/// Every template, in the gallery's order.
pub const ALL: &[Template] = &[Template { name: "blank", icon: "file" }];

/// The template named `name`.
pub fn find(name: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.name == name)
}

/// A section of `kind` with `data` over its blank defaults.
pub fn section(kind: &str, data: Value) -> Section {
    let mut s = blank(kind).expect("a known section kind");
    if let Value::Object(m) = data {
        s.data.extend(m);
    }
    s
}

/// The sections a new page from `template` starts with; `title` is the page's name.
pub fn document(template: &str, title: &str) -> Document {
    let sections = match template {
        "blank" => vec![section("hero", json!({ "headline": title, "layout": "centered" }))],
        _ => vec![section("hero", json!({ "headline": title }))],
    };
    Document { sections, seo: Seo::default() }
}
