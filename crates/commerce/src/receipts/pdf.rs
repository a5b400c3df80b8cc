//! Draws a receipt or a credit note as a one-page portrait A4 PDF with krilla, in the fonts
//! certificates use (`courses::certificates::text`: Noto Sans embedded, Arabic and CJK chosen
//! per run, so any buyer's name prints). Everything on the page arrives as text already
//! formatted in the document's language; this file only places it. (Amounts credited carry an
//! ASCII hyphen: the embedded Noto Sans subset has no U+2212 minus sign.)

use courses::certificates::{fonts::Weight, text::Line};
use krilla::{
    Document,
    color::rgb,
    geom::{PathBuilder, Rect},
    metadata::Metadata,
    page::PageSettings,
    paint::Fill,
    surface::Surface,
};

/// Portrait A4, in points.
const W: f32 = 595.0;
const H: f32 = 842.0;
/// Left and right margins.
const X0: f32 = 48.0;
const X1: f32 = W - 48.0;

const INK: (u8, u8, u8) = (24, 24, 27);
const MUTED: (u8, u8, u8) = (113, 113, 122);
const RULE: (u8, u8, u8) = (228, 228, 231);

/// Everything one document shows, formatted.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// "Receipt" or "Credit note".
    pub title: String,
    /// `R-000001`.
    pub number: String,
    /// The school's name (the header).
    pub school_name: String,
    /// Label and value pairs: date, card, period, the receipt credited.
    pub meta: Vec<(String, String)>,
    /// "From".
    pub seller_heading: String,
    /// Legal name, address lines, tax id.
    pub seller: Vec<String>,
    /// "Billed to".
    pub buyer_heading: String,
    /// Name, email, address lines, country.
    pub buyer: Vec<String>,
    /// The table's column headings.
    pub columns: (String, String),
    /// What and how much.
    pub lines: Vec<(String, String)>,
    /// Label, amount, and whether it is the bold total.
    pub totals: Vec<(String, String, bool)>,
    /// Sentences under the totals.
    pub notes: Vec<String>,
    /// The school's address on the web.
    pub footer: String,
    /// The school's brand colour.
    pub accent: (u8, u8, u8),
    /// BCP 47 language.
    pub language: String,
}

fn fill(s: &mut Surface<'_>, (r, g, b): (u8, u8, u8)) {
    s.set_fill(Some(Fill { paint: rgb::Color::new(r, g, b).into(), ..Fill::default() }));
}

fn rect(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, colour: (u8, u8, u8)) {
    let mut pb = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        pb.push_rect(r);
    }
    if let Some(path) = pb.finish() {
        fill(s, colour);
        s.set_stroke(None);
        s.draw_path(&path);
    }
}

/// The accent when it reads on white, else ink (a pale brand colour would vanish).
fn accent_text(accent: (u8, u8, u8)) -> (u8, u8, u8) {
    if kernel::web::school::contrast(accent, (255, 255, 255)) >= 3.0 { accent } else { INK }
}

/// Draws `text` left-aligned at `x`, shrunk to `width` if needed.
fn left(s: &mut Surface<'_>, text: &str, weight: Weight, size: f32, x: f32, y: f32, width: f32) -> anyhow::Result<()> {
    Line::fit(text, weight, size, size * 0.7, width)?.draw(s, x, y);
    Ok(())
}

/// Draws `text` with its right end at `x`.
fn right(s: &mut Surface<'_>, text: &str, weight: Weight, size: f32, x: f32, y: f32, width: f32) -> anyhow::Result<()> {
    let line = Line::fit(text, weight, size, size * 0.7, width)?;
    line.draw(s, x - line.width(), y);
    Ok(())
}

/// A block: a small heading and lines under it; returns where it ends.
fn block(s: &mut Surface<'_>, heading: &str, lines: &[String], x: f32, y: f32, width: f32) -> anyhow::Result<f32> {
    fill(s, MUTED);
    left(s, &heading.to_uppercase(), Weight::Bold, 8.0, x, y, width)?;
    let mut y = y + 16.0;
    for (i, line) in lines.iter().enumerate() {
        fill(s, if i == 0 { INK } else { MUTED });
        left(s, line, if i == 0 { Weight::Bold } else { Weight::Regular }, 9.5, x, y, width)?;
        y += 13.5;
    }
    Ok(y)
}

/// Renders the document.
pub fn render(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} {} — {}", sheet.title, sheet.number, sheet.school_name))
            .authors(vec![sheet.school_name.clone()])
            .creator("Lyceum".into())
            .language(sheet.language.clone()),
    );
    let settings = PageSettings::from_wh(W, H).ok_or_else(|| anyhow::anyhow!("page size"))?;
    let mut page = doc.start_page_with(settings);
    let mut s = page.surface();
    draw(&mut s, sheet)?;
    s.finish();
    page.finish();
    doc.finish().map_err(|e| anyhow::anyhow!("the document PDF could not be written: {e:?}"))
}

