//! Draws a payout statement as portrait A4 pages with krilla, in the fonts receipts and
//! certificates use (`courses::certificates::text`: Noto Sans embedded, Arabic and CJK chosen
//! per run). A statement can list many commissions, so the table runs onto as many pages as
//! it needs, its header repeated on each. Everything arrives formatted; this file only places it.

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

const W: f32 = 595.0;
const H: f32 = 842.0;
const X0: f32 = 48.0;
const X1: f32 = W - 48.0;
/// Where the table stops on a page, above the footer.
const BOTTOM: f32 = H - 80.0;
const ROW: f32 = 22.0;

const INK: (u8, u8, u8) = (24, 24, 27);
const MUTED: (u8, u8, u8) = (113, 113, 122);
const RULE: (u8, u8, u8) = (228, 228, 231);

/// The share of the table's width each column takes: date, order, offer, kind, basis, amount.
const SHARES: [f32; 6] = [0.14, 0.13, 0.27, 0.18, 0.13, 0.15];

/// Everything a statement shows, formatted.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// "Payout statement".
    pub title: String,
    /// `AS-000001`.
    pub number: String,
    /// The school's name (the header).
    pub school_name: String,
    /// Label and value pairs: date, method, transfer.
    pub meta: Vec<(String, String)>,
    /// "From".
    pub seller_heading: String,
    /// Legal name and address lines.
    pub seller: Vec<String>,
    /// "Paid to".
    pub payee_heading: String,
    /// Name, email, code.
    pub payee: Vec<String>,
    /// The six column headings.
    pub columns: [String; 6],
    /// "Commissions".
    pub earned_heading: String,
    /// The commissions settled.
    pub earned: Vec<[String; 6]>,
    /// "Clawbacks".
    pub clawbacks_heading: String,
    /// Refunds taken back from this payout.
    pub clawbacks: Vec<[String; 6]>,
    /// Label, amount, and whether it is the bold total.
    pub totals: Vec<(String, String, bool)>,
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

fn left(s: &mut Surface<'_>, text: &str, weight: Weight, size: f32, x: f32, y: f32, width: f32) -> anyhow::Result<()> {
    Line::fit(text, weight, size, size * 0.6, width)?.draw(s, x, y);
    Ok(())
}

fn right(s: &mut Surface<'_>, text: &str, weight: Weight, size: f32, x: f32, y: f32, width: f32) -> anyhow::Result<()> {
    let line = Line::fit(text, weight, size, size * 0.6, width)?;
    line.draw(s, x - line.width(), y);
    Ok(())
}

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

/// One table row; the last two columns (money) are right-aligned.
fn row(s: &mut Surface<'_>, cells: &[String; 6], weight: Weight, size: f32, y: f32) -> anyhow::Result<()> {
    let width = X1 - X0 - 16.0;
    let mut x = X0 + 8.0;
    for (i, (cell, share)) in cells.iter().zip(SHARES).enumerate() {
        let w = width * share - 6.0;
        if i >= 4 {
            right(s, cell, weight, size, x + width * share, y, w)?;
        } else {
            left(s, cell, weight, size, x, y, w)?;
        }
        x += width * share;
    }
    Ok(())
}

fn footer(s: &mut Surface<'_>, sheet: &Sheet, page: usize) -> anyhow::Result<()> {
    rect(s, X0, H - 56.0, X1 - X0, 0.75, RULE);
    let footer = if sheet.footer.is_empty() {
        sheet.school_name.clone()
    } else {
        format!("{} · {}", sheet.school_name, sheet.footer)
    };
    fill(s, MUTED);
    Line::fit(&footer, Weight::Regular, 8.5, 6.0, (X1 - X0) * 0.8)?.draw(s, X0, H - 38.0);
    right(s, &format!("{} · {page}", sheet.number), Weight::Regular, 8.5, X1, H - 38.0, (X1 - X0) * 0.2)
}

/// Renders the statement.
pub fn render(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} {} — {}", sheet.title, sheet.number, sheet.school_name))
            .authors(vec![sheet.school_name.clone()])
            .creator("Lyceum".into())
            .language(sheet.language.clone()),
    );
    // The rows in order, each section led by its heading (`None` cells mark a heading).
    let mut items: Vec<(Option<&[String; 6]>, &str)> = Vec::new();
    for (heading, rows) in [(&sheet.earned_heading, &sheet.earned), (&sheet.clawbacks_heading, &sheet.clawbacks)] {
        if !rows.is_empty() {
            items.push((None, heading));
            items.extend(rows.iter().map(|r| (Some(r), "")));
        }
    }
    let mut next = 0;
    let mut number = 1;
    loop {
        let settings = PageSettings::from_wh(W, H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        let mut y = if number == 1 { header(&mut s, sheet)? } else { 64.0 };
        y = table_head(&mut s, sheet, y)?;
        while next < items.len() && y + ROW < BOTTOM {
            match items[next] {
                (None, heading) => {
                    fill(&mut s, MUTED);
                    left(&mut s, &heading.to_uppercase(), Weight::Bold, 8.0, X0 + 8.0, y, X1 - X0)?;
                }
                (Some(cells), _) => {
                    fill(&mut s, INK);
                    row(&mut s, cells, Weight::Regular, 9.0, y)?;
                    rect(&mut s, X0, y + 8.0, X1 - X0, 0.5, RULE);
                }
            }
            y += ROW;
            next += 1;
        }
        let done = next >= items.len() && y + 24.0 * sheet.totals.len() as f32 + 16.0 < BOTTOM;
        if done {
            totals(&mut s, sheet, y + 8.0)?;
        }
        footer(&mut s, sheet, number)?;
        s.finish();
        page.finish();
        if done {
            break;
        }
        number += 1;
    }
    doc.finish().map_err(|e| anyhow::anyhow!("the statement PDF could not be written: {e:?}"))
}

