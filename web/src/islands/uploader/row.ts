// One file in the uploader's list: name, size, progress bar, status line (speed and time
// left while uploading), and its Pause/Resume/Retry and Cancel buttons.

import type { Upload } from "tus-js-client";

import * as icons from "../icons";
import { fill, formatBytes, formatClock, h } from "../shared";

/** The visible words, overridden by data-labels. */
export const LABELS = {
  drop: "Drag videos, audio or files here",
  browse: "Choose files",
  pause: "Pause",
  resume: "Resume",
  cancel: "Cancel",
  retry: "Retry",
  uploading: "Uploading…",
  paused: "Paused",
  done: "Uploaded — processing",
  failed: "Upload failed",
  offline: "Connection lost — retrying…",
  too_large: "{name} is larger than your plan allows ({max}).",
  empty: "{name} is empty.",
  resuming: "Resuming {name} from {percent}%",
  // Optional: the server may send these too.
  queued: "Waiting…",
  eta: "{time} left",
};
export type Labels = typeof LABELS;

/** Where a file is: waiting its turn, on its way, stopped, or finished either way. */
export type State = "queued" | "starting" | "uploading" | "offline" | "paused" | "done" | "failed" | "refused";

const SPEED_WINDOW_MS = 6000;

export class Row {
  state: State = "queued";
  upload: Upload | null = null;
  /** Bumped on every start, pause and cancel; the upload's callbacks count only while it equals `running`. */
  attempt = 0;
  running = -1;
  /** The next HEAD answer is a resumed upload's offset. */
  resuming = false;
  retryTimer = 0;
  readonly el = h("li", "uploader-row");
  readonly toggle: HTMLButtonElement;
  readonly cancel: HTMLButtonElement;
  private sent = 0;
  private samples: { t: number; bytes: number }[] = [];
  private milestone = 0;
  /** Until when a one-off message ("Resuming … from 40%") stays instead of "Uploading…". */
  private holdUntil = 0;
  private readonly bar: HTMLElement;
  private readonly fill = h("span", "uploader-fill");
  private readonly status = h("span", "uploader-status");
  private readonly meta = h("span", "uploader-meta");
  private readonly check = h("span", "uploader-check", { "aria-hidden": "true", hidden: "" });

  constructor(
    readonly file: File,
    private readonly labels: Labels,
    /** Says something in the uploader's polite live region. */
    private readonly say: (text: string) => void,
  ) {
    const name = h("span", "uploader-name", { title: file.name });
    name.textContent = file.name;
    const size = h("span", "uploader-size");
    size.textContent = formatBytes(file.size);
    const top = h("div", "uploader-top");
    top.append(name, size);
    this.bar = h("div", "uploader-bar", {
      role: "progressbar",
      "aria-label": file.name,
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": "0",
    });
    this.bar.appendChild(this.fill);
    const line = h("div", "uploader-line");
    line.append(this.status, this.meta);
    const main = h("div", "uploader-main");
    main.append(top, this.bar, line);
    this.toggle = this.button(icons.pause, labels.pause);
    this.cancel = this.button(icons.x, labels.cancel);
    this.check.innerHTML = icons.icon(icons.check);
    const actions = h("div", "uploader-actions");
    actions.append(this.check, this.toggle, this.cancel);
    this.el.append(main, actions);
  }

  setState(state: State, message?: string): void {
    const changed = this.state !== state;
    const l = this.labels;
    this.state = state;
    this.el.dataset.state = state;
    const text =
      message ??
      {
        queued: l.queued,
        starting: l.uploading,
        uploading: l.uploading,
        offline: l.offline,
        paused: l.paused,
        done: l.done,
        failed: l.failed,
        refused: l.failed,
      }[state];
    this.status.textContent = text;
    if (state !== "uploading") this.meta.textContent = "";
    this.toggle.hidden = state === "done" || state === "refused";
    this.cancel.hidden = state === "done";
    this.check.hidden = state !== "done";
    if (state === "paused") this.setButton(this.toggle, icons.play, l.resume);
    else if (state === "failed") this.setButton(this.toggle, icons.rotateCcw, l.retry);
    else this.setButton(this.toggle, icons.pause, l.pause);
    if (changed && state !== "queued" && state !== "starting") this.say(`${this.file.name}: ${text}`);
  }

  /** Refused for good (empty, too big, a 4xx): the message instead of a progress bar. */
  refuse(message: string): void {
    this.bar.hidden = true;
    this.setState("refused", message);
  }

  /** "Resuming clip.mp4 from 40%", kept for a few seconds. */
  resumedAt(offset: number): void {
    const percent = Math.floor((offset / Math.max(1, this.file.size)) * 100);
    this.progress(offset);
    this.setState("uploading", fill(this.labels.resuming, { name: this.file.name, percent }));
    this.holdUntil = performance.now() + 3000;
  }

  /** New bytes sent: the bar, the status, and speed and time left. */
  uploaded(sent: number): void {
    if (this.state !== "uploading") this.setState("uploading");
    else if (performance.now() > this.holdUntil) this.status.textContent = this.labels.uploading;
    this.progress(sent);
    this.updateSpeed();
  }

  /** Forgets the speed samples (after a pause or a new start). */
  restart(): void {
    this.samples = [];
  }

  progress(sent: number): void {
    const total = this.file.size;
    this.sent = sent;
    const percent = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
    this.fill.style.width = `${total > 0 ? Math.min(100, (sent / total) * 100) : 0}%`;
    this.bar.setAttribute("aria-valuenow", String(percent));
    // Announced every quarter, not every percent.
    const quarter = Math.floor(percent / 25);
    if (quarter > this.milestone && percent < 100) {
      this.milestone = quarter;
      this.say(`${this.file.name}: ${percent}%`);
    }
  }

  private updateSpeed(): void {
    const now = performance.now();
    this.samples.push({ t: now, bytes: this.sent });
    while (this.samples.length > 2 && now - this.samples[0].t > SPEED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const seconds = (now - first.t) / 1000;
    const percent = `${Math.floor((this.sent / Math.max(1, this.file.size)) * 100)}%`;
    const speed = seconds >= 1 ? (this.sent - first.bytes) / seconds : 0;
    if (speed <= 0) {
      this.meta.textContent = percent;
      return;
    }
    const eta = fill(this.labels.eta, { time: formatClock(Math.ceil((this.file.size - this.sent) / speed)) });
    this.meta.textContent = `${percent} · ${formatBytes(speed, true)} · ${eta}`;
  }

  private button(svg: string, label: string): HTMLButtonElement {
    const button = h("button", "uploader-btn", { type: "button" });
    this.setButton(button, svg, label);
    return button;
  }

  /** An icon button labelled "Pause: lecture.mp4" for screen readers, "Pause" as its tooltip. */
  private setButton(button: HTMLButtonElement, svg: string, label: string): void {
    const full = `${label}: ${this.file.name}`;
    if (button.getAttribute("aria-label") === full) return;
    button.setAttribute("aria-label", full);
    button.title = label;
    button.innerHTML = icons.icon(svg);
  }
}
