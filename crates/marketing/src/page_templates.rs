//! Ready-made pages a creator starts from. Each is a list of sections with real copy the
//! creator replaces; the school's brand colour and heading font come from the theme, so every
//! template looks like the school's own. Sections that show live data (a course's curriculum,
//! offers, an opt-in form) start without a reference and stay hidden until the creator picks one.

mod copy;

use serde_json::{Value, json};

use crate::sections::{Document, Section, Seo, blank};

use self::copy::*;

/// A template in the "new page" gallery.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Template {
    /// Stored name and Fluent key suffix (`page-template-{name}`, `page-template-{name}-lead`).
    pub name: &'static str,
    /// Its Lucide icon.
    pub icon: &'static str,
}

/// Every template, in the gallery's order.
pub const ALL: &[Template] = &[
    Template { name: "sales-page", icon: "shopping-bag" },
    Template { name: "webinar", icon: "video" },
    Template { name: "lead-magnet", icon: "gift" },
    Template { name: "thank-you", icon: "check-circle-2" },
    Template { name: "catalogue", icon: "graduation-cap" },
    Template { name: "coming-soon", icon: "hourglass" },
    Template { name: "blank", icon: "file" },
];

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
        "sales-page" => sales_page(title),
        "webinar" => webinar(title),
        "lead-magnet" => lead_magnet(title),
        "thank-you" => thank_you(title),
        "catalogue" => catalogue(title),
        "coming-soon" => coming_soon(title),
        _ => vec![section("hero", json!({ "headline": title, "layout": "centered", "background": "light" }))],
    };
    Document { sections, seo: Seo::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sections::clean;

    #[test]
    fn every_template_is_a_valid_document_with_the_title() {
        for t in ALL {
            let doc = document(t.name, "Watercolour for Beginners");
            let out = clean(&doc).unwrap_or_else(|p| panic!("{}: {p:?}", t.name));
            assert_eq!(out.sections.len(), doc.sections.len(), "{}", t.name);
            assert_eq!(out.sections[0].data["headline"], "Watercolour for Beginners", "{}", t.name);
        }
    }
}
