// Watch-time heartbeats: counts only real playback and reports it to the server.
//
// Between two `timeupdate` events the position moves by the time actually watched; that delta
// counts while the media plays (not paused, seeking or waiting for data) and the page is
// visible, clamped to [0, 2 × playbackRate] so a jump is never counted as watching.
// Every 15 s of it is POSTed as {"seconds", "position", "duration"}; what is left is flushed on
// pause, on end and when the page is hidden or left. A failed beat keeps its seconds.

import { csrfToken } from "../shared";

const BEAT_SECONDS = 15;
const FLUSH_MIN_SECONDS = 0.5;

/** What one heartbeat sends; also the `detail` of the `lyceum:heartbeat` event. */
export interface Beat {
  seconds: number;
  position: number;
  duration: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Starts counting for `media`; returns a function that flushes and stops. */
export function startHeartbeats(
  root: HTMLElement,
  media: HTMLMediaElement,
  url: string,
  fallbackDuration: number,
): () => void {
  let seconds = 0;
  let last = media.currentTime;
  let waiting = false;
  let sending = false;
  let flushAfterSend = false;

  const duration = () => (Number.isFinite(media.duration) && media.duration > 0 ? media.duration : fallbackDuration);

  async function send(keepalive: boolean): Promise<void> {
    if (sending && !keepalive) {
      flushAfterSend = true;
      return;
    }
    const beat: Beat = { seconds: round1(seconds), position: round1(media.currentTime), duration: round1(duration()) };
    seconds = 0;
    sending = true;
    try {
      const res = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify(beat),
      });
      if (!res.ok) throw new Error(`heartbeat answered ${res.status}`);
      root.dispatchEvent(new CustomEvent<Beat>("lyceum:heartbeat", { detail: beat, bubbles: true }));
    } catch {
      seconds += beat.seconds; // counted again with the next beat
    } finally {
      sending = false;
    }
    if (flushAfterSend) {
      flushAfterSend = false;
      if (seconds >= BEAT_SECONDS || (media.paused && seconds > FLUSH_MIN_SECONDS)) void send(false);
    }
  }

  const flush = (keepalive = false) => {
    if (seconds > FLUSH_MIN_SECONDS) void send(keepalive);
  };

  const onTime = () => {
    const now = media.currentTime;
    const counting =
      !media.paused && !media.seeking && !waiting && !media.ended && document.visibilityState === "visible";
    if (counting) {
      const delta = Math.min(Math.max(now - last, 0), 2 * (media.playbackRate || 1));
      seconds += delta;
      if (seconds >= BEAT_SECONDS) void send(false);
    }
    last = now;
  };
  const onWaiting = () => (waiting = true);
  const onPlaying = () => {
    waiting = false;
    last = media.currentTime;
  };
  const onSeeked = () => (last = media.currentTime);
  const onPause = () => flush();
  const onEnded = () => flush();
  const onHidden = () => {
    if (document.visibilityState === "hidden") flush(true);
    else last = media.currentTime;
  };
  const onPageHide = () => flush(true);

  media.addEventListener("timeupdate", onTime);
  media.addEventListener("waiting", onWaiting);
  media.addEventListener("playing", onPlaying);
  media.addEventListener("seeked", onSeeked);
  media.addEventListener("pause", onPause);
  media.addEventListener("ended", onEnded);
  document.addEventListener("visibilitychange", onHidden);
  window.addEventListener("pagehide", onPageHide);

  return () => {
    flush(true);
    media.removeEventListener("timeupdate", onTime);
    media.removeEventListener("waiting", onWaiting);
    media.removeEventListener("playing", onPlaying);
    media.removeEventListener("seeked", onSeeked);
    media.removeEventListener("pause", onPause);
    media.removeEventListener("ended", onEnded);
    document.removeEventListener("visibilitychange", onHidden);
    window.removeEventListener("pagehide", onPageHide);
  };
}
