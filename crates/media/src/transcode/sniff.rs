//! What a file really is, from its first bytes, whatever its name says.

use serde::{Deserialize, Serialize};

/// The kind of file found by [`sniff`].
///
/// Uploads are named by the person's computer, so `lecture.mp4` may be a PDF; this is what the bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detected {
    /// A PDF document.
    Pdf,
    /// A ZIP archive, which includes Office (docx, xlsx, pptx) and EPUB files.
    Zip,
    /// An older Office document (doc, xls, ppt), stored as an OLE compound file.
    OfficeLegacy,
    /// A RAR, 7-Zip or gzip archive.
    Archive,
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// A GIF image (possibly animated, but not something we transcode).
    Gif,
    /// A WebP image.
    Webp,
    /// A HEIC or AVIF photo (an ISO media file with an image brand).
    Heif,
    /// An MP4 or QuickTime (mov) video.
    Mp4,
    /// An MP4 file whose brand says audio only (`M4A `, `M4B `, `M4P `).
    M4a,
    /// A WebM video (Matroska with the `webm` doc type).
    Webm,
    /// A Matroska (mkv/mka) file.
    Matroska,
    /// An AVI video.
    Avi,
    /// An MPEG transport stream (ts, m2ts, mts).
    Mpegts,
    /// An MPEG program stream (mpg, vob).
    MpegPs,
    /// A Flash video.
    Flv,
    /// A Windows Media file (wmv, wma, asf).
    Asf,
    /// An MP3 file (ID3 tag or MPEG audio frame).
    Mp3,
    /// Raw AAC audio in ADTS frames.
    Aac,
    /// A WAV audio file.
    Wav,
    /// An AIFF audio file.
    Aiff,
    /// An Ogg file (Vorbis, Opus or Theora).
    Ogg,
    /// A FLAC audio file.
    Flac,
    /// A WebVTT subtitle file.
    WebVtt,
    /// Nothing we recognise; ffprobe gets the last word.
    Unknown,
}

/// Says what `head` (the first bytes of a file, at least 64 and ideally 512) is.
///
/// MPEG-TS is only recognised with confidence from 189 bytes on (two sync bytes); with fewer, the first
/// packet must be a PAT. Never panics, whatever the length.
pub fn sniff(head: &[u8]) -> Detected {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);

    if at(0, b"%PDF-") {
        Detected::Pdf
    } else if at(0, b"PK\x03\x04") || at(0, b"PK\x05\x06") || at(0, b"PK\x07\x08") {
        Detected::Zip
    } else if at(0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Detected::OfficeLegacy
    } else if at(0, b"Rar!\x1A\x07") || at(0, b"7z\xBC\xAF\x27\x1C") || at(0, b"\x1F\x8B") {
        Detected::Archive
    } else if at(0, b"\x89PNG\r\n\x1A\n") {
        Detected::Png
    } else if at(0, b"\xFF\xD8\xFF") {
        Detected::Jpeg
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Detected::Gif
    } else if at(0, b"RIFF") {
        riff(head)
    } else if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        Detected::Aiff
    } else if at(4, b"ftyp") {
        iso_brand(head.get(8..12).unwrap_or_default())
    } else if [b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"].iter().any(|b| at(4, *b)) {
        // Old QuickTime files start straight with a box other than `ftyp`.
        Detected::Mp4
    } else if at(0, b"\x1A\x45\xDF\xA3") {
        if head.windows(4).any(|w| w == b"webm") { Detected::Webm } else { Detected::Matroska }
    } else if at(0, b"\x00\x00\x01\xBA") {
        Detected::MpegPs
    } else if at(0, b"FLV\x01") {
        Detected::Flv
    } else if at(0, b"\x30\x26\xB2\x75\x8E\x66\xCF\x11") {
        Detected::Asf
    } else if at(0, b"OggS") {
        Detected::Ogg
    } else if at(0, b"fLaC") {
        Detected::Flac
    } else if text.starts_with(b"WEBVTT") && matches!(text.get(6), None | Some(b' ' | b'\t' | b'\n' | b'\r')) {
        Detected::WebVtt
    } else if is_mpegts(head) {
        Detected::Mpegts
    } else if at(0, b"ID3") || is_mpeg_audio_frame(head) {
        Detected::Mp3
    } else if is_adts(head) {
        Detected::Aac
    } else {
        Detected::Unknown
    }
}

