// The video and audio player island (bundle player.js) for [data-player].
//
//   data-kind            "video" (default) or "audio" (a compact bar: no picture, quality,
//                        captions or full screen)
//   data-src             HLS master playlist, with the playback token as a path segment
//   data-token-url       GET → {"src", "base", "expires_in"}: a fresh token (player/token.ts)
//   data-heartbeat-url   POST target of the watch-time heartbeats (player/heartbeat.ts)
//   data-resume          seconds to start at (used when > 5 s and < duration − 10 s)
//   data-duration        the media's length in seconds, shown before the metadata loads
//   data-poster          poster image (video)
//   data-thumbnails      thumbnails VTT for seek previews (player/thumbnails.ts)
//   data-captions        JSON [{"label", "lang", "src", "default"}]: subtitles (player/captions.ts)
//   data-labels          JSON of the visible words (player/view.ts, LABELS)
//
// For tests and the page: data-state ("loading", "ready", "playing", "paused", "ended",
// "error") and data-level (height of the level playing) on the root, and a `lyceum:heartbeat`
// event (detail: the JSON sent) after each heartbeat the server accepted.

import * as icons from "./icons";
import { Captions, readCaptions } from "./player/captions";
import { createEngine, type Engine, type Level } from "./player/engine";
import { canFullscreen, isFullscreen, onFullscreenChange, toggleFullscreen } from "./player/fullscreen";
import { startHeartbeats } from "./player/heartbeat";
import { handleShortcut } from "./player/keys";
import { PlayerMenu, type MenuItem } from "./player/menu";
import { Thumbnails } from "./player/thumbnails";
import { PlaybackToken } from "./player/token";
import { buildView, LABELS, setButton } from "./player/view";
import { autoMount, fill, formatClock, h, liveRegion, locale, readLabels, store, stored, type Island } from "./shared";

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const IDLE_MS = 2500;
const NOTICE_MS = 4000;
const STORE_SPEED = "lyceum.player.speed";
const STORE_VOLUME = "lyceum.player.volume";

type State = "loading" | "ready" | "playing" | "paused" | "ended" | "error";

