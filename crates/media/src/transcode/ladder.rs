//! Which renditions to encode for a source, and the H.264 settings of each.

use serde::{Deserialize, Serialize};

/// Output frame rates stay at or below this: sources above it are halved (60 → 30, 50 → 25).
pub const MAX_FPS: f64 = 30.5;

/// The constant rate factor every rendition is encoded with; `maxrate`/`bufsize` cap the peaks.
pub const CRF: u8 = 23;

/// The H.264 profile of a rendition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Main: for the smallest rendition, which old and low-end devices pick.
    Main,
    /// High: better compression, played by every current browser and phone.
    High,
}

impl Profile {
    /// The name libx264 takes for `-profile:v`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Main => "main",
            Profile::High => "high",
        }
    }
}

/// One rung of the adaptive ladder: size, bitrate caps and codec settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    /// Folder and label, by the shorter side: `360p`, `540p`, `720p`, `1080p` (or e.g. `240p` for a small source).
    pub name: String,
    /// Output width in pixels (even).
    pub width: u32,
    /// Output height in pixels (even).
    pub height: u32,
    /// The peak video bitrate (`-maxrate`), in kbit/s.
    pub video_maxrate_kbps: u32,
    /// The rate-control buffer (`-bufsize`), in kbit/s.
    pub video_bufsize_kbps: u32,
    /// The AAC audio bitrate, in kbit/s.
    pub audio_kbps: u32,
    /// The H.264 profile.
    pub profile: Profile,
    /// The H.264 level as `level_idc` (31 means 3.1), the smallest that fits the size at 30 fps.
    pub level: u8,
}

impl Rendition {
    /// The `-level` value libx264 takes, e.g. `3.1`.
    pub fn level_str(&self) -> String {
        format!("{}.{}", self.level / 10, self.level % 10)
    }

    /// The RFC 6381 codec string of the video, e.g. `avc1.64001f`, as written in `CODECS`.
    pub fn video_codec(&self) -> String {
        match self.profile {
            Profile::Main => format!("avc1.4d40{:02x}", self.level),
            Profile::High => format!("avc1.6400{:02x}", self.level),
        }
    }
}

/// The rungs, by shorter side: (p, maxrate kbit/s, audio kbit/s).
const RUNGS: [(u32, u32, u32); 4] = [(360, 1_000, 96), (540, 1_800, 128), (720, 3_000, 128), (1080, 5_500, 128)];

/// The renditions to encode for a source of this displayed size.
///
/// Rungs are 360p, 540p, 720p and 1080p by the *shorter* side (so a 1080×1920 phone video gets the same four
/// as a 1920×1080 one), never above the source. A source smaller than 360p gets one rendition at its own size.
/// Widths follow the aspect ratio, rounded to even numbers. Empty only when a side is 0.
pub fn ladder(source_width: u32, source_height: u32) -> Vec<Rendition> {
    if source_width == 0 || source_height == 0 {
        return Vec::new();
    }
    let (short, long) = (source_width.min(source_height), source_width.max(source_height));
    let landscape = source_width >= source_height;
    let make = |p: u32, maxrate: u32, audio: u32| {
        let long_side = even(f64::from(long) * f64::from(p) / f64::from(short)).min((long & !1).max(2));
        let (width, height) = if landscape { (long_side, p) } else { (p, long_side) };
        let profile = if p <= 360 { Profile::Main } else { Profile::High };
        Rendition {
            name: format!("{p}p"),
            width,
            height,
            video_maxrate_kbps: maxrate,
            video_bufsize_kbps: maxrate * 2,
            audio_kbps: audio,
            profile,
            level: level_for(width, height, maxrate),
        }
    };
    let fitting: Vec<Rendition> =
        RUNGS.iter().filter(|(p, ..)| *p <= short).map(|&(p, maxrate, audio)| make(p, maxrate, audio)).collect();
    if !fitting.is_empty() {
        return fitting;
    }
    // Smaller than the lowest rung: keep its size, with a bitrate scaled down by area from 360p's.
    let p = (short & !1).max(2);
    let (_, base_rate, audio) = RUNGS[0];
    let maxrate = (f64::from(base_rate) * f64::from(p * p) / f64::from(360 * 360)).round() as u32;
    vec![make(p, maxrate.max(300), audio)]
}

/// Rounds to the nearest even number, at least 2 (H.264 with 4:2:0 needs even sizes).
fn even(x: f64) -> u32 {
    ((x / 2.0).round() as u32 * 2).max(2)
}

