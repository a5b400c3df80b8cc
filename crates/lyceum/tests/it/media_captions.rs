//! Caption tracks: SRT converted to WebVTT on upload, languages from a list, named in the player,
//! and one track per language and label.

use reqwest::StatusCode;

use crate::{
    media_support::{add_captions, media_of, tone, upload},
    support::{Browser, PASSWORD, TestApp},
};

/// An owner's browser with one processed audio item (quicker to make than a video).
async fn with_audio(app: &TestApp) -> (Browser, media::Media) {
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &tone(2), "Talk.mp3", "audio/mpeg", None).await;
    app.run_jobs().await;
    let item = media_of(app, &s, &location).await;
    assert_eq!(item.status, "ready");
    (b, item)
}

/// The tracks the player is given on the item's page, as (label, language, src).
async fn tracks(b: &Browser, item: media::MediaId) -> Vec<(String, String, String)> {
    let (_, page) = b.page(&format!("/admin/media/{item}")).await;
    let start = page.find("data-captions='").expect("a player") + 15;
    let raw = &page[start..start + page[start..].find('\'').unwrap()];
    let json = raw.replace("&quot;", "\"").replace("&#x2f;", "/").replace("&#x27;", "'").replace("&amp;", "&");
    let tracks: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    tracks
        .iter()
        .map(|t| {
            (t["label"].as_str().unwrap().into(), t["lang"].as_str().unwrap().into(), t["src"].as_str().unwrap().into())
        })
        .collect()
}

#[tokio::test]
async fn an_srt_file_plays_as_webvtt_named_by_its_language() {
    let app = TestApp::new().await;
    let (owner, item) = with_audio(&app).await;
    let srt = "\u{feff}1\r\n00:00:00,500 --> 00:00:01,000\r\n<i>Hola</i>\r\n\r\n2\r\n00:00:01,200 --> 00:00:01,900\r\nAdiós\r\n";
    let page = add_captions(&owner, item.id, ("talk.srt", srt.as_bytes()), "es-419", "").await;
    assert!(page.contains("Spanish (Latin America) captions added."), "{page}");
    let tracks = tracks(&owner, item.id).await;
    assert_eq!(tracks.len(), 1);
    assert_eq!((tracks[0].0.as_str(), tracks[0].1.as_str()), ("Spanish (Latin America)", "es-419"));
    let res = owner.get(&tracks[0].2).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/vtt"));
    assert_eq!(
        res.text().await.unwrap(),
        "WEBVTT\n\n00:00:00.500 --> 00:00:01.000\n<i>Hola</i>\n\n00:00:01.200 --> 00:00:01.900\nAdiós\n"
    );
}

#[tokio::test]
async fn malformed_srt_and_unknown_languages_are_refused_with_the_reason() {
    let app = TestApp::new().await;
    let (owner, item) = with_audio(&app).await;
    let bad = b"1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n00:00:03 --> 00:00:04\nNo milliseconds\n";
    let page = add_captions(&owner, item.id, ("talk.srt", bad), "en", "").await;
    assert!(page.contains("That SRT file could not be read: line 6 should be a time range"), "{page}");
    let good = b"1\n00:00:01,000 --> 00:00:02,000\nOk\n";
    let page = add_captions(&owner, item.id, ("talk.srt", good), "English", "").await;
    assert!(page.contains("Choose the captions’ language from the list."), "{page}");
    // The form offers the list, named in the viewer's language.
    assert!(page.contains(r#"<option value="pt-BR">Portuguese (Brazil)</option>"#), "{page}");
    assert!(tracks(&owner, item.id).await.is_empty());
}

#[tokio::test]
async fn two_tracks_with_the_same_language_and_label_are_refused() {
    let app = TestApp::new().await;
    let (owner, item) = with_audio(&app).await;
    let vtt = ("en.vtt", &b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"[..]);
    assert!(add_captions(&owner, item.id, vtt, "en", "").await.contains("English captions added."));
    let page = add_captions(&owner, item.id, vtt, "en", "").await;
    assert!(page.contains("This item already has English captions."), "{page}");
    assert!(add_captions(&owner, item.id, vtt, "en", "SDH").await.contains("English · SDH captions added."));
    let page = add_captions(&owner, item.id, vtt, "en", "sdh").await;
    assert!(page.contains("This item already has English · sdh captions."), "{page}");
    let labels: Vec<String> = tracks(&owner, item.id).await.into_iter().map(|t| t.0).collect();
    assert_eq!(labels, ["English", "English · SDH"]);
}