function mountPlayer(root: HTMLElement): Island {
  const labels = readLabels(root, LABELS);
  const isVideo = root.dataset.kind !== "audio";
  const media =
    root.querySelector<HTMLMediaElement>("video, audio") ??
    root.appendChild(document.createElement(isVideo ? "video" : "audio"));
  media.controls = false;
  media.setAttribute("playsinline", "");
  if (!media.getAttribute("preload")) media.preload = "metadata";
  if (media instanceof HTMLVideoElement && root.dataset.poster && !media.getAttribute("poster"))
    media.poster = root.dataset.poster;

  const fallbackDuration = Number(root.dataset.duration) || 0;
  const resume = Number(root.dataset.resume) || 0;
  const resumeAt = resume > 5 && (!fallbackDuration || resume < fallbackDuration - 10) ? resume : 0;
  const token = new PlaybackToken(root.dataset.src || "", root.dataset.tokenUrl || "");
  const thumbs =
    root.dataset.thumbnails && isVideo ? new Thumbnails(root.dataset.thumbnails, (u) => token.rewrite(u)) : null;
  const numberFormat = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 });
  const duration = () => (Number.isFinite(media.duration) && media.duration > 0 ? media.duration : fallbackDuration);

  if (!root.hasAttribute("tabindex")) root.tabIndex = 0;
  root.classList.add("player");
  const menu = new PlayerMenu(root, (open) => {
    root.classList.toggle("is-menu-open", open);
    wake();
  });
  const v = buildView(root, isVideo, labels, menu.el);
  const say = liveRegion(root);
  const captions = new Captions(
    media,
    v.captionBox,
    isVideo ? readCaptions(root) : [],
    (u) => token.rewrite(u),
    (on) => v.ccBtn.classList.toggle("is-on", on),
  );
  v.ccBtn.hidden = captions.count === 0;
  v.qualityBtn.hidden = true; // until the levels are known
  const fullscreenOk = isVideo && canFullscreen(root, media);
  v.fsBtn.hidden = !fullscreenOk;

  // -------------------------------------------------------------------------------------------
  // State shown on the root and in the controls

  let state: State = "loading";
  let started = false;
  let scrubbing = false;
  let destroyed = false;
  const setState = (next: State) => {
    if (state === "error") return;
    state = next;
    root.dataset.state = next;
    root.classList.toggle("is-paused", next !== "playing");
    if (next !== "playing") wake();
  };
  root.dataset.state = "loading";
  root.classList.add("is-paused");

  function updatePlay(): void {
    const playing = !media.paused && !media.ended;
    setButton(v.playBtn, playing ? icons.pause : icons.play, playing ? labels.pause : labels.play);
  }

  function updateTime(): void {
    const d = duration();
    const t = scrubbing ? Number(v.range.value) : media.currentTime;
    if (!scrubbing) {
      v.range.max = String(d || 0);
      v.range.value = String(Math.min(t, d || 0));
    }
    const text = `${formatClock(t)} / ${formatClock(d)}`;
    v.played.style.width = `${d > 0 ? Math.min(100, (t / d) * 100) : 0}%`;
    v.time.textContent = text;
    v.length.textContent = t > 0.5 ? text : formatClock(d);
    v.range.setAttribute("aria-valuetext", text);
  }

  function updateBuffered(): void {
    const d = duration();
    const b = media.buffered;
    let end = 0;
    for (let i = 0; i < b.length; i++) {
      if (b.start(i) <= media.currentTime + 0.5 && b.end(i) > end) end = b.end(i);
    }
    v.buffered.style.width = `${d > 0 ? Math.min(100, (end / d) * 100) : 0}%`;
  }

  function updateVolume(): void {
    const silent = media.muted || media.volume === 0;
    const svg = silent ? icons.volumeX : media.volume < 0.5 ? icons.volume1 : icons.volume2;
    setButton(v.muteBtn, svg, silent ? labels.unmute : labels.mute);
    v.volume.value = String(media.muted ? 0 : media.volume);
  }

  function updateSpeed(): void {
    const text = `${numberFormat.format(media.playbackRate)}×`;
    v.speedBtn.textContent = text;
    v.speedBtn.setAttribute("aria-label", `${labels.speed}: ${text}`);
    v.speedBtn.title = labels.speed;
  }

  let noticeTimer = 0;
  function showNotice(text: string): void {
    v.notice.textContent = text;
    v.notice.hidden = false;
    say(text);
    window.clearTimeout(noticeTimer);
    noticeTimer = window.setTimeout(() => (v.notice.hidden = true), NOTICE_MS);
  }

  function fail(): void {
    if (state === "error") return;
    setState("error");
    const message = h("p", "");
    message.textContent = labels.error;
    v.errorBox.innerHTML = icons.icon(icons.circleAlert);
    v.errorBox.append(message);
    v.errorBox.hidden = false;
    media.pause();
  }

  // -------------------------------------------------------------------------------------------
  // Controls that hide while a video plays

  let idleTimer = 0;
  function wake(): void {
    root.classList.remove("is-idle");
    window.clearTimeout(idleTimer);
    if (isVideo && state === "playing" && !menu.isOpen() && !scrubbing) {
      idleTimer = window.setTimeout(() => {
        // Not while the keyboard is in the buttons (the seek bar is fine: it is the timeline).
        if (!v.controls.contains(document.activeElement) || document.activeElement === v.range)
          root.classList.add("is-idle");
      }, IDLE_MS);
    }
  }
  root.addEventListener("pointermove", wake);
  root.addEventListener("focusin", wake);
  root.addEventListener("pointerleave", (e) => {
    if (!isVideo || e.pointerType !== "mouse" || state !== "playing" || menu.isOpen() || scrubbing) return;
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(() => root.classList.add("is-idle"), 600);
  });

  // -------------------------------------------------------------------------------------------
  // Playing, seeking, volume, speed

  function togglePlay(): void {
    if (state === "error") return;
    if (media.paused || media.ended) void media.play().catch(() => {});
    else media.pause();
  }

  function seekTo(t: number): void {
    const d = duration();
    media.currentTime = Math.max(0, d > 0 ? Math.min(t, d - 0.1) : t);
    updateTime();
    wake();
  }

  function setVolume(value: number): void {
    media.volume = Math.min(1, Math.max(0, value));
    media.muted = media.volume === 0;
    store(STORE_VOLUME, String(media.volume));
  }

  function toggleMute(): void {
    if (media.muted || media.volume === 0) {
      if (media.volume === 0) media.volume = 1;
      media.muted = false;
    } else media.muted = true;
  }

  function setSpeed(rate: number): void {
    media.playbackRate = rate;
    media.defaultPlaybackRate = rate; // kept when a new source loads
    store(STORE_SPEED, String(rate));
  }

  function stepSpeed(direction: number): void {
    const i = SPEEDS.findIndex((s) => s >= media.playbackRate - 0.001);
    setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.length - 1 : i) + direction))]);
    showNotice(`${labels.speed}: ${numberFormat.format(media.playbackRate)}×`);
  }

  const fullscreen = () => fullscreenOk && toggleFullscreen(root, media);

  const savedSpeed = Number(stored(STORE_SPEED));
  if (SPEEDS.includes(savedSpeed)) setSpeed(savedSpeed);
  const savedVolume = Number(stored(STORE_VOLUME) ?? NaN);
  if (Number.isFinite(savedVolume) && savedVolume > 0 && savedVolume <= 1) media.volume = savedVolume;

  v.playBtn.addEventListener("click", togglePlay);
  v.bigPlay.addEventListener("click", togglePlay);
  v.muteBtn.addEventListener("click", toggleMute);
  v.volume.addEventListener("input", () => setVolume(Number(v.volume.value)));
  v.fsBtn.addEventListener("click", fullscreen);
  const stopFullscreen = onFullscreenChange(() => {
    const on = isFullscreen(root);
    root.classList.toggle("is-fullscreen", on);
    setButton(v.fsBtn, on ? icons.minimize : icons.maximize, on ? labels.exit_fullscreen : labels.fullscreen);
  });

  // A click on the picture plays or pauses (a tap first brings hidden controls back); a double
  // click goes full screen.
  let lastPointer = "mouse";
  media.addEventListener("pointerdown", (e) => (lastPointer = e.pointerType));
  media.addEventListener("click", () => {
    root.focus({ preventScroll: true });
    if (lastPointer !== "mouse" && root.classList.contains("is-idle")) return wake();
    togglePlay();
  });
  media.addEventListener("dblclick", fullscreen);

  // -------------------------------------------------------------------------------------------
  // Seek bar: the range input takes the pointer and the keyboard; a preview follows the pointer.

  v.range.addEventListener("pointerdown", () => {
    scrubbing = true;
    wake();
  });
  v.range.addEventListener("input", () => {
    if (!scrubbing) return seekTo(Number(v.range.value)); // Home, End, PageUp, PageDown
    updateTime();
    showPreview(Number(v.range.value));
  });
  const endScrub = () => {
    if (!scrubbing) return;
    scrubbing = false;
    seekTo(Number(v.range.value));
    hidePreview();
  };
  v.range.addEventListener("change", endScrub);
  v.range.addEventListener("pointerup", endScrub);
  v.range.addEventListener("pointercancel", endScrub);
  v.seek.addEventListener("pointerenter", () => void thumbs?.load());
  v.seek.addEventListener("pointermove", (e) => {
    if (e.pointerType !== "mouse" || scrubbing) return;
    const box = v.range.getBoundingClientRect();
    showPreview(((e.clientX - box.left) / box.width) * duration());
  });
  v.seek.addEventListener("pointerleave", () => {
    if (!scrubbing) hidePreview();
  });

  function hidePreview(): void {
    v.preview.hidden = true;
    root.classList.remove("is-previewing");
  }

  function showPreview(at: number): void {
    const d = duration();
    if (!(d > 0)) return;
    const t = Math.min(Math.max(0, at), d);
    const hasImage = !!thumbs?.paint(v.previewImg, t, root.clientWidth < 480 ? 120 : 176);
    v.previewImg.hidden = !hasImage;
    v.previewTime.textContent = formatClock(t);
    v.preview.hidden = false;
    root.classList.add("is-previewing");
    // Centred over its time, kept inside the player.
    const seekBox = v.seek.getBoundingClientRect();
    const rangeBox = v.range.getBoundingClientRect();
    const rootBox = root.getBoundingClientRect();
    const half = v.preview.offsetWidth / 2;
    const x = (t / d) * rangeBox.width + (rangeBox.left - seekBox.left);
    const min = rootBox.left - seekBox.left + 8 + half;
    const max = rootBox.right - seekBox.left - 8 - half;
    v.preview.style.left = `${Math.min(Math.max(x, min), max)}px`;
  }

  // -------------------------------------------------------------------------------------------
  // Menus: speed, captions, quality

  let engine: Engine | null = null;
  let levels: Level[] = [];
  let levelHeight: number | null = null;
  const kbps = (l: Level) => `${Math.round(l.bitrate / 1000)} kbps`;
  const levelLabel = (l: Level) => {
    if (!l.height) return kbps(l);
    return levels.filter((o) => o.height === l.height).length > 1 ? `${l.height}p · ${kbps(l)}` : `${l.height}p`;
  };

  v.speedBtn.addEventListener("click", () => {
    const items = SPEEDS.map((s) => ({
      label: `${numberFormat.format(s)}×`,
      checked: Math.abs(media.playbackRate - s) < 0.001,
      select: () => setSpeed(s),
    }));
    menu.toggle(v.speedBtn, labels.speed, items, 4);
  });
  v.ccBtn.addEventListener("click", () => menu.toggle(v.ccBtn, labels.captions, captions.menuItems(labels.off), 2));
  v.qualityBtn.addEventListener("click", () => {
    const auto = engine?.autoLevel() ?? true;
    const current = levels.find((l) => l.height === levelHeight);
    const items: MenuItem[] = [
      {
        // "Auto · 720p": which level automatic choice is on now.
        label: auto && current ? `${labels.auto} · ${levelLabel(current)}` : labels.auto,
        checked: auto,
        select: () => engine?.setLevel(-1),
      },
      ...[...levels]
        .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate)
        .map((l) => ({
          label: levelLabel(l),
          checked: !auto && l.height === levelHeight,
          select: () => engine?.setLevel(l.index),
        })),
    ];
    menu.toggle(v.qualityBtn, labels.quality, items, 3);
  });

  root.addEventListener("keydown", (e) => {
    const handled = handleShortcut(e, v.volume, {
      togglePlay,
      seekBy: (s) => seekTo(media.currentTime + s),
      seekToFraction: (f) => duration() > 0 && seekTo(f * duration()),
      volumeBy: (step) => setVolume((media.muted ? 0 : media.volume) + step),
      toggleMute,
      toggleFullscreen: fullscreen,
      toggleCaptions: () => captions.toggle(),
      stepSpeed,
    });
    if (handled) wake();
  });

  // -------------------------------------------------------------------------------------------
  // Media events

  const on = <K extends keyof HTMLMediaElementEventMap>(type: K, fn: () => void) => media.addEventListener(type, fn);
  on("loadedmetadata", () => {
    if (state === "loading") setState("ready");
    updateTime();
    // The engine starts at resumeAt (hls.js seeks there right after this event).
    if (resumeAt && !started && (!Number.isFinite(media.duration) || resumeAt < media.duration - 10)) {
      showNotice(fill(labels.resumed, { time: formatClock(resumeAt) }));
    }
  });
  on("play", () => {
    if (!started) {
      started = true;
      root.classList.add("has-started");
      engine?.bufferFully();
    }
    token.refreshIfDue();
    updatePlay();
  });
  on("playing", () => {
    root.classList.remove("is-waiting");
    setState("playing");
    updatePlay();
    wake();
  });
  on("pause", () => {
    if (!media.ended) setState(started ? "paused" : state);
    updatePlay();
  });
  on("ended", () => {
    setState("ended");
    updatePlay();
  });
  on("waiting", () => root.classList.add("is-waiting"));
  on("canplay", () => root.classList.remove("is-waiting"));
  on("seeked", () => root.classList.remove("is-waiting"));
  on("timeupdate", () => {
    updateTime();
    updateBuffered();
  });
  on("progress", updateBuffered);
  on("durationchange", updateTime);
  on("volumechange", updateVolume);
  on("ratechange", updateSpeed);

  // hls.js plays from a blob: URL (Media Source Extensions): a CSP without `media-src blob:`
  // blocks it without an error event, which would leave the player loading for ever.
  const onViolation = (e: SecurityPolicyViolationEvent) => {
    if (e.effectiveDirective === "media-src" && e.blockedURI.startsWith("blob")) {
      console.error("lyceum: the Content-Security-Policy must allow media-src blob: for HLS playback");
      fail();
    }
  };
  document.addEventListener("securitypolicyviolation", onViolation);
  const onVisible = () => {
    if (document.visibilityState === "visible") token.refreshIfDue();
  };
  document.addEventListener("visibilitychange", onVisible);

  updatePlay();
  updateTime();
  updateVolume();
  updateSpeed();

  engine = createEngine(media, token, resumeAt, {
    onLevels(list) {
      levels = list.filter((l) => l.height > 0 || list.length > 1);
      v.qualityBtn.hidden = !isVideo || levels.length < 2;
    },
    onLevelSwitched(height) {
      levelHeight = height;
      if (height) root.dataset.level = String(height);
      else delete root.dataset.level;
    },
    onFatal: fail,
  });
  if (!engine) fail();

  const stopHeartbeats = root.dataset.heartbeatUrl
    ? startHeartbeats(root, media, root.dataset.heartbeatUrl, fallbackDuration)
    : () => {};

  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopHeartbeats();
      token.stop();
      engine?.destroy();
      menu.destroy();
      stopFullscreen();
      window.clearTimeout(idleTimer);
      window.clearTimeout(noticeTimer);
      document.removeEventListener("visibilitychange", onVisible);
      document.removeEventListener("securitypolicyviolation", onViolation);
    },
  };
}

autoMount("[data-player]", mountPlayer);
