//! One line of text in any script: split into runs by the font each script needs, each run
//! shaped by rustybuzz (so Arabic joins and reads right to left), measured, then drawn.

use krilla::{
    geom::Point,
    surface::Surface,
    text::{Font, GlyphId, KrillaGlyph},
};
use rustybuzz::{Direction, UnicodeBuffer};

use super::fonts::{self, Face, Family, Weight};

/// A shaped run in one font.
struct Run {
    font: Font,
    text: String,
    glyphs: Vec<KrillaGlyph>,
    /// Width at size 1.
    advance: f32,
}

/// A shaped line, ready to measure and draw.
pub struct Line {
    runs: Vec<Run>,
    /// The size it is set in, in points.
    pub size: f32,
}

impl Line {
    /// Shapes `text` in `weight` at `size` points.
    pub fn new(text: &str, weight: Weight, size: f32) -> anyhow::Result<Self> {
        let pieces = split(text);
        let rtl = text.chars().find_map(fonts::family_of) == Some(Family::Arabic);
        let mut runs = Vec::with_capacity(pieces.len());
        for (family, piece) in pieces {
            runs.push(shape(fonts::font(family, weight)?, piece)?);
        }
        // A right-to-left paragraph lays its runs out from the right.
        if rtl {
            runs.reverse();
        }
        Ok(Self { runs, size })
    }

    /// Shapes `text` at `size`, smaller (down to `min`) until it is no wider than `max_width`.
    pub fn fit(text: &str, weight: Weight, size: f32, min: f32, max_width: f32) -> anyhow::Result<Self> {
        let mut line = Self::new(text, weight, size)?;
        let natural = line.width();
        if natural > max_width && natural > 0.0 {
            line.size = (size * max_width / natural).max(min);
        }
        Ok(line)
    }

    /// The width in points.
    pub fn width(&self) -> f32 {
        self.runs.iter().map(|r| r.advance).sum::<f32>() * self.size
    }

    /// Draws the line with its left end at `x` on the baseline `y`, in the current fill.
    pub fn draw(&self, surface: &mut Surface<'_>, x: f32, y: f32) {
        let mut at = x;
        for run in &self.runs {
            surface.draw_glyphs(Point::from_xy(at, y), &run.glyphs, run.font.clone(), &run.text, self.size, false);
            at += run.advance * self.size;
        }
    }

    /// Draws the line centred on `cx`.
    pub fn draw_centered(&self, surface: &mut Surface<'_>, cx: f32, y: f32) {
        self.draw(surface, cx - self.width() / 2.0, y);
    }
}

/// Splits text into runs that each need one family; neutral characters join the run they sit
/// in (or the next one, at the start).
fn split(text: &str) -> Vec<(Family, String)> {
    let mut runs: Vec<(Family, String)> = Vec::new();
    let mut pending = String::new();
    for c in text.chars() {
        match fonts::family_of(c) {
            None => match runs.last_mut() {
                Some((_, run)) => run.push(c),
                None => pending.push(c),
            },
            Some(family) => match runs.last_mut() {
                Some((current, run)) if *current == family => run.push(c),
                _ => {
                    let mut run = std::mem::take(&mut pending);
                    run.push(c);
                    runs.push((family, run));
                }
            },
        }
    }
    if !pending.is_empty() {
        runs.push((Family::Sans, pending));
    }
    runs
}

/// Shapes one run; glyphs come out in visual order, each mapped to the characters it shows so
/// that copying or extracting the text gives the characters back.
fn shape(Face { font, data }: Face, text: String) -> anyhow::Result<Run> {
    let face = rustybuzz::Face::from_slice(data.as_ref(), 0)
        .ok_or_else(|| anyhow::anyhow!("a certificate font could not be read"))?;
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(&text);
    buffer.guess_segment_properties();
    let dir = buffer.direction();
    let output = rustybuzz::shape(&face, &[], buffer);
    let upem = font.units_per_em();
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let mut glyphs = Vec::with_capacity(infos.len());
    let mut advance = 0.0;
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        // The cluster ends where the next different cluster in logical order starts.
        let next = if dir == Direction::RightToLeft {
            infos[..i].iter().rev().map(|g| g.cluster as usize).find(|&c| c != start)
        } else {
            infos[i + 1..].iter().map(|g| g.cluster as usize).find(|&c| c != start)
        };
        let end = next.unwrap_or(text.len());
        let x_advance = pos.x_advance as f32 / upem;
        advance += x_advance;
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(info.glyph_id),
            x_advance,
            pos.x_offset as f32 / upem,
            pos.y_offset as f32 / upem,
            pos.y_advance as f32 / upem,
            start..end,
            None,
        ));
    }
    Ok(Run { font, text, glyphs, advance })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_runs_by_script() {
        let runs = split("José Müller");
        assert_eq!(runs, vec![(Family::Sans, "José Müller".to_string())]);
        let runs = split("محمد علي (Ali)");
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], (Family::Arabic, "محمد علي (".to_string()));
        assert_eq!(runs[1].0, Family::Sans);
        assert_eq!(split("2026"), vec![(Family::Sans, "2026".to_string())]);
    }

    #[test]
    fn a_long_line_shrinks_to_fit() {
        let line = Line::fit(&"Ἀλέξανδρος ".repeat(4), Weight::Bold, 40.0, 12.0, 500.0).unwrap();
        assert!(line.width() <= 500.5, "{}", line.width());
        assert!(line.size < 40.0);
    }
}
