use super::*;
use crate::transcode::{HlsKey, probe, transcode_video};

#[tokio::test]
#[ignore]
async fn scratch_bench() {
    let input = PathBuf::from(std::env::var("SCRATCH_INPUT").unwrap());
    let out = PathBuf::from(std::env::var("SCRATCH_OUT").unwrap());
    let t = std::time::Instant::now();
    let probe = probe(&input).await.unwrap();
    eprintln!("probe {:?}: {probe:?}", t.elapsed());
    let t = std::time::Instant::now();
    let seen = std::sync::Mutex::new(Vec::new());
    let cb = |v: f32| seen.lock().unwrap().push((t.elapsed().as_secs_f32(), v));
    let r = transcode_video(&input, &out, &probe, &HlsKey::generate(), &cb).await.unwrap();
    eprintln!(
        "transcode {:?}: {} files, {} bytes, {:?}",
        t.elapsed(),
        r.files.len(),
        r.bytes,
        r.renditions.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
    eprintln!(
        "progress calls {}: first {:?} last {:?}",
        seen.lock().unwrap().len(),
        seen.lock().unwrap().first(),
        seen.lock().unwrap().last()
    );
}
