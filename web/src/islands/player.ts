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
//   data-captions        JSON [{"label", "lang", "src", "default"}]: subtitle tracks
//   data-labels          JSON of the visible words (see LABELS)
//
// For tests and the page: data-state ("loading", "ready", "playing", "paused", "ended",
// "error") and data-level (height of the level playing) on the root, and a `lyceum:heartbeat`
// event (detail: the JSON sent) after each heartbeat the server accepted.

import * as icons from "./icons";
import { createEngine, type Engine, type Level } from "./player/engine";
import { startHeartbeats } from "./player/heartbeat";
import { PlayerMenu, type MenuItem } from "./player/menu";
import { Thumbnails } from "./player/thumbnails";
import { PlaybackToken } from "./player/token";
import { autoMount, fill, formatClock, h, liveRegion, locale, readLabels, type Island } from "./shared";

const LABELS = {
  play: "Play",
  pause: "Pause",
  mute: "Mute",
  unmute: "Unmute",
  speed: "Speed",
  quality: "Quality",
  auto: "Auto",
  captions: "Captions",
  off: "Off",
  fullscreen: "Full screen",
  exit_fullscreen: "Exit full screen",
  seek: "Seek",
  volume: "Volume",
  resumed: "Resumed at {time}",
  error: "This video could not be played. Reload the page to try again.",
};

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const IDLE_MS = 2500;
const NOTICE_MS = 4000;
const STORE_SPEED = "lyceum.player.speed";
const STORE_VOLUME = "lyceum.player.volume";
const STORE_CAPTIONS = "lyceum.player.captions";

type State = "loading" | "ready" | "playing" | "paused" | "ended" | "error";

interface Caption {
  label: string;
  lang: string;
  src: string;
  default?: boolean;
}

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage blocked: the choice lasts for this page only */
  }
}

function readCaptions(root: HTMLElement): Caption[] {
  try {
    const list = JSON.parse(root.dataset.captions || "[]") as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((c): c is Caption => !!c && typeof c.src === "string" && typeof c.label === "string");
  } catch {
    return [];
  }
}

type FullscreenDoc = Document & { webkitFullscreenElement?: Element | null; webkitExitFullscreen?: () => void };
type FullscreenEl = HTMLElement & { webkitRequestFullscreen?: () => void };
type IosVideo = HTMLVideoElement & { webkitEnterFullscreen?: () => void; webkitDisplayingFullscreen?: boolean };

