// The media uploader island (bundle uploader.js): resumable tus uploads for [data-uploader].
//
// The server renders a working label + file input inside [data-uploader]; this script adds
// drag and drop, a queue (two uploads at a time), one row per file with progress, speed,
// time left, pause/resume and cancel, and resumes an interrupted upload of the same file.
//
//   data-endpoint      tus creation URL (same origin)
//   data-max-bytes     per-file limit; bigger files are refused before starting
//   data-chunk-bytes   tus chunk size
//   data-accept        the file input's accept list
//   data-replace       optional media id: the upload replaces that item's file (one file only)
//   data-refresh       optional selector: htmx.trigger(el, "refresh") after each finished upload
//   data-labels        JSON of the visible words (see LABELS)

import * as tus from "tus-js-client";

import * as icons from "./icons";
import { autoMount, csrfToken, fill, formatBytes, formatClock, h, liveRegion, readLabels, type Island } from "./shared";

const LABELS = {
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
type Labels = typeof LABELS;

const MAX_ACTIVE = 2;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
/** After tus-js-client has used up its retries: try again this often while the network is down. */
const KEEP_RETRYING_MS = 15000;
const DONE_LINGER_MS = 2500;
const DONE_FALLBACK_MS = 8000;
const SPEED_WINDOW_MS = 6000;

type State = "queued" | "starting" | "uploading" | "offline" | "paused" | "done" | "failed" | "refused";

interface Row {
  file: File;
  state: State;
  upload: tus.Upload | null;
  /** Bumped on every start, so callbacks of an earlier attempt are ignored. */
  attempt: number;
  sent: number;
  samples: { t: number; bytes: number }[];
  milestone: number;
  resuming: boolean;
  /** Until when a one-off message ("Resuming … from 40%") stays instead of "Uploading…". */
  holdUntil: number;
  retryTimer: number;
  el: HTMLLIElement;
  bar: HTMLElement;
  fill: HTMLElement;
  status: HTMLElement;
  meta: HTMLElement;
  toggle: HTMLButtonElement;
  cancel: HTMLButtonElement;
}

type HtmxGlobal = { trigger(el: Element, name: string): void };

function mountUploader(root: HTMLElement): Island {
  if (!tus.isSupported) return { destroy() {} }; // the server's plain form still works
  const labels = readLabels(root, LABELS);
  const endpoint = root.dataset.endpoint || "";
  const maxBytes = Number(root.dataset.maxBytes) || Infinity;
  const chunkSize = Number(root.dataset.chunkBytes) || Infinity;
  const replace = root.dataset.replace || "";
  const list =
    root.querySelector<HTMLElement>("[data-uploader-list]") ?? root.appendChild(h("ul", "", { "data-uploader-list": "" }));
  list.classList.add("uploader-list");
  list.setAttribute("role", "list");
  const input = root.querySelector<HTMLInputElement>('input[type="file"]');
  const say = liveRegion(root);
  const rows: Row[] = [];
  let destroyed = false;

  if (input) {
    if (root.dataset.accept) input.accept = root.dataset.accept;
    input.multiple = !replace;
  }

  // ---------------------------------------------------------------------------------------------
  // Adding files

  function addFiles(files: FileList | File[]): void {
    let picked = Array.from(files);
    if (replace) picked = picked.slice(0, 1);
    for (const file of picked) {
      const row = createRow(file);
      rows.push(row);
      list.appendChild(row.el);
      if (file.size === 0) refuse(row, fill(labels.empty, { name: file.name }));
      else if (file.size > maxBytes) refuse(row, fill(labels.too_large, { name: file.name, max: formatBytes(maxBytes) }));
      else setState(row, "queued");
    }
    pump();
  }

  input?.addEventListener("change", () => {
    if (input.files?.length) addFiles(input.files);
    input.value = ""; // choosing the same file again fires change again
  });

  let dragDepth = 0;
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");
  root.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    root.classList.add("is-dragover");
  });
  root.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
  });
  root.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) root.classList.remove("is-dragover");
  });
  root.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth = 0;
    root.classList.remove("is-dragover");
    if (e.dataTransfer?.files.length) addFiles(e.dataTransfer.files);
  });

  // ---------------------------------------------------------------------------------------------
  // Rows

  function iconButton(svg: string, label: string, name: string): HTMLButtonElement {
    const button = h("button", "uploader-btn", { type: "button" });
    setButton(button, svg, label, name);
    return button;
  }

  function createRow(file: File): Row {
    const el = h("li", "uploader-row");
    const main = h("div", "uploader-main");
    const top = h("div", "uploader-top");
    const name = h("span", "uploader-name", { title: file.name });
    name.textContent = file.name;
    const size = h("span", "uploader-size");
    size.textContent = formatBytes(file.size);
    top.append(name, size);
    const bar = h("div", "uploader-bar", {
      role: "progressbar",
      "aria-label": file.name,
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": "0",
    });
    const fillEl = h("span", "uploader-fill");
    bar.appendChild(fillEl);
    const line = h("div", "uploader-line");
    const status = h("span", "uploader-status");
    const meta = h("span", "uploader-meta");
    line.append(status, meta);
    main.append(top, bar, line);
    const actions = h("div", "uploader-actions");
    const toggle = iconButton(icons.pause, labels.pause, file.name);
    const cancel = iconButton(icons.x, labels.cancel, file.name);
    actions.append(toggle, cancel);
    el.append(main, actions);
    const row: Row = {
      file,
      state: "queued",
      upload: null,
      attempt: 0,
      sent: 0,
      samples: [],
      milestone: 0,
      resuming: false,
      holdUntil: 0,
      retryTimer: 0,
      el,
      bar,
      fill: fillEl,
      status,
      meta,
      toggle,
      cancel,
    };
    toggle.addEventListener("click", () => onToggle(row));
    cancel.addEventListener("click", () => onCancel(row));
    return row;
  }

  function setButton(button: HTMLButtonElement, svg: string, label: string, name: string): void {
    const full = `${label}: ${name}`;
    if (button.getAttribute("aria-label") === full) return;
    button.setAttribute("aria-label", full);
    button.title = label;
    button.innerHTML = icons.icon(svg);
  }

  function setState(row: Row, state: State, message?: string): void {
    const changed = row.state !== state;
    row.state = state;
    row.el.dataset.state = state;
    const name = row.file.name;
    const text =
      message ??
      {
        queued: labels.queued,
        starting: labels.uploading,
        uploading: labels.uploading,
        offline: labels.offline,
        paused: labels.paused,
        done: labels.done,
        failed: labels.failed,
        refused: labels.failed,
      }[state];
    row.status.textContent = text;
    if (state !== "uploading") row.meta.textContent = "";
    row.toggle.hidden = state === "done" || state === "refused";
    row.cancel.hidden = state === "done";
    if (state === "paused") setButton(row.toggle, icons.play, labels.resume, name);
    else if (state === "failed") setButton(row.toggle, icons.rotateCcw, labels.retry, name);
    else setButton(row.toggle, icons.pause, labels.pause, name);
    if (changed && state !== "queued" && state !== "starting") say(`${name}: ${text}`);
  }

  function refuse(row: Row, message: string): void {
    row.bar.hidden = true;
    setState(row, "refused", message);
  }

  function setProgress(row: Row, sent: number, total: number): void {
    row.sent = sent;
    const percent = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
    row.fill.style.width = `${(total > 0 ? sent / total : 0) * 100}%`;
    row.bar.setAttribute("aria-valuenow", String(percent));
    // Announce every quarter, not every percent.
    const quarter = Math.floor(percent / 25);
    if (quarter > row.milestone && percent < 100) {
      row.milestone = quarter;
      say(`${row.file.name}: ${percent}%`);
    }
  }

  function updateSpeed(row: Row): void {
    const now = performance.now();
    row.samples.push({ t: now, bytes: row.sent });
    while (row.samples.length > 2 && now - row.samples[0].t > SPEED_WINDOW_MS) row.samples.shift();
    const first = row.samples[0];
    const seconds = (now - first.t) / 1000;
    const percent = `${Math.floor((row.sent / Math.max(1, row.file.size)) * 100)}%`;
    const speed = seconds >= 1 ? (row.sent - first.bytes) / seconds : 0;
    if (speed <= 0) {
      row.meta.textContent = percent;
      return;
    }
    const left = (row.file.size - row.sent) / speed;
    const eta = fill(labels.eta, { time: formatClock(Math.ceil(left)) });
    row.meta.textContent = `${percent} · ${formatBytes(speed, true)} · ${eta}`;
  }

  // ---------------------------------------------------------------------------------------------
  // The queue and tus

  const activeCount = () => rows.filter((r) => r.state === "starting" || r.state === "uploading" || r.state === "offline").length;

  function pump(): void {
    if (destroyed) return;
    for (const row of rows) {
      if (activeCount() >= MAX_ACTIVE) break;
      if (row.state === "queued") void start(row);
    }
  }

  function serverMessage(err: Error): { status: number; message: string | null } {
    const res = (err as tus.DetailedError).originalResponse ?? null;
    const status = res?.getStatus() ?? 0;
    const type = res?.getHeader("Content-Type") ?? "";
    const body = (res?.getBody() ?? "").trim();
    // Only the server's short plain-text messages are shown; never HTML pages or traces.
    const message = body && type.startsWith("text/plain") && body.length <= 500 ? body : null;
    return { status, message };
  }

  const isClientError = (status: number) => status >= 400 && status < 500 && status !== 409 && status !== 423;

  async function start(row: Row): Promise<void> {
    const attempt = ++row.attempt;
    const current = () => row.attempt === attempt && !destroyed;
    setState(row, "starting");
    row.samples = [];
    const metadata: Record<string, string> = { filename: row.file.name, filetype: row.file.type || "application/octet-stream" };
    if (replace) metadata.replace = replace;
    const upload =
      row.upload ??
      new tus.Upload(row.file, {
        endpoint,
        chunkSize,
        retryDelays: RETRY_DELAYS,
        metadata,
        headers: { "X-CSRF-Token": csrfToken() },
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onAfterResponse(req, res) {
          // The HEAD of a resumed upload tells how far the server got.
          if (!current() || !row.resuming || req.getMethod() !== "HEAD" || res.getStatus() >= 300) return;
          const offset = Number(res.getHeader("Upload-Offset"));
          if (Number.isFinite(offset) && row.file.size > 0) {
            const percent = Math.floor((offset / row.file.size) * 100);
            setProgress(row, offset, row.file.size);
            setState(row, "uploading", fill(labels.resuming, { name: row.file.name, percent }));
            row.holdUntil = performance.now() + 3000;
          }
          row.resuming = false;
        },
        onProgress(sent, total) {
          if (!current()) return;
          if (row.state !== "uploading") setState(row, "uploading");
          else if (performance.now() > row.holdUntil) row.status.textContent = labels.uploading;
          setProgress(row, sent, total);
          updateSpeed(row);
        },
        onShouldRetry(err) {
          if (!current()) return false;
          const { status } = serverMessage(err);
          if (isClientError(status)) return false;
          setState(row, "offline");
          return true;
        },
        onError(err) {
          if (!current()) return;
          const { status, message } = serverMessage(err);
          if (status === 0 && (err as tus.DetailedError).originalRequest) {
            // The network is down: keep trying until it is back or the user cancels.
            // (A server error that outlived tus-js-client's retries fails, with a Retry button.)
            setState(row, "offline");
            keepRetrying(row, attempt);
            return;
          }
          setState(row, "failed", message ?? labels.failed);
          pump();
        },
        onSuccess() {
          if (!current()) return;
          setProgress(row, row.file.size, row.file.size);
          setState(row, "done");
          finished(row);
          pump();
        },
      });
    row.upload = upload;
    if (!upload.url) {
      try {
        const previous = (await upload.findPreviousUploads())
          .filter((p) => (p.metadata?.replace ?? "") === replace && p.uploadUrl)
          .sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
        if (previous[0]) {
          upload.resumeFromPreviousUpload(previous[0]);
          row.resuming = true;
        }
      } catch {
        // No storage (private mode): start afresh.
      }
    }
    if (!current() || row.state !== "starting") return; // paused or cancelled meanwhile
    upload.start();
  }

  function keepRetrying(row: Row, attempt: number): void {
    window.clearTimeout(row.retryTimer);
    const again = () => {
      window.removeEventListener("online", again);
      window.clearTimeout(row.retryTimer);
      if (row.attempt === attempt && row.state === "offline" && !destroyed) row.upload?.start();
    };
    window.addEventListener("online", again);
    row.retryTimer = window.setTimeout(again, KEEP_RETRYING_MS);
  }

  function onToggle(row: Row): void {
    if (row.state === "paused" || row.state === "failed") {
      if (row.state === "failed") {
        row.upload = null; // a fresh upload (which still resumes from the stored offset)
        row.milestone = 0;
      }
      row.attempt++;
      setState(row, "queued");
      // Resumed uploads go first.
      rows.splice(rows.indexOf(row), 1);
      rows.unshift(row);
      pump();
      return;
    }
    if (row.state === "queued" || row.state === "starting" || row.state === "uploading" || row.state === "offline") {
      row.attempt++;
      window.clearTimeout(row.retryTimer);
      void row.upload?.abort(false);
      setState(row, "paused");
      pump();
    }
  }

  function onCancel(row: Row): void {
    row.attempt++;
    window.clearTimeout(row.retryTimer);
    // Terminates the upload on the server (tus DELETE) and forgets its stored URL.
    row.upload?.abort(true).catch(() => {});
    rows.splice(rows.indexOf(row), 1);
    removeRow(row);
    pump();
  }

  function removeRow(row: Row): void {
    const next = row.el.nextElementSibling?.querySelector<HTMLButtonElement>("button:not([hidden])");
    const hadFocus = row.el.contains(document.activeElement);
    row.el.classList.add("is-leaving");
    window.setTimeout(() => row.el.remove(), 180);
    if (hadFocus) (next ?? input)?.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------------------------------------
  // Finished uploads: refresh the media list, then let the row go.

  let refreshTimer = 0;
  const waiting = new Set<Row>();

  function finished(row: Row): void {
    const selector = root.dataset.refresh;
    const target = selector ? document.querySelector(selector) : null;
    const htmx = (window as unknown as { htmx?: HtmxGlobal }).htmx;
    waiting.add(row);
    if (target && htmx) {
      window.clearTimeout(refreshTimer);
      refreshTimer = window.setTimeout(() => htmx.trigger(target, "refresh"), 250);
    }
    // In case the list never refreshes.
    window.setTimeout(() => dropDone(row), target && htmx ? DONE_FALLBACK_MS : DONE_FALLBACK_MS / 2);
  }

  function dropDone(row: Row): void {
    if (!waiting.delete(row)) return;
    const i = rows.indexOf(row);
    if (i >= 0) rows.splice(i, 1);
    removeRow(row);
  }

  const onSettle = (event: Event) => {
    const selector = root.dataset.refresh;
    const el = event.target as Element | null;
    if (!selector || !el?.closest?.(selector) && !el?.querySelector?.(selector)) return;
    for (const row of waiting) window.setTimeout(() => dropDone(row), DONE_LINGER_MS);
  };
  document.addEventListener("htmx:afterSettle", onSettle);

  // The browser knows first that the network is gone.
  const onOffline = () => {
    for (const row of rows) if (row.state === "uploading" || row.state === "starting") setState(row, "offline");
  };
  window.addEventListener("offline", onOffline);

  // Leaving the page mid-upload: the browser asks first (the upload would resume next time anyway).
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (activeCount() > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  };
  window.addEventListener("beforeunload", onBeforeUnload);

  return {
    destroy() {
      destroyed = true;
      document.removeEventListener("htmx:afterSettle", onSettle);
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("offline", onOffline);
      for (const row of rows) {
        window.clearTimeout(row.retryTimer);
        void row.upload?.abort(false);
      }
    },
  };
}

autoMount("[data-uploader]", mountUploader);
