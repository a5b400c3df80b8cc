//! SubRip (`.srt`) to WebVTT, so creators can upload what transcription tools export.
//!
//! Sequence numbers are dropped, `,` becomes `.` in timestamps, a byte-order mark and CRLF line
//! ends are accepted, `<b>`, `<i>` and `<u>` are kept and other markup (`<font>`, `{\an8}`) is
//! removed. A paragraph without a number or time range continues the previous caption (some tools
//! leave blank lines inside a caption). Anything else is refused with the line it is on.

use std::fmt::Write;

/// Why an SRT file was refused; `line` counts from 1 as text editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SrtError {
    /// The line should have been a time range such as `00:00:01,000 --> 00:00:04,000`.
    Timing {
        /// Where.
        line: usize,
    },
    /// The caption on this line ends before it starts.
    Backwards {
        /// Where.
        line: usize,
    },
    /// The file starts with something that is neither a caption number nor a time range.
    NotSrt {
        /// Where.
        line: usize,
    },
    /// No caption in the whole file.
    NoCues,
}

/// Converts SRT text (already UTF-8) to a WebVTT document.
pub fn to_webvtt(text: &str) -> Result<String, SrtError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut cues: Vec<(String, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        // A paragraph: lines up to the next blank one.
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        let first = block[0].trim();
        let numbered = first.chars().all(|c| c.is_ascii_digit());
        let timing_at = if numbered { 1 } else { 0 };
        match block.get(timing_at) {
            Some(line) if numbered || line.contains("-->") => {
                let timing = timing(line, start + timing_at + 1)?;
                let text = block[timing_at + 1..].iter().map(|l| cue_text(l)).filter(|l| !l.is_empty()).collect();
                cues.push((timing, text));
            }
            None => return Err(SrtError::Timing { line: start + timing_at + 1 }),
            Some(_) => match cues.last_mut() {
                Some((_, text)) => text.extend(block.iter().map(|l| cue_text(l)).filter(|l| !l.is_empty())),
                None => return Err(SrtError::NotSrt { line: start + 1 }),
            },
        }
    }
    cues.retain(|(_, text)| !text.is_empty());
    if cues.is_empty() {
        return Err(SrtError::NoCues);
    }
    let mut out = String::from("WEBVTT\n");
    for (timing, text) in cues {
        let _ = write!(out, "\n{timing}\n{}\n", text.join("\n"));
    }
    Ok(out)
}

/// `00:00:01,000 --> 00:00:04,000` on line `at` (coordinates after it are dropped) as a WebVTT
/// timing line.
fn timing(line: &str, at: usize) -> Result<String, SrtError> {
    let parsed = line
        .split_once("-->")
        .and_then(|(from, rest)| Some((timestamp(from.trim())?, timestamp(rest.split_whitespace().next()?)?)));
    match parsed {
        None => Err(SrtError::Timing { line: at }),
        Some((from, to)) if to < from => Err(SrtError::Backwards { line: at }),
        Some((from, to)) => Ok(format!("{} --> {}", format_ms(from), format_ms(to))),
    }
}

/// Milliseconds from `HH:MM:SS,mmm` (a `.` is accepted too, as some tools write it).
fn timestamp(s: &str) -> Option<u64> {
    let (hms, ms) = s.split_once([',', '.'])?;
    let mut parts = hms.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())).then(|| p.parse::<u64>().ok()).flatten()
    };
    let (h, m, sec, ms) = (digits(h, 1..=3)?, digits(m, 2..=2)?, digits(sec, 2..=2)?, digits(ms, 3..=3)?);
    if parts.next().is_some() || m > 59 || sec > 59 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

fn format_ms(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    format!("{h:02}:{:02}:{:02}.{:03}", rest / 60_000, rest % 60_000 / 1000, rest % 1000)
}

/// One line of caption text as WebVTT cue text: `<b>`, `<i>`, `<u>` kept, other tags and
/// `{\…}` overrides removed, `&`, stray `<` and `-->` escaped (a cue may not contain `-->`).
fn cue_text(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line.trim_end();
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let tag = rest[1..end].trim().to_ascii_lowercase();
            if matches!(tag.as_str(), "b" | "i" | "u" | "/b" | "/i" | "/u") {
                let _ = write!(out, "<{tag}>");
            } else if !(tag.starts_with("font") || tag == "/font") {
                out.push_str("&lt;");
                rest = &rest[1..];
                continue;
            }
            rest = &rest[end + 1..];
            continue;
        }
        if c == '{'
            && rest.starts_with("{\\")
            && let Some(end) = rest.find('}')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if rest.starts_with("-->") {
            out.push_str("--&gt;");
            rest = &rest[3..];
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_srt_becomes_webvtt() {
        let srt = "1\n00:00:01,000 --> 00:00:04,250\nHello there\n\n2\n00:00:05,000 --> 00:01:02,003\nTwo\nlines\n";
        assert_eq!(
            to_webvtt(srt).unwrap(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.250\nHello there\n\n00:00:05.000 --> 00:01:02.003\nTwo\nlines\n"
        );
    }

    #[test]
    fn bom_crlf_extra_blank_lines_and_coordinates_are_accepted() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:02,000 X1:10 X2:20\r\nHi\r\n\r\n\r\n\r\n2\r\n00:00:03.000 --> 00:00:04.000\r\nBye\r\n";
        assert_eq!(
            to_webvtt(srt).unwrap(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\n00:00:03.000 --> 00:00:04.000\nBye\n"
        );
    }

    #[test]
    fn basic_tags_are_kept_and_the_rest_is_removed_or_escaped() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Quiet</i> <font color=\"#fff\">please</font> & 1 < 2 --> 3\n";
        assert_eq!(
            to_webvtt(srt).unwrap(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i>Quiet</i> please &amp; 1 &lt; 2 --&gt; 3\n"
        );
    }

    #[test]
    fn a_blank_line_inside_a_caption_continues_it_and_empty_cues_are_dropped() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst\n\nstill first\n\n2\n00:00:03,000 --> 00:00:04,000\n\n";
        assert_eq!(to_webvtt(srt).unwrap(), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst\nstill first\n");
    }

    #[test]
    fn malformed_files_are_refused_with_the_line() {
        let bad_time = "1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo millis\n";
        assert_eq!(to_webvtt(bad_time), Err(SrtError::Timing { line: 6 }));
        assert_eq!(to_webvtt("1\n00:00:01,000 --> 00:00:02,000\n\n2\n"), Err(SrtError::Timing { line: 5 }));
        assert_eq!(to_webvtt("1\n00:61:01,000 --> 00:00:02,000\nx\n"), Err(SrtError::Timing { line: 2 }));
        assert_eq!(to_webvtt("1\n00:00:05,000 --> 00:00:02,000\nx\n"), Err(SrtError::Backwards { line: 2 }));
        assert_eq!(to_webvtt("Dear diary,\ntoday\n"), Err(SrtError::NotSrt { line: 1 }));
        assert_eq!(to_webvtt("\n\n"), Err(SrtError::NoCues));
    }
}