fn riff(head: &[u8]) -> Detected {
    match head.get(8..12) {
        Some(b"WAVE") => Detected::Wav,
        Some(b"AVI ") => Detected::Avi,
        Some(b"WEBP") => Detected::Webp,
        _ => Detected::Unknown,
    }
}

fn iso_brand(brand: &[u8]) -> Detected {
    match brand {
        b"M4A " | b"M4B " | b"M4P " => Detected::M4a,
        b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" | b"avis" => Detected::Heif,
        _ => Detected::Mp4,
    }
}

fn is_mpegts(head: &[u8]) -> bool {
    const SYNC: u8 = 0x47;
    // Plain TS has 188-byte packets; Blu-ray/AVCHD m2ts puts a 4-byte timestamp before each.
    for (first, size) in [(0, 188), (4, 192)] {
        let sync_at = |n: usize| head.get(first + n * size) == Some(&SYNC);
        if head.len() > first + 2 * size {
            if sync_at(0) && sync_at(1) && sync_at(2) {
                return true;
            }
        } else if head.len() > first + size {
            if sync_at(0) && sync_at(1) {
                return true;
            }
        } else if sync_at(0) {
            // Too short to see a second packet: accept only a first packet carrying the PAT (PID 0).
            let pid_is_zero = head.get(first + 1).is_some_and(|b| b & 0x1F == 0) && head.get(first + 2) == Some(&0);
            if pid_is_zero {
                return true;
            }
        }
    }
    false
}

fn is_mpeg_audio_frame(head: &[u8]) -> bool {
    let [a, b, c, ..] = head else { return false };
    let layer = (b >> 1) & 0b11;
    let bitrate = c >> 4;
    let sample_rate = (c >> 2) & 0b11;
    let version = (b >> 3) & 0b11;
    *a == 0xFF && b & 0xE0 == 0xE0 && version != 0b01 && layer != 0 && bitrate != 0xF && sample_rate != 0b11
}

fn is_adts(head: &[u8]) -> bool {
    // 12 sync bits, then layer 00 (MPEG audio frames have a non-zero layer).
    matches!(head, [0xFF, b, ..] if b & 0xF6 == 0xF0)
}

impl Detected {
    /// Whether the container may hold audio or video, so ffprobe should look at it.
    pub fn is_media_candidate(self) -> bool {
        matches!(
            self,
            Detected::Mp4
                | Detected::M4a
                | Detected::Webm
                | Detected::Matroska
                | Detected::Avi
                | Detected::Mpegts
                | Detected::MpegPs
                | Detected::Flv
                | Detected::Asf
                | Detected::Mp3
                | Detected::Aac
                | Detected::Wav
                | Detected::Aiff
                | Detected::Ogg
                | Detected::Flac
        )
    }

