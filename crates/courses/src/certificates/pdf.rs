//! Draws a certificate as a one-page landscape A4 PDF with krilla: the school's logo and
//! colours, the student's name large, the course, date, hours, the signer with their signature,
//! the code and a QR code to the public verification page. Fonts are embedded (subset).

use krilla::{
    Document,
    color::rgb,
    geom::{PathBuilder, Rect, Size},
    image::Image,
    metadata::Metadata,
    page::PageSettings,
    paint::{Fill, Stroke},
    surface::Surface,
};
use qrcodegen::{QrCode, QrCodeEcc};

use super::{Layout, fonts::Weight, text::Line};

/// Landscape A4, in points.
const W: f32 = 842.0;
const H: f32 = 595.0;

/// An image as stored: its content type and bytes.
pub struct Picture {
    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`.
    pub content_type: String,
    /// The file.
    pub data: Vec<u8>,
}

/// The words printed around the facts, in the certificate's language.
pub struct Labels {
    /// "This certifies that".
    pub certifies: String,
    /// "has successfully completed".
    pub completed: String,
    /// "Date".
    pub date: String,
    /// "Length".
    pub hours: String,
    /// "Instructor".
    pub instructor: String,
    /// "Certificate ID".
    pub code: String,
    /// "Verify at".
    pub verify: String,
}

/// Everything one certificate shows.
pub struct Sheet {
    /// Layout chosen by the school.
    pub layout: Layout,
    /// Heading, e.g. "Certificate of completion".
    pub title: String,
    /// The school's name.
    pub school_name: String,
    /// The student's name.
    pub student_name: String,
    /// The course's title.
    pub course_title: String,
    /// The date, written out in the certificate's language.
    pub date: String,
    /// e.g. "4.5 hours", when shown.
    pub hours: Option<String>,
    /// Who signs: the template's signer, else the course's instructor.
    pub signer_name: String,
    /// The signer's title.
    pub signer_title: String,
    /// Signature image.
    pub signature: Option<Picture>,
    /// School logo.
    pub logo: Option<Picture>,
    /// Accent colour.
    pub accent: (u8, u8, u8),
    /// The code, e.g. `LYC-7K3M-9QX2`.
    pub code: String,
    /// The public verification page.
    pub verify_url: String,
    /// The words around the facts.
    pub labels: Labels,
    /// BCP 47 language of the labels.
    pub language: String,
}

const INK: (u8, u8, u8) = (24, 24, 27);
const MUTED: (u8, u8, u8) = (113, 113, 122);
const RULE: (u8, u8, u8) = (212, 212, 216);

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

fn frame(s: &mut Surface<'_>, inset: f32, width: f32, colour: (u8, u8, u8)) {
    let mut pb = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(inset, inset, W - 2.0 * inset, H - 2.0 * inset) {
        pb.push_rect(r);
    }
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        let (r, g, b) = colour;
        s.set_stroke(Some(Stroke { paint: rgb::Color::new(r, g, b).into(), width, ..Stroke::default() }));
        s.draw_path(&path);
        s.set_stroke(None);
    }
}

fn image(p: &Picture) -> Option<Image> {
    let data = p.data.clone().into();
    match p.content_type.as_str() {
        "image/png" => Image::from_png(data, true).ok(),
        "image/jpeg" => Image::from_jpeg(data, true).ok(),
        "image/gif" => Image::from_gif(data, true).ok(),
        "image/webp" => Image::from_webp(data, true).ok(),
        _ => None,
    }
}

/// Draws `p` fitted into a `max_w`×`max_h` box whose top centre is (`cx`, `top`).
fn picture(s: &mut Surface<'_>, p: &Picture, cx: f32, top: f32, max_w: f32, max_h: f32) -> bool {
    let Some(img) = image(p) else { return false };
    let (pw, ph) = img.size();
    if pw == 0 || ph == 0 {
        return false;
    }
    let scale = (max_w / pw as f32).min(max_h / ph as f32);
    let (w, h) = (pw as f32 * scale, ph as f32 * scale);
    let Some(size) = Size::from_wh(w, h) else { return false };
    s.push_transform(&krilla::geom::Transform::from_translate(cx - w / 2.0, top + (max_h - h)));
    s.draw_image(img, size);
    s.pop();
    true
}

fn qr(s: &mut Surface<'_>, url: &str, x: f32, y: f32, side: f32) {
    let Ok(code) = QrCode::encode_text(url, QrCodeEcc::Medium) else { return };
    let n = code.size();
    let m = side / n as f32;
    let mut pb = PathBuilder::new();
    for row in 0..n {
        for col in 0..n {
            if code.get_module(col, row)
                && let Some(r) = Rect::from_xywh(x + col as f32 * m, y + row as f32 * m, m + 0.02, m + 0.02)
            {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        fill(s, INK);
        s.draw_path(&path);
    }
}

/// Renders the certificate.
pub fn render(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} — {} — {}", sheet.title, sheet.student_name, sheet.course_title))
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
    doc.finish().map_err(|e| anyhow::anyhow!("the certificate PDF could not be written: {e:?}"))
}

fn draw(s: &mut Surface<'_>, sheet: &Sheet) -> anyhow::Result<()> {
    let accent = sheet.accent;
    // The content area and decoration differ by layout; the content is the same.
    let (x0, x1) = match sheet.layout {
        Layout::Classic => {
            rect(s, 0.0, 0.0, W, H, (253, 252, 248));
            frame(s, 18.0, 3.0, accent);
            frame(s, 27.0, 0.75, accent);
            (60.0, W - 60.0)
        }
        Layout::Modern => {
            rect(s, 0.0, 0.0, 210.0, H, accent);
            rect(s, 210.0, 0.0, 6.0, H, tint(accent));
            (250.0, W - 50.0)
        }
        Layout::Minimal => {
            rect(s, 0.0, 0.0, W, 10.0, accent);
            rect(s, 0.0, H - 10.0, W, 10.0, accent);
            (70.0, W - 70.0)
        }
    };
    let cx = (x0 + x1) / 2.0;
    let width = x1 - x0;
    let mut y = 62.0;

    // The logo, or the school's name in its place.
    let logo_drawn = match (&sheet.logo, sheet.layout) {
        (Some(logo), Layout::Modern) => {
            rect(s, 30.0, 40.0, 150.0, 72.0, (255, 255, 255));
            picture(s, logo, 105.0, 48.0, 134.0, 56.0)
        }
        (Some(logo), _) => picture(s, logo, cx, y, 170.0, 54.0),
        _ => false,
    };
    if sheet.layout == Layout::Modern {
        fill(s, on(accent));
        let school = Line::fit(&sheet.school_name, Weight::Bold, 15.0, 9.0, 160.0)?;
        school.draw_centered(s, 105.0, if logo_drawn { 136.0 } else { 80.0 });
    } else if !logo_drawn {
        fill(s, INK);
        Line::fit(&sheet.school_name, Weight::Bold, 18.0, 10.0, width)?.draw_centered(s, cx, y + 34.0);
    }
    y += if sheet.layout == Layout::Modern { 80.0 } else { 100.0 };

    fill(s, accent_text(accent));
    Line::fit(&sheet.title.to_uppercase(), Weight::Bold, 20.0, 12.0, width)?.draw_centered(s, cx, y);
    y += 44.0;
    fill(s, MUTED);
    Line::new(&sheet.labels.certifies, Weight::Regular, 13.0)?.draw_centered(s, cx, y);
    y += 58.0;
    fill(s, INK);
    Line::fit(&sheet.student_name, Weight::Bold, 42.0, 16.0, width)?.draw_centered(s, cx, y);
    y += 16.0;
    rect(s, cx - width.min(420.0) / 2.0, y, width.min(420.0), 1.0, RULE);
    y += 32.0;
    fill(s, MUTED);
    Line::new(&sheet.labels.completed, Weight::Regular, 13.0)?.draw_centered(s, cx, y);
    y += 36.0;
    fill(s, INK);
    Line::fit(&sheet.course_title, Weight::Bold, 24.0, 11.0, width)?.draw_centered(s, cx, y);

    // The bottom row: date and length | signature | QR and code.
    let base = H - 92.0;
    let col = width / 3.0;
    let (left, mid, right) = (x0 + col / 2.0, cx, x1 - col / 2.0);
    fill(s, MUTED);
    Line::new(&sheet.labels.date, Weight::Regular, 9.0)?.draw_centered(s, left, base - 14.0);
    fill(s, INK);
    Line::fit(&sheet.date, Weight::Bold, 13.0, 8.0, col - 10.0)?.draw_centered(s, left, base + 2.0);
    if let Some(hours) = &sheet.hours {
        fill(s, MUTED);
        Line::new(&sheet.labels.hours, Weight::Regular, 9.0)?.draw_centered(s, left, base + 26.0);
        fill(s, INK);
        Line::fit(hours, Weight::Bold, 13.0, 8.0, col - 10.0)?.draw_centered(s, left, base + 42.0);
    }

    if !sheet.signer_name.is_empty() {
        if let Some(sig) = &sheet.signature {
            picture(s, sig, mid, base - 48.0, 150.0, 44.0);
        }
        rect(s, mid - 85.0, base, 170.0, 0.75, RULE);
        fill(s, INK);
        Line::fit(&sheet.signer_name, Weight::Bold, 12.0, 8.0, col - 10.0)?.draw_centered(s, mid, base + 18.0);
        fill(s, MUTED);
        let title = if sheet.signer_title.is_empty() { &sheet.labels.instructor } else { &sheet.signer_title };
        Line::fit(title, Weight::Regular, 9.5, 7.0, col - 10.0)?.draw_centered(s, mid, base + 32.0);
    }

    let side = 64.0;
    qr(s, &sheet.verify_url, right - side / 2.0, base - 46.0, side);
    fill(s, MUTED);
    Line::new(&format!("{} {}", sheet.labels.code, sheet.code), Weight::Regular, 8.5)?.draw_centered(
        s,
        right,
        base + 32.0,
    );
    Line::fit(&format!("{} {}", sheet.labels.verify, sheet.verify_url), Weight::Regular, 7.0, 5.0, col)?.draw_centered(
        s,
        right,
        base + 44.0,
    );
    Ok(())
}

/// A lighter shade of a colour, for the modern layout's edge.
fn tint((r, g, b): (u8, u8, u8)) -> (u8, u8, u8) {
    let mix = |c: u8| (c as u16 + (255 - c as u16) * 2 / 5) as u8;
    (mix(r), mix(g), mix(b))
}

/// White or near-black, whichever reads on `bg`.
fn on(bg: (u8, u8, u8)) -> (u8, u8, u8) {
    if kernel::web::school::contrast(bg, (255, 255, 255)) >= 3.0 { (255, 255, 255) } else { INK }
}

/// The accent when it reads on white, else a dark ink (a pale brand colour stays legible).
fn accent_text(accent: (u8, u8, u8)) -> (u8, u8, u8) {
    if kernel::web::school::contrast(accent, (255, 255, 255)) >= 3.0 { accent } else { INK }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(layout: Layout, name: &str) -> Sheet {
        let label = |s: &str| s.to_string();
        Sheet {
            layout,
            title: "Certificate of completion".into(),
            school_name: "Acme Academy".into(),
            student_name: name.into(),
            course_title: "Light and Shadow".into(),
            date: "Nov 30, 2026".into(),
            hours: Some("4.5 hours".into()),
            signer_name: "Dr. Ada Lovelace".into(),
            signer_title: "Head of Studies".into(),
            signature: None,
            logo: None,
            accent: (14, 116, 144),
            code: "LYC-7K3M-9QX2".into(),
            verify_url: "https://acme.example/certificates/LYC-7K3M-9QX2".into(),
            labels: Labels {
                certifies: label("This certifies that"),
                completed: label("has successfully completed the course"),
                date: label("Date"),
                hours: label("Length"),
                instructor: label("Instructor"),
                code: label("Certificate ID"),
                verify: label("Verify at"),
            },
            language: "en".into(),
        }
    }

    #[test]
    fn every_layout_renders_and_embeds_only_the_glyphs_it_uses() {
        for layout in Layout::ALL {
            let pdf = render(&sheet(layout, "José Müller · Анна · Ελένη · محمد علي")).unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
            // Four fonts of 250-510 KB each, subset to a few KB.
            assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
            if let Some(dir) = std::env::var_os("LYCEUM_CERT_SAMPLES") {
                std::fs::write(std::path::Path::new(&dir).join(format!("{}.pdf", layout.as_str())), &pdf).unwrap();
            }
        }
    }
}
