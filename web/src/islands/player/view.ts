// The player's elements, built once around the server's <video>/<audio>. Video: captions,
// length badge, big play button, spinner, notices, then the controls (seek bar over a bar of
// buttons). Audio: one bar (play, time, seek, speed, volume).

import * as icons from "../icons";
import { h } from "../shared";

/** The visible words, overridden by data-labels. */
export const LABELS = {
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
export type Labels = typeof LABELS;

/** Sets an icon button's icon and label (no-op when unchanged). */
export function setButton(b: HTMLButtonElement, svg: string, label: string): void {
  if (b.getAttribute("aria-label") === label) return;
  b.setAttribute("aria-label", label);
  b.title = label;
  b.innerHTML = icons.icon(svg);
}

function button(className: string, svg: string, label: string, menu = false): HTMLButtonElement {
  const b = h("button", `player-btn ${className}`, { type: "button" });
  if (menu) {
    b.setAttribute("aria-haspopup", "menu");
    b.setAttribute("aria-expanded", "false");
  }
  if (svg) setButton(b, svg, label);
  return b;
}

export function buildView(root: HTMLElement, isVideo: boolean, labels: Labels, menu: HTMLElement) {
  const v = {
    captionBox: h("div", "player-captions", { "aria-hidden": "true" }),
    length: h("span", "player-length", { "aria-hidden": "true" }),
    bigPlay: button("player-big-play", icons.play, labels.play),
    spinner: h("div", "player-spinner", { "aria-hidden": "true" }),
    notice: h("div", "player-notice", { hidden: "" }),
    errorBox: h("div", "player-error", { hidden: "", role: "alert" }),
    controls: h("div", "player-controls"),
    seek: h("div", "player-seek"),
    buffered: h("div", "player-buffered"),
    played: h("div", "player-played"),
    range: h("input", "player-range", { type: "range", min: "0", max: "0", step: "any", "aria-label": labels.seek }),
    preview: h("div", "player-preview", { hidden: "", "aria-hidden": "true" }),
    previewImg: h("div", "player-preview-img"),
    previewTime: h("div", "player-preview-time"),
    playBtn: button("player-play", icons.play, labels.play),
    muteBtn: button("player-mute", icons.volume2, labels.mute),
    volume: h("input", "player-volume-range", {
      type: "range",
      min: "0",
      max: "1",
      step: "0.05",
      "aria-label": labels.volume,
    }),
    time: h("div", "player-time"),
    speedBtn: button("player-speed", "", labels.speed, true),
    ccBtn: button("player-cc", icons.captions, labels.captions, true),
    qualityBtn: button("player-quality", icons.settings, labels.quality, true),
    fsBtn: button("player-fs", icons.maximize, labels.fullscreen),
  };
  v.range.value = "0";
  const track = h("div", "player-track");
  track.append(v.buffered, v.played);
  v.preview.append(v.previewImg, v.previewTime);
  v.seek.append(track, v.range, v.preview);
  const volumeWrap = h("div", "player-volume");
  volumeWrap.append(v.muteBtn, v.volume);
  const bar = h("div", "player-bar");
  if (isVideo) {
    bar.append(v.playBtn, volumeWrap, v.time, h("div", "player-spacer"), v.ccBtn, v.speedBtn, v.qualityBtn, v.fsBtn);
    v.controls.append(v.seek, bar);
    root.append(v.captionBox, v.length, v.bigPlay, v.spinner, v.notice, v.errorBox, v.controls, menu);
  } else {
    bar.append(v.playBtn, v.time, v.seek, v.speedBtn, volumeWrap);
    v.controls.append(bar);
    root.append(v.notice, v.errorBox, v.controls, menu);
  }
  return v;
}

export type View = ReturnType<typeof buildView>;
