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
//   data-labels        JSON of the visible words (uploader/row.ts, LABELS)

import * as tus from "tus-js-client";

import { autoMount, csrfToken, fill, formatBytes, h, liveRegion, readLabels, type Island } from "./shared";
import { LABELS, Row } from "./uploader/row";

const MAX_ACTIVE = 2;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
/** After tus-js-client has used up its retries: try again this often while the network is down. */
const KEEP_RETRYING_MS = 15000;
const DONE_LINGER_MS = 2500;
const DONE_FALLBACK_MS = 8000;

type HtmxGlobal = { trigger(el: Element, name: string): void };

function mountUploader(root: HTMLElement): Island {
  if (!tus.isSupported) return { destroy() {} }; // the server's plain form still works
  const labels = readLabels(root, LABELS);
  const endpoint = root.dataset.endpoint || "";
  const maxBytes = Number(root.dataset.maxBytes) || Infinity;
  const chunkSize = Number(root.dataset.chunkBytes) || Infinity;
  const replace = root.dataset.replace || "";
  const list =
    root.querySelector<HTMLElement>("[data-uploader-list]") ??
    root.appendChild(h("ul", "", { "data-uploader-list": "" }));
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
      const row = new Row(file, labels, say);
      row.toggle.addEventListener("click", () => onToggle(row));
      row.cancel.addEventListener("click", () => onCancel(row));
      rows.push(row);
      list.appendChild(row.el);
      if (file.size === 0) row.refuse(fill(labels.empty, { name: file.name }));
      else if (file.size > maxBytes)
        row.refuse(fill(labels.too_large, { name: file.name, max: formatBytes(maxBytes) }));
      else row.setState("queued");
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
  // The queue and tus

  const activeCount = () =>
    rows.filter((r) => r.state === "starting" || r.state === "uploading" || r.state === "offline").length;

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
    row.running = attempt;
    // The same Upload object is started again after a pause: its callbacks check the row's
    // current run, not the one they were created in.
    const current = () => row.attempt === row.running && !destroyed;
    row.setState("starting");
    row.restart();
    const metadata: Record<string, string> = {
      filename: row.file.name,
      filetype: row.file.type || "application/octet-stream",
    };
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
          // (A refused HEAD: the server forgot it, and tus-js-client starts a new upload.)
          if (!current() || !row.resuming || req.getMethod() !== "HEAD") return;
          const offset = Number(res.getHeader("Upload-Offset"));
          if (res.getStatus() < 300 && Number.isFinite(offset)) row.resumedAt(offset);
          row.resuming = false;
        },
        onProgress(sent) {
          if (current()) row.uploaded(sent);
        },
        onShouldRetry(err) {
          if (!current()) return false;
          const { status } = serverMessage(err);
          if (isClientError(status)) return false;
          row.setState("offline");
          return true;
        },
        onError(err) {
          if (!current()) return;
          const { status, message } = serverMessage(err);
          if (status === 0 && (err as tus.DetailedError).originalRequest) {
            // The network is down: keep trying until it is back or the user cancels.
            // (A server error that outlived tus-js-client's retries fails, with a Retry button.)
            row.setState("offline");
            keepRetrying(row, row.attempt);
            return;
          }
          // A refusal (4xx: too big, not allowed, session gone) would only be refused again: no Retry.
          if (isClientError(status)) row.refuse(message ?? labels.failed);
          else row.setState("failed", message ?? labels.failed);
          pump();
        },
        onSuccess() {
          if (!current()) return;
          row.progress(row.file.size);
          row.setState("done");
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
      if (row.state === "failed") row.upload = null; // a fresh upload (it still resumes from the stored offset)
      row.attempt++;
      row.setState("queued");
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
      row.setState("paused");
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
    if (!selector || (!el?.closest?.(selector) && !el?.querySelector?.(selector))) return;
    for (const row of waiting) window.setTimeout(() => dropDone(row), DONE_LINGER_MS);
  };
  document.addEventListener("htmx:afterSettle", onSettle);

  // The browser knows first that the network is gone.
  const onOffline = () => {
    for (const row of rows) if (row.state === "uploading" || row.state === "starting") row.setState("offline");
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
