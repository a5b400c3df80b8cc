//! HLS playlists: reading what ffmpeg wrote, and writing the master playlist from measured bitrates.

use std::fmt::Write as _;
use std::path::Path;

use super::output::{IoContext, TranscodeError};

/// One segment of a variant playlist.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    /// Its `#EXTINF` duration in seconds.
    pub seconds: f64,
    /// Its URI, relative to the playlist.
    pub uri: String,
}

/// The segments of a media playlist, in order.
pub(crate) fn segments(playlist: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut pending: Option<f64> = None;
    for line in playlist.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            pending = rest.split(',').next().and_then(|d| d.trim().parse().ok());
        } else if !line.is_empty()
            && !line.starts_with('#')
            && let Some(seconds) = pending.take()
        {
            out.push(Segment { seconds, uri: line.to_owned() });
        }
    }
    out
}

/// Measured bitrates of one variant, in bit/s, as the master playlist states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bandwidth {
    /// The highest bitrate of any segment (`BANDWIDTH`).
    pub peak: u64,
    /// Total bits over total time (`AVERAGE-BANDWIDTH`).
    pub average: u64,
}

/// Reads `dir/index.m3u8` and the sizes of its segments.
pub(crate) async fn measure(dir: &Path) -> Result<Bandwidth, TranscodeError> {
    let index = dir.join("index.m3u8");
    let text = tokio::fs::read_to_string(&index).await.context(|| format!("reading {}", index.display()))?;
    let mut sized = Vec::new();
    for segment in segments(&text) {
        let path = dir.join(&segment.uri);
        let len = tokio::fs::metadata(&path).await.context(|| format!("reading {}", path.display()))?.len();
        sized.push((segment.seconds, len));
    }
    Ok(bandwidth(&sized))
}

/// Peak and average bitrate from (seconds, bytes) pairs. A final sliver of a segment (under a second) is left
/// out of the peak when there are others: its fixed overhead would make it look far denser than it plays.
fn bandwidth(segments: &[(f64, u64)]) -> Bandwidth {
    let rate = |seconds: f64, bytes: u64| if seconds > 0.0 { (bytes as f64 * 8.0 / seconds).ceil() as u64 } else { 0 };
    let full: Vec<_> = segments.iter().filter(|(s, _)| *s >= 1.0).collect();
    let for_peak = if full.is_empty() { segments.iter().collect() } else { full };
    let peak = for_peak.iter().map(|(s, b)| rate(*s, *b)).max().unwrap_or(0);
    let (seconds, bytes) = segments.iter().fold((0.0, 0), |(s, b), (ss, bb)| (s + ss, b + bb));
    Bandwidth { peak: peak.max(1), average: rate(seconds, bytes).max(1) }
}

/// One `#EXT-X-STREAM-INF` entry.
pub(crate) struct Variant {
    /// Relative URI of the variant playlist, e.g. `720p/index.m3u8`.
    pub uri: String,
    /// Measured bitrates.
    pub bandwidth: Bandwidth,
    /// Width × height, for video.
    pub resolution: Option<(u32, u32)>,
    /// Frames per second, for video, when known.
    pub frame_rate: Option<f64>,
    /// RFC 6381 codecs, e.g. `avc1.64001f,mp4a.40.2`.
    pub codecs: String,
}

/// The master playlist listing `variants`, lowest bitrate first.
pub(crate) fn master(variants: &[Variant]) -> String {
    let mut out = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for v in variants {
        let _ =
            write!(out, "#EXT-X-STREAM-INF:BANDWIDTH={},AVERAGE-BANDWIDTH={}", v.bandwidth.peak, v.bandwidth.average);
        if let Some((w, h)) = v.resolution {
            let _ = write!(out, ",RESOLUTION={w}x{h}");
        }
        if let Some(fps) = v.frame_rate {
            let _ = write!(out, ",FRAME-RATE={fps:.3}");
        }
        let _ = writeln!(out, ",CODECS=\"{}\"\n{}", v.codecs, v.uri);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_segments_with_their_durations() {
        let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-KEY:METHOD=AES-128,URI=\"../key\",IV=0x00\n\
                        #EXTINF:6.000000,\nseg-00000.ts\n#EXTINF:2.5,\nseg-00001.ts\n#EXT-X-ENDLIST\n";
        let segs = segments(playlist);
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[1].seconds, segs[1].uri.as_str()), (2.5, "seg-00001.ts"));
    }

    #[test]
    fn bandwidth_ignores_a_final_sliver_for_the_peak() {
        let bw = bandwidth(&[(6.0, 750_000), (6.0, 1_500_000), (0.1, 100_000)]);
        assert_eq!(bw.peak, 2_000_000);
        assert_eq!(bw.average, ((2_350_000.0 * 8.0) / 12.1_f64).ceil() as u64);
        assert_eq!(bandwidth(&[(0.5, 1_000)]).peak, 16_000);
    }

    #[test]
    fn master_lists_each_variant() {
        let variant = |uri: &str, res, codecs: &str| Variant {
            uri: uri.into(),
            bandwidth: Bandwidth { peak: 900_000, average: 600_000 },
            resolution: res,
            frame_rate: res.map(|_| 30.0),
            codecs: codecs.into(),
        };
        let text = master(&[
            variant("360p/index.m3u8", Some((640, 360)), "avc1.4d401e,mp4a.40.2"),
            variant("audio/index.m3u8", None, "mp4a.40.2"),
        ]);
        assert_eq!(
            text,
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n\
             #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=600000,RESOLUTION=640x360,FRAME-RATE=30.000,\
             CODECS=\"avc1.4d401e,mp4a.40.2\"\n360p/index.m3u8\n\
             #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=600000,CODECS=\"mp4a.40.2\"\naudio/index.m3u8\n"
        );
    }
}