fn header(s: &mut Surface<'_>, sheet: &Sheet) -> anyhow::Result<f32> {
    let width = X1 - X0;
    rect(s, 0.0, 0.0, W, 6.0, sheet.accent);
    fill(s, INK);
    left(s, &sheet.school_name, Weight::Bold, 16.0, X0, 62.0, width * 0.5)?;
    let accent = if kernel::web::school::contrast(sheet.accent, (255, 255, 255)) >= 3.0 { sheet.accent } else { INK };
    fill(s, accent);
    right(s, &sheet.title.to_uppercase(), Weight::Bold, 18.0, X1, 62.0, width * 0.45)?;
    fill(s, INK);
    right(s, &sheet.number, Weight::Bold, 11.0, X1, 80.0, width * 0.4)?;
    rect(s, X0, 98.0, width, 0.75, RULE);
    let col = (width - 24.0) / 3.0;
    let top = 124.0;
    let a = block(s, &sheet.seller_heading, &sheet.seller, X0, top, col)?;
    let b = block(s, &sheet.payee_heading, &sheet.payee, X0 + col + 12.0, top, col)?;
    let mut c = top;
    let x = X0 + 2.0 * (col + 12.0);
    for (label, value) in &sheet.meta {
        fill(s, MUTED);
        left(s, &label.to_uppercase(), Weight::Bold, 8.0, x, c, col)?;
        fill(s, INK);
        left(s, value, Weight::Regular, 9.5, x, c + 13.0, col)?;
        c += 30.0;
    }
    Ok(a.max(b).max(c) + 24.0)
}

fn table_head(s: &mut Surface<'_>, sheet: &Sheet, y: f32) -> anyhow::Result<f32> {
    rect(s, X0, y - 12.0, X1 - X0, 24.0, (244, 244, 245));
    fill(s, MUTED);
    let upper = sheet.columns.clone().map(|c| c.to_uppercase());
    row(s, &upper, Weight::Bold, 7.5, y + 3.0)?;
    Ok(y + 32.0)
}

fn totals(s: &mut Surface<'_>, sheet: &Sheet, mut y: f32) -> anyhow::Result<()> {
    let tx = X0 + (X1 - X0) * 0.5;
    for (label, amount, strong) in &sheet.totals {
        if *strong {
            rect(s, tx, y - 13.0, X1 - tx, 0.75, INK);
            y += 4.0;
        }
        let (weight, size) = if *strong { (Weight::Bold, 12.0) } else { (Weight::Regular, 10.0) };
        fill(s, if *strong { INK } else { MUTED });
        left(s, label, weight, size, tx + 8.0, y, (X1 - tx) * 0.55)?;
        fill(s, INK);
        right(s, amount, weight, size, X1 - 8.0, y, (X1 - tx) * 0.4)?;
        y += if *strong { 24.0 } else { 20.0 };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(i: usize) -> [String; 6] {
        [
            "Dec 1, 2026".into(),
            format!("#{i:08}"),
            "Watercolor".into(),
            "Sale (30 %)".into(),
            "$100.00".into(),
            "$30.00".into(),
        ]
    }

    #[test]
    fn a_long_statement_runs_onto_more_pages() {
        let sheet = Sheet {
            title: "Payout statement".into(),
            number: "AS-000001".into(),
            school_name: "Acme Academy".into(),
            meta: vec![("Date".into(), "Dec 1, 2026".into())],
            seller_heading: "From".into(),
            seller: vec!["Acme Ltd".into()],
            payee_heading: "Paid to".into(),
            payee: vec!["محمد علي".into(), "ana@example.com".into()],
            columns: ["Date", "Order", "Offer", "Kind", "Basis", "Amount"].map(String::from),
            earned_heading: "Commissions".into(),
            earned: (0..80).map(line).collect(),
            clawbacks_heading: "Clawbacks".into(),
            clawbacks: vec![line(99)],
            totals: vec![("Total".into(), "$2,400.00".into(), true)],
            footer: "http://acme.localhost".into(),
            accent: (79, 70, 229),
            language: "en".into(),
        };
        let pdf = render(&sheet).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let short = render(&Sheet { earned: vec![line(1)], clawbacks: vec![], ..sheet }).unwrap();
        assert!(pdf.len() > short.len());
    }
}
