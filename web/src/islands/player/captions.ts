// Subtitles from data-captions: one <track> each; the chosen one runs in "hidden" mode (its
// cues load and change) and we draw its cues above the controls, so they move with them and
// come along into full screen. iOS's own video full screen draws them itself ("showing").

import { h, store, stored } from "../shared";
import type { MenuItem } from "./menu";

/** One entry of data-captions. */
export interface Caption {
  label: string;
  lang: string;
  src: string;
  default?: boolean;
}

const STORE_CAPTIONS = "lyceum.player.captions";

/** Reads data-captions; bad JSON or entries are left out. */
export function readCaptions(root: HTMLElement): Caption[] {
  try {
    const list = JSON.parse(root.dataset.captions || "[]") as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((c): c is Caption => !!c && typeof c.src === "string" && typeof c.label === "string");
  } catch {
    return [];
  }
}

export class Captions {
  /** The chosen track, or -1 for none. */
  index = -1;
  private last: number;
  private nativeFullscreen = false;
  private readonly tracks: HTMLTrackElement[];

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly box: HTMLElement,
    private readonly list: Caption[],
    /** Rewrites a URL to the current playback token. */
    private readonly rewrite: (url: string) => string,
    private readonly onChange: (on: boolean) => void,
  ) {
    this.tracks = list.map((c, i) => {
      const el = document.createElement("track");
      el.kind = "subtitles";
      el.label = c.label;
      el.srclang = c.lang || "";
      el.src = c.src;
      media.appendChild(el);
      el.track.addEventListener("cuechange", () => i === this.index && this.render());
      return el;
    });
    this.last = Math.max(
      0,
      list.findIndex((c) => c.default),
    );
    media.addEventListener("webkitbeginfullscreen", () => this.setNativeFullscreen(true));
    media.addEventListener("webkitendfullscreen", () => this.setNativeFullscreen(false));
    if (list.length) {
      // The viewer's last choice (by language), else the track marked default.
      const pref = stored(STORE_CAPTIONS);
      const byPref = pref && pref !== "off" ? list.findIndex((c) => (c.lang || c.label) === pref) : -1;
      this.select(pref === "off" ? -1 : byPref >= 0 ? byPref : list.findIndex((c) => c.default), false);
    }
  }

  get count(): number {
    return this.tracks.length;
  }

  select(index: number, remember = true): void {
    this.index = index;
    this.tracks.forEach((el, i) => {
      if (i === index) {
        const fresh = this.rewrite(el.src);
        if (fresh !== el.src) el.src = fresh; // an old token would be refused
      }
      el.track.mode = i === index ? (this.nativeFullscreen ? "showing" : "hidden") : "disabled";
    });
    if (index >= 0) this.last = index;
    if (remember) store(STORE_CAPTIONS, index >= 0 ? this.list[index].lang || this.list[index].label : "off");
    this.onChange(index >= 0);
    this.render();
  }

  /** Off, or back on with the last track used (the C key). */
  toggle(): void {
    if (this.count) this.select(this.index >= 0 ? -1 : this.last);
  }

  menuItems(offLabel: string): MenuItem[] {
    return [
      { label: offLabel, checked: this.index < 0, select: () => this.select(-1) },
      ...this.list.map((c, i) => ({ label: c.label, checked: this.index === i, select: () => this.select(i) })),
    ];
  }

  private setNativeFullscreen(on: boolean): void {
    this.nativeFullscreen = on;
    this.select(this.index, false);
  }

  private render(): void {
    const track = this.tracks[this.index]?.track;
    const cues = track ? Array.from(track.activeCues ?? []) : [];
    this.box.replaceChildren(
      ...cues.map((cue) => {
        const line = h("span", "player-cue");
        // getCueAsHTML builds DOM nodes from the cue's WebVTT markup (no HTML parsing).
        if (typeof (cue as VTTCue).getCueAsHTML === "function") line.append((cue as VTTCue).getCueAsHTML());
        else line.textContent = (cue as VTTCue).text ?? "";
        return line;
      }),
    );
  }
}