/// The smallest H.264 level (as `level_idc`) whose limits hold this size at 30 fps and this bitrate.
fn level_for(width: u32, height: u32, maxrate_kbps: u32) -> u8 {
    // (level_idc, max frame size in macroblocks, max macroblocks per second, max Main bitrate in kbit/s)
    const LEVELS: [(u8, u32, u32, u32); 8] = [
        (30, 1_620, 40_500, 10_000),
        (31, 3_600, 108_000, 14_000),
        (32, 5_120, 216_000, 20_000),
        (40, 8_192, 245_760, 20_000),
        (42, 8_704, 522_240, 50_000),
        (50, 22_080, 589_824, 135_000),
        (51, 36_864, 983_040, 240_000),
        (52, 36_864, 2_073_600, 240_000),
    ];
    let (mbs_w, mbs_h) = (width.div_ceil(16), height.div_ceil(16));
    let frame = mbs_w * mbs_h;
    let fits = |&&(_, max_fs, max_mbps, max_br): &&(u8, u32, u32, u32)| {
        // A side may not exceed sqrt(8 × max frame size) macroblocks.
        let max_side = f64::from(max_fs * 8).sqrt() as u32;
        frame <= max_fs && frame * 30 <= max_mbps && maxrate_kbps <= max_br && mbs_w.max(mbs_h) <= max_side
    };
    LEVELS.iter().find(fits).map_or(52, |l| l.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(renditions: &[Rendition]) -> Vec<(&str, u32, u32)> {
        renditions.iter().map(|r| (r.name.as_str(), r.width, r.height)).collect()
    }

    #[test]
    fn a_720p_source_stops_at_720p() {
        let l = ladder(1280, 720);
        assert_eq!(sizes(&l), [("360p", 640, 360), ("540p", 960, 540), ("720p", 1280, 720)]);
        assert_eq!(l.iter().map(|r| r.audio_kbps).collect::<Vec<_>>(), [96, 128, 128]);
    }

    #[test]
    fn full_hd_and_larger_get_four_rungs_capped_at_1080p() {
        let expected = [("360p", 640, 360), ("540p", 960, 540), ("720p", 1280, 720), ("1080p", 1920, 1080)];
        assert_eq!(sizes(&ladder(1920, 1080)), expected);
        assert_eq!(sizes(&ladder(3840, 2160)), expected);
    }

    #[test]
    fn portrait_video_is_laddered_by_its_shorter_side() {
        let l = ladder(1080, 1920);
        assert_eq!(sizes(&l), [("360p", 360, 640), ("540p", 540, 960), ("720p", 720, 1280), ("1080p", 1080, 1920)]);
    }

    #[test]
    fn a_small_source_gets_one_rendition_at_its_own_size() {
        let l = ladder(320, 240);
        assert_eq!(sizes(&l), [("240p", 320, 240)]);
        assert!(l[0].video_maxrate_kbps >= 300 && l[0].video_maxrate_kbps < 1_000);
        // Rounded down, so never upscaled.
        assert_eq!(sizes(&ladder(175, 143)), [("142p", 174, 142)]);
        assert_eq!(sizes(&ladder(1281, 720)).last(), Some(&("720p", 1280, 720)));
    }

    #[test]
    fn odd_aspect_ratios_round_to_even_sizes() {
        assert_eq!(sizes(&ladder(854, 480)), [("360p", 640, 360)]);
        assert_eq!(sizes(&ladder(1440, 1080)).last(), Some(&("1080p", 1440, 1080)));
        for r in ladder(1917, 1077) {
            assert_eq!((r.width % 2, r.height % 2), (0, 0), "{r:?}");
        }
    }

    #[test]
    fn bitrates_rise_with_size_and_buffer_is_twice_the_cap() {
        let l = ladder(1920, 1080);
        assert!(l.windows(2).all(|w| w[0].video_maxrate_kbps < w[1].video_maxrate_kbps));
        assert!(l.iter().all(|r| r.video_bufsize_kbps == 2 * r.video_maxrate_kbps));
    }

    #[test]
    fn levels_and_codec_strings_fit_the_size() {
        let l = ladder(1920, 1080);
        let codecs: Vec<String> = l.iter().map(Rendition::video_codec).collect();
        assert_eq!(codecs, ["avc1.4d401e", "avc1.64001f", "avc1.64001f", "avc1.640028"]);
        assert_eq!(l[3].level_str(), "4.0");
        // Ultra-wide 1080p has more macroblocks than level 4.0 allows.
        assert_eq!(ladder(2560, 1080).last().unwrap().level, 50);
    }

    #[test]
    fn no_size_means_no_rendition() {
        assert!(ladder(0, 720).is_empty());
        assert!(ladder(1280, 0).is_empty());
    }
}