function mountPlayer(root: HTMLElement): Island {
  const labels = readLabels(root, LABELS);
  const isVideo = root.dataset.kind !== "audio";
  const media =
    root.querySelector<HTMLMediaElement>("video, audio") ?? root.appendChild(document.createElement(isVideo ? "video" : "audio"));
  media.controls = false;
  media.setAttribute("playsinline", "");
  if (!media.getAttribute("preload")) media.preload = "metadata";
  if (media instanceof HTMLVideoElement && root.dataset.poster && !media.getAttribute("poster")) media.poster = root.dataset.poster;

  const fallbackDuration = Number(root.dataset.duration) || 0;
  const resume = Number(root.dataset.resume) || 0;
  const resumeAt = resume > 5 && (!fallbackDuration || resume < fallbackDuration - 10) ? resume : 0;
  const token = new PlaybackToken(root.dataset.src || "", root.dataset.tokenUrl || "");
  const thumbs = root.dataset.thumbnails && isVideo ? new Thumbnails(root.dataset.thumbnails, (u) => token.rewrite(u)) : null;
  const captions = isVideo ? readCaptions(root) : [];
  const numberFormat = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 });
  const duration = () => (Number.isFinite(media.duration) && media.duration > 0 ? media.duration : fallbackDuration);

  if (!root.hasAttribute("tabindex")) root.tabIndex = 0;
  root.classList.add("player");

  // -------------------------------------------------------------------------------------------
  // The interface

  const button = (className: string, svg: string, label: string) => {
    const b = h("button", `player-btn ${className}`, { type: "button", "aria-label": label, title: label });
    b.innerHTML = icons.icon(svg);
    return b;
  };
  const setButton = (b: HTMLButtonElement, svg: string, label: string) => {
    if (b.getAttribute("aria-label") === label) return;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.innerHTML = icons.icon(svg);
  };

  const say = liveRegion(root);
  const captionBox = h("div", "player-captions", { "aria-hidden": "true" });
  const bigPlay = button("player-big-play", icons.play, labels.play);
  const spinner = h("div", "player-spinner", { "aria-hidden": "true" });
  const notice = h("div", "player-notice", { hidden: "" });
  const errorBox = h("div", "player-error", { hidden: "", role: "alert" });
  const length = h("span", "player-length", { "aria-hidden": "true" });

  const seek = h("div", "player-seek");
  const track = h("div", "player-track");
  const buffered = h("div", "player-buffered");
  const played = h("div", "player-played");
  track.append(buffered, played);
  const range = h("input", "player-range", { type: "range", min: "0", max: "0", step: "any", "aria-label": labels.seek });
  range.value = "0";
  const preview = h("div", "player-preview", { hidden: "", "aria-hidden": "true" });
  const previewImg = h("div", "player-preview-img");
  const previewTime = h("div", "player-preview-time");
  preview.append(previewImg, previewTime);
  seek.append(track, range, preview);

  const playBtn = button("player-play", icons.play, labels.play);
  const muteBtn = button("player-mute", icons.volume2, labels.mute);
  const volume = h("input", "player-volume-range", { type: "range", min: "0", max: "1", step: "0.05", "aria-label": labels.volume });
  const volumeWrap = h("div", "player-volume");
  volumeWrap.append(muteBtn, volume);
  const time = h("div", "player-time");
  const speedBtn = h("button", "player-btn player-speed", { type: "button", "aria-haspopup": "menu", "aria-expanded": "false" });
  const ccBtn = button("player-cc", icons.captions, labels.captions);
  const qualityBtn = button("player-quality", icons.settings, labels.quality);
  const fsBtn = button("player-fs", icons.maximize, labels.fullscreen);
  for (const b of [ccBtn, qualityBtn]) {
    b.setAttribute("aria-haspopup", "menu");
    b.setAttribute("aria-expanded", "false");
  }
  ccBtn.hidden = captions.length === 0;
  qualityBtn.hidden = true; // until the levels are known

  const controls = h("div", "player-controls");
  const bar = h("div", "player-bar");
  if (isVideo) {
    bar.append(playBtn, volumeWrap, time, h("div", "player-spacer"), ccBtn, speedBtn, qualityBtn, fsBtn);
    controls.append(seek, bar);
  } else {
    bar.append(playBtn, time, seek, speedBtn, volumeWrap);
    controls.append(bar);
  }
  const menu = new PlayerMenu(root, (open) => {
    root.classList.toggle("is-menu-open", open);
    wake();
  });
  if (isVideo) root.append(captionBox, length, bigPlay, spinner, notice, errorBox, controls, menu.el);
  else root.append(notice, errorBox, controls, menu.el);

  const canFullscreen =
    isVideo &&
    (document.fullscreenEnabled ||
      !!(root as FullscreenEl).webkitRequestFullscreen ||
      !!(media as IosVideo).webkitEnterFullscreen);
  fsBtn.hidden = !canFullscreen;

  // -------------------------------------------------------------------------------------------
  // State shown on the root

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
    setButton(playBtn, playing ? icons.pause : icons.play, playing ? labels.pause : labels.play);
  }

  function updateTime(): void {
    const d = duration();
    const t = scrubbing ? Number(range.value) : media.currentTime;
    if (!scrubbing) {
      range.max = String(d || 0);
      range.value = String(Math.min(t, d || 0));
    }
    played.style.width = `${d > 0 ? Math.min(100, (t / d) * 100) : 0}%`;
    time.textContent = `${formatClock(t)} / ${formatClock(d)}`;
    length.textContent = formatClock(d);
    range.setAttribute("aria-valuetext", `${formatClock(t)} / ${formatClock(d)}`);
  }

  function updateBuffered(): void {
    const d = duration();
    const b = media.buffered;
    let end = 0;
    for (let i = 0; i < b.length; i++) {
      if (b.start(i) <= media.currentTime + 0.5 && b.end(i) > end) end = b.end(i);
    }
    buffered.style.width = `${d > 0 ? Math.min(100, (end / d) * 100) : 0}%`;
  }

  function updateVolume(): void {
    const silent = media.muted || media.volume === 0;
    setButton(muteBtn, silent ? icons.volumeX : media.volume < 0.5 ? icons.volume1 : icons.volume2, silent ? labels.unmute : labels.mute);
    volume.value = String(media.muted ? 0 : media.volume);
    volume.style.setProperty("--fill", `${(media.muted ? 0 : media.volume) * 100}%`);
  }

  function updateSpeed(): void {
    const text = `${numberFormat.format(media.playbackRate)}×`;
    speedBtn.textContent = text;
    speedBtn.setAttribute("aria-label", `${labels.speed}: ${text}`);
    speedBtn.title = labels.speed;
  }

  function showNotice(text: string): void {
    notice.textContent = text;
    notice.hidden = false;
    say(text);
    window.setTimeout(() => (notice.hidden = true), NOTICE_MS);
  }

  function fail(): void {
    if (state === "error") return;
    setState("error");
    errorBox.innerHTML = icons.icon(icons.circleAlert);
    errorBox.append(h("p", ""));
    errorBox.lastElementChild!.textContent = labels.error;
    errorBox.hidden = false;
    media.pause();
  }

  // -------------------------------------------------------------------------------------------
  // Controls that hide while playing

  let idleTimer = 0;
  function wake(): void {
    root.classList.remove("is-idle");
    window.clearTimeout(idleTimer);
    if (isVideo && state === "playing" && !menu.isOpen() && !scrubbing) {
      idleTimer = window.setTimeout(() => {
        if (!controls.contains(document.activeElement) || document.activeElement === range) root.classList.add("is-idle");
      }, IDLE_MS);
    }
  }
  root.addEventListener("pointermove", wake);
  root.addEventListener("focusin", wake);
  root.addEventListener("pointerleave", (e) => {
    if (e.pointerType !== "mouse" || state !== "playing" || menu.isOpen() || scrubbing) return;
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

  function setVolume(v: number): void {
    media.volume = Math.min(1, Math.max(0, v));
    media.muted = media.volume === 0;
    store(STORE_VOLUME, String(media.volume));
  }

  function setSpeed(rate: number): void {
    media.playbackRate = rate;
    media.defaultPlaybackRate = rate;
    store(STORE_SPEED, String(rate));
  }

  const stepSpeed = (dir: number) => {
    const i = SPEEDS.findIndex((s) => s >= media.playbackRate - 0.001);
    setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.length - 1 : i) + dir))]);
    showNotice(`${labels.speed}: ${numberFormat.format(media.playbackRate)}×`);
  };

  const savedSpeed = Number(stored(STORE_SPEED));
  if (SPEEDS.includes(savedSpeed)) setSpeed(savedSpeed);
  const savedVolume = Number(stored(STORE_VOLUME) ?? NaN);
  if (Number.isFinite(savedVolume) && savedVolume > 0 && savedVolume <= 1) media.volume = savedVolume;

  playBtn.addEventListener("click", togglePlay);
  bigPlay.addEventListener("click", togglePlay);
  muteBtn.addEventListener("click", () => {
    if (media.muted || media.volume === 0) {
      if (media.volume === 0) media.volume = 1;
      media.muted = false;
    } else media.muted = true;
  });
  volume.addEventListener("input", () => setVolume(Number(volume.value)));
  speedBtn.addEventListener("click", () =>
    menu.toggle(
      speedBtn,
      labels.speed,
      SPEEDS.map((s) => ({
        label: `${numberFormat.format(s)}×`,
        checked: Math.abs(media.playbackRate - s) < 0.001,
        select: () => setSpeed(s),
      })),
      4,
    ),
  );

  // A click on the picture plays or pauses; a tap first shows hidden controls; a double click
  // goes full screen.
  let lastPointer = "mouse";
  media.addEventListener("pointerdown", (e) => (lastPointer = e.pointerType));
  media.addEventListener("click", () => {
    root.focus({ preventScroll: true });
    if (lastPointer !== "mouse" && root.classList.contains("is-idle")) return wake();
    togglePlay();
  });
  media.addEventListener("dblclick", () => toggleFullscreen());

  // Seek bar: the range input does the work and the keyboard; the thumbnail follows the pointer.
  range.addEventListener("pointerdown", () => {
    scrubbing = true;
    wake();
  });
  range.addEventListener("input", () => {
    if (!scrubbing) return seekTo(Number(range.value)); // Home, End, PageUp, PageDown
    updateTime();
    showPreview(Number(range.value));
  });
  const endScrub = () => {
    if (!scrubbing) return;
    scrubbing = false;
    seekTo(Number(range.value));
    hidePreview();
  };
  range.addEventListener("change", endScrub);
  range.addEventListener("pointerup", endScrub);
  range.addEventListener("pointercancel", endScrub);
  seek.addEventListener("pointerenter", () => void thumbs?.load());
  seek.addEventListener("pointermove", (e) => {
    if (e.pointerType !== "mouse" || scrubbing) return;
    const box = range.getBoundingClientRect();
    showPreview(((e.clientX - box.left) / box.width) * duration());
  });
  seek.addEventListener("pointerleave", () => {
    if (!scrubbing) hidePreview();
  });

  function hidePreview(): void {
    preview.hidden = true;
    root.classList.remove("is-previewing");
  }

  function showPreview(t: number): void {
    const d = duration();
    if (!(d > 0)) return;
    t = Math.min(Math.max(0, t), d);
    const width = root.clientWidth < 480 ? 120 : 176;
    const hasImage = !!thumbs?.paint(previewImg, t, width);
    previewImg.hidden = !hasImage;
    previewTime.textContent = formatClock(t);
    preview.hidden = false;
    root.classList.add("is-previewing");
    // Centred over the time, kept inside the player.
    const seekBox = seek.getBoundingClientRect();
    const rootBox = root.getBoundingClientRect();
    const half = preview.offsetWidth / 2;
    const x = (t / d) * range.getBoundingClientRect().width + (range.getBoundingClientRect().left - seekBox.left);
    const min = rootBox.left - seekBox.left + 8 + half;
    const max = rootBox.right - seekBox.left - 8 - half;
    preview.style.left = `${Math.min(Math.max(x, min), max)}px`;
  }

  // -------------------------------------------------------------------------------------------
  // Captions: <track> elements from data-captions, drawn by us above the controls

  const trackEls = captions.map((c) => {
    const el = document.createElement("track");
    el.kind = "subtitles";
    el.label = c.label;
    el.srclang = c.lang || "";
    el.src = c.src;
    media.appendChild(el);
    return el;
  });
  let captionIndex = -1;
  let lastCaption = Math.max(0, captions.findIndex((c) => c.default));
  let nativeFullscreen = false;

  function renderCues(): void {
    const textTrack = trackEls[captionIndex]?.track;
    const cues = textTrack ? Array.from(textTrack.activeCues ?? []) : [];
    captionBox.replaceChildren(
      ...cues.map((cue) => {
        const line = h("span", "player-cue");
        if (typeof (cue as VTTCue).getCueAsHTML === "function") line.append((cue as VTTCue).getCueAsHTML());
        else line.textContent = (cue as VTTCue).text ?? "";
        return line;
      }),
    );
  }

  function selectCaption(index: number, remember = true): void {
    captionIndex = index;
    trackEls.forEach((el, i) => {
      if (i === index) {
        const fresh = token.rewrite(el.src);
        if (fresh !== el.src) el.src = fresh; // an old token would be refused
      }
      // "hidden": the cues load and change, and we draw them; iOS's own full screen draws them itself.
      el.track.mode = i === index ? (nativeFullscreen ? "showing" : "hidden") : "disabled";
    });
    if (index >= 0) lastCaption = index;
    if (remember) store(STORE_CAPTIONS, index >= 0 ? captions[index].lang || captions[index].label : "off");
    ccBtn.classList.toggle("is-on", index >= 0);
    renderCues();
  }

  trackEls.forEach((el, i) => el.track.addEventListener("cuechange", () => i === captionIndex && renderCues()));
  if (captions.length) {
    const pref = stored(STORE_CAPTIONS);
    const byPref = pref && pref !== "off" ? captions.findIndex((c) => (c.lang || c.label) === pref) : -1;
    selectCaption(pref === "off" ? -1 : byPref >= 0 ? byPref : captions.findIndex((c) => c.default), false);
  }
  ccBtn.addEventListener("click", () =>
    menu.toggle(
      ccBtn,
      labels.captions,
      [
        { label: labels.off, checked: captionIndex < 0, select: () => selectCaption(-1) },
        ...captions.map((c, i) => ({ label: c.label, checked: captionIndex === i, select: () => selectCaption(i) })),
      ],
      2,
    ),
  );
  media.addEventListener("webkitbeginfullscreen", () => {
    nativeFullscreen = true;
    selectCaption(captionIndex, false);
  });
  media.addEventListener("webkitendfullscreen", () => {
    nativeFullscreen = false;
    selectCaption(captionIndex, false);
  });

  // -------------------------------------------------------------------------------------------
  // Quality

  let levels: Level[] = [];
  let levelHeight: number | null = null;
  const levelLabel = (l: Level) =>
    l.height ? `${l.height}p` + (levels.filter((o) => o.height === l.height).length > 1 ? ` · ${Math.round(l.bitrate / 1000)} kbps` : "") : `${Math.round(l.bitrate / 1000)} kbps`;
  let engine: Engine | null = null;

  qualityBtn.addEventListener("click", () => {
    const auto = engine?.autoLevel() ?? true;
    const current = levels.find((l) => l.height === levelHeight);
    const items: MenuItem[] = [
      {
        label: auto && current ? `${labels.auto} · ${levelLabel(current)}` : labels.auto,
        checked: auto,
        select: () => engine?.setLevel(-1),
      },
      ...[...levels]
        .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate)
        .map((l) => ({ label: levelLabel(l), checked: !auto && l.height === levelHeight, select: () => engine?.setLevel(l.index) })),
    ];
    menu.toggle(qualityBtn, labels.quality, items, 3);
  });

  // -------------------------------------------------------------------------------------------
  // Full screen (the whole player, so our controls and captions come along)

  const fsElement = () => document.fullscreenElement ?? (document as FullscreenDoc).webkitFullscreenElement ?? null;
  function toggleFullscreen(): void {
    if (!canFullscreen) return;
    if (fsElement() === root) {
      if (document.exitFullscreen) void document.exitFullscreen().catch(() => {});
      else (document as FullscreenDoc).webkitExitFullscreen?.();
    } else if (root.requestFullscreen && document.fullscreenEnabled) {
      void root.requestFullscreen().catch(() => {});
    } else if ((root as FullscreenEl).webkitRequestFullscreen) {
      (root as FullscreenEl).webkitRequestFullscreen!();
    } else {
      (media as IosVideo).webkitEnterFullscreen?.(); // iPhone: only the video itself
    }
  }
  const onFullscreen = () => {
    const on = fsElement() === root;
    root.classList.toggle("is-fullscreen", on);
    setButton(fsBtn, on ? icons.minimize : icons.maximize, on ? labels.exit_fullscreen : labels.fullscreen);
  };
  document.addEventListener("fullscreenchange", onFullscreen);
  document.addEventListener("webkitfullscreenchange", onFullscreen);
  fsBtn.addEventListener("click", toggleFullscreen);

  // -------------------------------------------------------------------------------------------
  // Keyboard shortcuts while the player or its controls have focus

  root.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    const onButton = target instanceof HTMLButtonElement;
    const onVolume = target === volume;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const d = duration();
    switch (key) {
      case " ":
      case "Enter":
        if (onButton || key === "Enter") return; // the button's own action
        togglePlay();
        break;
      case "k":
        togglePlay();
        break;
      case "j":
        seekTo(media.currentTime - 10);
        break;
      case "l":
        seekTo(media.currentTime + 10);
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (onVolume) return;
        seekTo(media.currentTime + (key === "ArrowLeft" ? -5 : 5));
        break;
      case "ArrowUp":
      case "ArrowDown":
        if (onVolume) return;
        setVolume((media.muted ? 0 : media.volume) + (key === "ArrowUp" ? 0.05 : -0.05));
        break;
      case "m":
        muteBtn.click();
        break;
      case "f":
        toggleFullscreen();
        break;
      case "c":
        if (trackEls.length) selectCaption(captionIndex >= 0 ? -1 : lastCaption);
        break;
      case "<":
        stepSpeed(-1);
        break;
      case ">":
        stepSpeed(1);
        break;
      default:
        if (/^[0-9]$/.test(key) && d > 0) {
          seekTo((Number(key) / 10) * d);
          break;
        }
        return;
    }
    e.preventDefault();
    wake();
  });

  // -------------------------------------------------------------------------------------------
  // Media events

  const on = <K extends keyof HTMLMediaElementEventMap>(type: K, fn: () => void) => media.addEventListener(type, fn);
  on("loadedmetadata", () => {
    if (state === "loading") setState("ready");
    updateTime();
    if (resumeAt && Math.abs(media.currentTime - resumeAt) < 15 && !started) {
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
  // blocks it silently, which would leave the spinner turning for ever.
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
      qualityBtn.hidden = !isVideo || levels.length < 2;
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
      window.clearTimeout(idleTimer);
      document.removeEventListener("fullscreenchange", onFullscreen);
      document.removeEventListener("webkitfullscreenchange", onFullscreen);
      document.removeEventListener("visibilitychange", onVisible);
      document.removeEventListener("securitypolicyviolation", onViolation);
    },
  };
}

autoMount("[data-player]", mountPlayer);