    /// A stable identifier (`pdf`, `mp4`, `web-vtt`…), the same as the serde form; handy as a Fluent selector.
    pub fn as_str(self) -> &'static str {
        match self {
            Detected::Pdf => "pdf",
            Detected::Zip => "zip",
            Detected::OfficeLegacy => "office-legacy",
            Detected::Archive => "archive",
            Detected::Png => "png",
            Detected::Jpeg => "jpeg",
            Detected::Gif => "gif",
            Detected::Webp => "webp",
            Detected::Heif => "heif",
            Detected::Mp4 => "mp4",
            Detected::M4a => "m4a",
            Detected::Webm => "webm",
            Detected::Matroska => "matroska",
            Detected::Avi => "avi",
            Detected::Mpegts => "mpegts",
            Detected::MpegPs => "mpeg-ps",
            Detected::Flv => "flv",
            Detected::Asf => "asf",
            Detected::Mp3 => "mp3",
            Detected::Aac => "aac",
            Detected::Wav => "wav",
            Detected::Aiff => "aiff",
            Detected::Ogg => "ogg",
            Detected::Flac => "flac",
            Detected::WebVtt => "web-vtt",
            Detected::Unknown => "unknown",
        }
    }

    /// An English noun phrase for messages, e.g. "a PDF document" in "This file is a PDF document".
    pub fn noun(self) -> &'static str {
        match self {
            Detected::Pdf => "a PDF document",
            Detected::Zip => "a ZIP archive or Office document",
            Detected::OfficeLegacy => "an Office document",
            Detected::Archive => "a compressed archive",
            Detected::Png => "a PNG image",
            Detected::Jpeg => "a JPEG image",
            Detected::Gif => "a GIF image",
            Detected::Webp => "a WebP image",
            Detected::Heif => "a HEIC or AVIF photo",
            Detected::Mp4 => "an MP4 video",
            Detected::M4a => "an M4A audio file",
            Detected::Webm => "a WebM video",
            Detected::Matroska => "a Matroska (MKV) file",
            Detected::Avi => "an AVI video",
            Detected::Mpegts => "an MPEG transport stream",
            Detected::MpegPs => "an MPEG video",
            Detected::Flv => "a Flash video",
            Detected::Asf => "a Windows Media file",
            Detected::Mp3 => "an MP3 audio file",
            Detected::Aac => "an AAC audio file",
            Detected::Wav => "a WAV audio file",
            Detected::Aiff => "an AIFF audio file",
            Detected::Ogg => "an Ogg audio or video file",
            Detected::Flac => "a FLAC audio file",
            Detected::WebVtt => "a WebVTT subtitle file",
            Detected::Unknown => "a file of a type we don't recognise",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pads a magic prefix to 64 bytes, as a real head would be.
    fn head(prefix: &[u8]) -> Vec<u8> {
        let mut v = prefix.to_vec();
        v.resize(64.max(prefix.len()), 0x20);
        v
    }

    #[test]
    fn recognises_documents_and_images() {
        assert_eq!(sniff(&head(b"%PDF-1.4\n%\xE2\xE3")), Detected::Pdf);
        assert_eq!(sniff(&head(b"PK\x03\x04\x14\x00\x06\x00")), Detected::Zip);
        assert_eq!(sniff(&head(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")), Detected::OfficeLegacy);
        assert_eq!(sniff(&head(b"\x1F\x8B\x08\x00")), Detected::Archive);
        assert_eq!(sniff(&head(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR")), Detected::Png);
        assert_eq!(sniff(&head(b"\xFF\xD8\xFF\xE0\0\x10JFIF")), Detected::Jpeg);
        assert_eq!(sniff(&head(b"GIF89a")), Detected::Gif);
        assert_eq!(sniff(&head(b"RIFF\x24\0\0\0WEBPVP8 ")), Detected::Webp);
        assert_eq!(sniff(&head(b"\0\0\0\x18ftypheic\0\0\0\0")), Detected::Heif);
    }

    #[test]
    fn recognises_containers() {
        assert_eq!(sniff(&head(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41")), Detected::Mp4);
        assert_eq!(sniff(&head(b"\0\0\0\x14ftypqt  \0\0\x02\0")), Detected::Mp4);
        assert_eq!(sniff(&head(b"\0\0\0\x08wide\0\0\0\0mdat")), Detected::Mp4);
        assert_eq!(sniff(&head(b"\0\0\0\x1CftypM4A \0\0\x02\0")), Detected::M4a);
        assert_eq!(sniff(&head(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm")), Detected::Webm);
        assert_eq!(sniff(&head(b"\x1A\x45\xDF\xA3\xA3\x42\x86\x81\x01\x42\x82\x88matroska")), Detected::Matroska);
        assert_eq!(sniff(&head(b"RIFF\x24\0\0\0AVI LIST")), Detected::Avi);
        assert_eq!(sniff(&head(b"\0\0\x01\xBA\x44")), Detected::MpegPs);
        assert_eq!(sniff(&head(b"FLV\x01\x05")), Detected::Flv);
        assert_eq!(sniff(&head(b"\x30\x26\xB2\x75\x8E\x66\xCF\x11")), Detected::Asf);
    }

    #[test]
    fn recognises_mpegts_by_sync_bytes() {
        let mut ts = vec![0u8; 400];
        for offset in [0, 188, 376] {
            ts[offset] = 0x47;
        }
        ts[1] = 0x40;
        ts[2] = 0x11; // PID 0x11: not the PAT, so only the sync spacing can tell
        assert_eq!(sniff(&ts), Detected::Mpegts);
        // A lone 0x47 ('G') is text unless the first packet is a PAT.
        assert_eq!(sniff(&ts[..64]), Detected::Unknown);
        assert_eq!(sniff(&head(b"\x47\x40\x00\x10\x00")), Detected::Mpegts);
        assert_eq!(sniff(&head(b"Good morning, class")), Detected::Unknown);
        // Broken spacing is not TS.
        ts[188] = 0;
        assert_eq!(sniff(&ts), Detected::Unknown);

        let mut m2ts = vec![0u8; 400];
        for offset in [4, 196, 388] {
            m2ts[offset] = 0x47;
        }
        m2ts[5] = 0x11;
        assert_eq!(sniff(&m2ts), Detected::Mpegts);
    }

    #[test]
    fn recognises_audio() {
        assert_eq!(sniff(&head(b"ID3\x04\0\0\0\0\x01\x00")), Detected::Mp3);
        assert_eq!(sniff(&head(b"\xFF\xFB\x90\x64")), Detected::Mp3);
        assert_eq!(sniff(&head(b"\xFF\xF1\x50\x80")), Detected::Aac);
        assert_eq!(sniff(&head(b"RIFF\x24\0\0\0WAVEfmt ")), Detected::Wav);
        assert_eq!(sniff(&head(b"FORM\0\0\0\0AIFFCOMM")), Detected::Aiff);
        assert_eq!(sniff(&head(b"OggS\0\x02")), Detected::Ogg);
        assert_eq!(sniff(&head(b"fLaC\0\0\0\x22")), Detected::Flac);
        // A reserved bitrate index is not an MP3 frame.
        assert_eq!(sniff(&head(b"\xFF\xFB\xF0\x64")), Detected::Unknown);
    }

    #[test]
    fn recognises_webvtt_with_or_without_bom() {
        assert_eq!(sniff(&head(b"WEBVTT\n\n00:00.000 --> 00:01.000")), Detected::WebVtt);
        assert_eq!(sniff(&head(b"\xEF\xBB\xBFWEBVTT - Lecture 1\r\n")), Detected::WebVtt);
        assert_eq!(sniff(b"WEBVTT"), Detected::WebVtt);
        assert_eq!(sniff(&head(b"WEBVTTX")), Detected::Unknown);
    }

    #[test]
    fn short_or_empty_heads_do_not_panic() {
        for len in 0..16 {
            let _ = sniff(&[0xFF; 16][..len]);
            let _ = sniff(&[0x47; 16][..len]);
        }
        assert_eq!(sniff(b""), Detected::Unknown);
        assert_eq!(sniff(b"\0\0\0\x08ftyp"), Detected::Mp4);
    }

    #[test]
    fn media_candidates_and_names() {
        assert!(Detected::Mp4.is_media_candidate());
        assert!(Detected::Mp3.is_media_candidate());
        assert!(!Detected::Pdf.is_media_candidate());
        assert!(!Detected::Gif.is_media_candidate());
        assert!(!Detected::Unknown.is_media_candidate());
        assert_eq!(Detected::Pdf.noun(), "a PDF document");
        assert_eq!(serde_json::to_string(&Detected::WebVtt).unwrap(), format!("\"{}\"", Detected::WebVtt.as_str()));
    }
}