fn draw(s: &mut Surface<'_>, sheet: &Sheet) -> anyhow::Result<()> {
    let width = X1 - X0;
    rect(s, 0.0, 0.0, W, 6.0, sheet.accent);

    // Header: the school on the left, the document's kind and number on the right.
    fill(s, INK);
    left(s, &sheet.school_name, Weight::Bold, 16.0, X0, 62.0, width * 0.55)?;
    fill(s, accent_text(sheet.accent));
    right(s, &sheet.title.to_uppercase(), Weight::Bold, 20.0, X1, 62.0, width * 0.4)?;
    fill(s, INK);
    right(s, &sheet.number, Weight::Bold, 11.0, X1, 80.0, width * 0.4)?;
    rect(s, X0, 98.0, width, 0.75, RULE);

    // Three columns: seller, buyer, details.
    let col = (width - 24.0) / 3.0;
    let top = 124.0;
    let a = block(s, &sheet.seller_heading, &sheet.seller, X0, top, col)?;
    let b = block(s, &sheet.buyer_heading, &sheet.buyer, X0 + col + 12.0, top, col)?;
    let mut c = top;
    let x = X0 + 2.0 * (col + 12.0);
    for (label, value) in &sheet.meta {
        fill(s, MUTED);
        left(s, &label.to_uppercase(), Weight::Bold, 8.0, x, c, col)?;
        fill(s, INK);
        left(s, value, Weight::Regular, 9.5, x, c + 13.0, col)?;
        c += 30.0;
    }
    let mut y = a.max(b).max(c) + 24.0;

    // The lines.
    rect(s, X0, y - 12.0, width, 24.0, (244, 244, 245));
    fill(s, MUTED);
    left(s, &sheet.columns.0.to_uppercase(), Weight::Bold, 8.0, X0 + 8.0, y + 3.0, width * 0.6)?;
    right(s, &sheet.columns.1.to_uppercase(), Weight::Bold, 8.0, X1 - 8.0, y + 3.0, width * 0.3)?;
    y += 32.0;
    for (what, amount) in &sheet.lines {
        fill(s, INK);
        left(s, what, Weight::Regular, 10.0, X0 + 8.0, y, width * 0.7)?;
        right(s, amount, Weight::Regular, 10.0, X1 - 8.0, y, width * 0.25)?;
        rect(s, X0, y + 10.0, width, 0.5, RULE);
        y += 26.0;
    }

    // Totals, right half.
    y += 8.0;
    let tx = X0 + width * 0.45;
    for (label, amount, strong) in &sheet.totals {
        if *strong {
            rect(s, tx, y - 13.0, X1 - tx, 0.75, INK);
            y += 4.0;
        }
        let (weight, size) = if *strong { (Weight::Bold, 12.0) } else { (Weight::Regular, 10.0) };
        fill(s, if *strong { INK } else { MUTED });
        left(s, label, weight, size, tx + 8.0, y, (X1 - tx) * 0.6)?;
        fill(s, INK);
        right(s, amount, weight, size, X1 - 8.0, y, (X1 - tx) * 0.38)?;
        y += if *strong { 24.0 } else { 20.0 };
    }

    // Notes, then the footer.
    y += 16.0;
    fill(s, MUTED);
    for note in &sheet.notes {
        left(s, note, Weight::Regular, 9.0, X0, y, width)?;
        y += 14.0;
    }
    rect(s, X0, H - 56.0, width, 0.75, RULE);
    let footer = if sheet.footer.is_empty() {
        sheet.school_name.clone()
    } else {
        format!("{} · {}", sheet.school_name, sheet.footer)
    };
    fill(s, MUTED);
    Line::fit(&footer, Weight::Regular, 8.5, 6.0, width)?.draw_centered(s, W / 2.0, H - 38.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_renders_as_a_pdf() {
        let sheet = Sheet {
            title: "Receipt".into(),
            number: "R-000001".into(),
            school_name: "Acme Academy".into(),
            meta: vec![("Date".into(), "Nov 30, 2026".into())],
            seller_heading: "From".into(),
            seller: vec!["Acme Ltd".into(), "1 Main St".into()],
            buyer_heading: "Billed to".into(),
            buyer: vec!["محمد علي".into(), "ana@example.com".into()],
            columns: ("Description".into(), "Amount".into()),
            lines: vec![("Watercolor".into(), "$199.00".into())],
            totals: vec![("Total".into(), "$199.00".into(), true)],
            notes: vec!["Thank you".into()],
            footer: "http://acme.localhost".into(),
            accent: (250, 250, 250),
            language: "en".into(),
        };
        let pdf = render(&sheet).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
