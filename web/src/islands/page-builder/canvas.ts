// The canvas: the draft framed from /admin/pages/{id}/canvas. Text fields the section templates
// mark with data-field become editable in place (plain text only); clicking a section selects it.
// After a change that is not typed in place, the sections are re-rendered by the server from the
// unsaved document and swapped in, keeping the scroll position.

import { csrfToken } from "../shared";
import type { State } from "./model";

/** What the canvas tells the editor. */
export interface CanvasHost {
  /** Text typed in place into `field` of section `id`. */
  typed(id: string, field: string, text: string): void;
  /** A section was clicked. */
  select(id: string): void;
  /** Undo (false) or redo (true) asked for from inside the frame. */
  history(redo: boolean): void;
  /** The server refused the document (its problems), or accepted it (null). */
  invalid(problems: Record<string, string> | null): void;
}

/** Binds the frame's sections to the editor. */
export class Canvas {
  private timer = 0;
  private seq = 0;
  private selected = "";

  constructor(
    private frame: HTMLIFrameElement,
    private url: string,
    private host: CanvasHost,
  ) {
    frame.addEventListener("load", () => this.bind());
    if (frame.contentDocument?.readyState === "complete") this.bind();
  }

  private get doc(): Document | null {
    return this.frame.contentDocument;
  }

  private bind(): void {
    const doc = this.doc;
    if (!doc) return;
    doc.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
        e.preventDefault();
        this.host.history(e.shiftKey);
      }
    });
    doc.addEventListener("click", (e) => {
      const target = e.target as Element;
      // Links and buttons in the canvas do not navigate away from the editor.
      if (target.closest("a, button, form")) e.preventDefault();
      const section = target.closest<HTMLElement>("[data-section]");
      if (section?.dataset.section) this.host.select(section.dataset.section);
    });
    doc.addEventListener("submit", (e) => e.preventDefault());
    this.editable();
    this.mark(this.selected);
  }

  /** Makes every `data-field` element of the frame editable in place. */
  private editable(): void {
    const doc = this.doc;
    if (!doc) return;
    for (const f of doc.querySelectorAll<HTMLElement>("[data-section] [data-field]")) {
      if (f.dataset.bound) continue;
      f.dataset.bound = "1";
      const section = f.closest<HTMLElement>("[data-section]")?.dataset.section ?? "";
      const field = f.dataset.field ?? "";
      try {
        f.contentEditable = "plaintext-only";
      } catch {
        f.contentEditable = "true";
      }
      f.spellcheck = true;
      f.setAttribute("role", "textbox");
      f.addEventListener("paste", (e) => {
        e.preventDefault();
        const text = e.clipboardData?.getData("text/plain") ?? "";
        f.ownerDocument.execCommand("insertText", false, text);
      });
      f.addEventListener("keydown", (e) => {
        // One-line fields end at Enter; Escape leaves the field.
        if ((e.key === "Enter" && !f.matches("p, div, blockquote")) || e.key === "Escape") {
          e.preventDefault();
          f.blur();
        }
      });
      f.addEventListener("input", () => this.host.typed(section, field, f.innerText.replace(/\u00a0/g, " ")));
    }
  }

  /** Outlines the selected section and brings it into view. */
  mark(id: string, scroll = false): void {
    this.selected = id;
    const doc = this.doc;
    if (!doc) return;
    for (const s of doc.querySelectorAll<HTMLElement>("[data-section]")) {
      if (s.dataset.section === id) {
        s.setAttribute("data-selected", "");
        if (scroll) s.scrollIntoView({ block: "nearest", behavior: "smooth" });
      } else s.removeAttribute("data-selected");
    }
  }

  /** Re-renders the sections from `state` soon (changes in a row make one request). */
  refresh(state: State): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.render(state), 200);
  }

  private async render(state: State): Promise<void> {
    const seq = ++this.seq;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), Accept: "text/html" },
        body: JSON.stringify(state.doc),
      });
    } catch {
      return;
    }
    if (seq !== this.seq) return;
    if (res.status === 422) {
      const body = (await res.json().catch(() => ({}))) as { problems?: Record<string, string> };
      this.host.invalid(body.problems ?? {});
      return;
    }
    if (!res.ok) return;
    const html = await res.text();
    const main = this.doc?.querySelector("[data-canvas]");
    if (!main || seq !== this.seq) return;
    this.host.invalid(null);
    main.innerHTML = html;
    this.editable();
    this.mark(this.selected);
  }

  /** The frame at phone width (390 px) or full width. */
  width(phone: boolean): void {
    this.frame.style.maxWidth = phone ? "390px" : "";
  }
}
