// The email editor (crates/marketing/templates/marketing/email/editor.html): the block list with
// per-block settings, reordered by drag (SortableJS) or buttons, autosave with the revision
// (409 from a stale tab keeps what was typed), undo/redo, the plain-text tab with "regenerate",
// and the preview iframe at 390 px or desktop width for a chosen contact.

import Sortable from "sortablejs";
import { autoMount, csrfToken, type Island } from "./shared";

type Block = Record<string, unknown> & { id: string; kind: string };
type Choice = { id: string; label: string };
interface Setup {
  email: { id: string; name: string; subject: string; preheader: string; revision: number; text_body: string | null };
  doc: { blocks: Block[] };
  column_kinds: string[];
  courses: Choice[];
  offers: Choice[];
  images: Choice[];
  generated_text: string;
}
interface Labels {
  js: Record<string, string>;
  kind: Record<string, string>;
}

const uid = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now() + Math.random()));

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

function blank(kind: string): Block {
  const b: Block = { id: uid(), kind };
  if (kind === "heading") Object.assign(b, { text: "", level: "1" });
  if (kind === "text") b.html = "<p></p>";
  if (kind === "image") Object.assign(b, { media_id: "", alt: "", link: "" });
  if (kind === "button") Object.assign(b, { label: "", url: "", color: "" });
  if (kind === "columns") b.columns = [[], []];
  if (kind === "course") b.course_id = "";
  if (kind === "product") b.offer_id = "";
  return b;
}

function mount(root: HTMLElement): Island {
  const setup = JSON.parse(root.dataset.setup || "{}") as Setup;
  const labels = JSON.parse(root.dataset.labels || "{}") as Labels;
  const L = (k: string) => labels.js?.[k] ?? k;
  const id = setup.email.id;
  let revision = setup.email.revision;
  let blocks: Block[] = setup.doc.blocks ?? [];
  let textBody: string | null = setup.email.text_body;
  const list = root.querySelector<HTMLElement>("[data-email-blocks]")!;
  const status = root.querySelector<HTMLElement>("[data-email-saved]");
  const problem = root.querySelector<HTMLElement>("[data-email-problem]");
  const frame = root.querySelector<HTMLIFrameElement>("[data-email-preview]");
  const undoBtn = root.querySelector<HTMLButtonElement>("[data-email-undo]");
  const redoBtn = root.querySelector<HTMLButtonElement>("[data-email-redo]");
  const textArea = root.querySelector<HTMLTextAreaElement>("[data-email-text]");
  let contact = "";
  let timer = 0;
  let saving = false;
  let dirty = false;
  let stale = false;
  const undo: string[] = [];
  const redo: string[] = [];
  const sortables: Sortable[] = [];

  const field = (name: string) => root.querySelector<HTMLInputElement>(`[data-email-field="${name}"]`)?.value ?? "";
  const say = (msg: string) => {
    if (status) status.textContent = msg;
  };
  const showProblem = (msg: string | null) => {
    if (!problem) return;
    problem.textContent = msg ?? "";
    problem.classList.toggle("hidden", !msg);
  };
  const refreshPreview = () => {
    if (frame) frame.src = `/admin/emails/${id}/preview${contact ? `?contact=${encodeURIComponent(contact)}` : ""}`;
  };

  const snapshot = () => JSON.stringify(blocks);
  const remember = () => {
    undo.push(snapshot());
    if (undo.length > 100) undo.shift();
    redo.length = 0;
    syncHistory();
  };
  const syncHistory = () => {
    if (undoBtn) undoBtn.disabled = undo.length === 0;
    if (redoBtn) redoBtn.disabled = redo.length === 0;
  };

  async function save(): Promise<void> {
    if (saving || stale) return;
    saving = true;
    dirty = false;
    say(L("saving"));
    try {
      const res = await fetch(`/admin/emails/${id}/draft`, {
        method: "PUT",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrfToken() },
        body: JSON.stringify({
          revision, name: field("name"), subject: field("subject"), preheader: field("preheader"),
          doc: { blocks }, text_body: textBody,
        }),
      });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) {
        revision = body.revision as number;
        say(L("saved"));
        showProblem((body.warning as string) ?? null);
        list.querySelectorAll(".field-error").forEach((e) => e.remove());
        refreshPreview();
      } else if (res.status === 409) {
        stale = true;
        say(L("conflict"));
        showProblem(body.message as string);
      } else if (res.status === 422) {
        say(L("unsaved"));
        showProblem(body.message as string);
        for (const [bid, msg] of Object.entries((body.problems as Record<string, string>) ?? {})) {
          const li = list.querySelector(`[data-block-id="${CSS.escape(bid)}"]`);
          if (li && !li.querySelector(".field-error")) li.appendChild(el("p", { class: "field-error text-xs text-red-700" }, msg));
        }
      } else say(L("error"));
    } catch {
      say(L("error"));
    } finally {
      saving = false;
      if (dirty) schedule();
    }
  }
  function schedule(): void {
    dirty = true;
    say(L("unsaved"));
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void save(), 800);
  }
  const changed = () => {
    schedule();
  };

  function input(b: Block, key: string, label: string, type = "text"): HTMLElement {
    const wrap = el("label", { class: "flex flex-col gap-1 text-xs text-zinc-600" }, label);
    const i = el("input", { class: "input w-full text-sm", type, "data-setting": key });
    i.value = String(b[key] ?? "");
    i.addEventListener("focus", remember, { once: true });
    i.addEventListener("input", () => {
      b[key] = i.value;
      changed();
    });
    wrap.appendChild(i);
    return wrap;
  }
  function select(b: Block, key: string, label: string, choices: Choice[]): HTMLElement {
    const wrap = el("label", { class: "flex flex-col gap-1 text-xs text-zinc-600" }, label);
    const s = el("select", { class: "input w-full text-sm", "data-setting": key });
    s.appendChild(el("option", { value: "" }, L("none")));
    for (const c of choices) s.appendChild(el("option", { value: c.id }, c.label));
    s.value = String(b[key] ?? "");
    s.addEventListener("change", () => {
      remember();
      b[key] = s.value;
      changed();
    });
    wrap.appendChild(s);
    return wrap;
  }
  function rich(b: Block): HTMLElement {
    const wrap = el("div", { class: "flex flex-col gap-1" });
    const bar = el("div", { class: "flex gap-1" });
    const area = el("div", {
      class: "input min-h-20 w-full text-sm", contenteditable: "true", role: "textbox", "aria-multiline": "true",
      "aria-label": L("html"), "data-setting": "html",
    });
    area.innerHTML = String(b.html ?? "");
    const cmd = (name: string, label: string, fn: () => void) => {
      const btn = el("button", { type: "button", class: "btn btn-ghost btn-sm", "aria-label": label }, label);
      btn.addEventListener("mousedown", (e) => e.preventDefault());
      btn.addEventListener("click", () => {
        remember();
        fn();
        b.html = area.innerHTML;
        changed();
      });
      btn.dataset.cmd = name;
      bar.appendChild(btn);
    };
    cmd("bold", L("bold"), () => document.execCommand("bold"));
    cmd("italic", L("italic"), () => document.execCommand("italic"));
    cmd("link", L("link"), () => {
      const url = window.prompt(L("link-prompt"), "https://");
      if (url) document.execCommand("createLink", false, url);
    });
    area.addEventListener("focus", remember, { once: true });
    area.addEventListener("input", () => {
      b.html = area.innerHTML;
      changed();
    });
    wrap.append(bar, area);
    return wrap;
  }

  function settings(b: Block): HTMLElement {
    const box = el("div", { class: "flex flex-col gap-2" });
    switch (b.kind) {
      case "heading": {
        box.appendChild(input(b, "text", L("text")));
        box.appendChild(select(b, "level", L("level"), [{ id: "1", label: L("level-1") }, { id: "2", label: L("level-2") }]));
        break;
      }
      case "text":
        box.appendChild(rich(b));
        break;
      case "image":
        box.append(select(b, "media_id", L("choose-image"), setup.images), input(b, "alt", L("alt")), input(b, "link", L("image-link"), "url"));
        break;
      case "button": {
        box.append(input(b, "label", L("label")), input(b, "url", L("url")));
        const c = input(b, "color", L("color"));
        c.querySelector("input")!.placeholder = L("color-brand");
        box.appendChild(c);
        break;
      }
      case "course":
        box.appendChild(select(b, "course_id", L("course"), setup.courses));
        break;
      case "product":
        box.appendChild(select(b, "offer_id", L("product"), setup.offers));
        break;
      case "footer":
        box.appendChild(el("p", { class: "text-xs text-zinc-500" }, L("footer-note")));
        break;
      case "columns": {
        const grid = el("div", { class: "grid grid-cols-1 gap-2 sm:grid-cols-2" });
        const cols = (b.columns as Block[][]) ?? [[], []];
        b.columns = cols;
        ["column-left", "column-right"].forEach((name, i) => {
          const col = el("div", { class: "rounded-lg border border-zinc-200 bg-zinc-50 p-2", "data-column": String(i) });
          col.appendChild(el("p", { class: "text-xs font-medium text-zinc-600" }, L(name)));
          const ol = el("ol", { class: "mt-2 flex flex-col gap-2" });
          renderList(ol, cols[i] ?? (cols[i] = []));
          const add = el("select", { class: "input mt-2 w-full text-sm", "aria-label": L("add-to-column") });
          add.appendChild(el("option", { value: "" }, L("add-to-column")));
          for (const k of setup.column_kinds) add.appendChild(el("option", { value: k }, labels.kind[k] ?? k));
          add.addEventListener("change", () => {
            if (!add.value) return;
            remember();
            cols[i].push(blank(add.value));
            add.value = "";
            changed();
            render();
          });
          col.append(ol, add);
          grid.appendChild(col);
        });
        box.appendChild(grid);
        break;
      }
    }
    return box;
  }

  function renderList(ol: HTMLElement, arr: Block[]): void {
    ol.replaceChildren();
    if (arr.length === 0 && ol === list) ol.appendChild(el("li", { class: "text-sm text-zinc-500" }, L("empty")));
    arr.forEach((b, i) => {
      const li = el("li", { class: "card p-3", "data-block-kind": b.kind, "data-block-id": b.id });
      const head = el("div", { class: "flex items-center gap-2" });
      const grip = el("span", { class: "cursor-grab text-zinc-400", "data-drag": "", title: L("drag"), "aria-hidden": "true" }, "⋮⋮");
      head.append(grip, el("span", { class: "min-w-0 flex-1 truncate text-sm font-medium" }, labels.kind[b.kind] ?? b.kind));
      const act = (name: string, sym: string, fn: () => void, disabled = false) => {
        const btn = el("button", { type: "button", class: "btn btn-ghost btn-sm", "aria-label": L(name), title: L(name), "data-action": name }, sym);
        btn.disabled = disabled;
        btn.addEventListener("click", () => {
          remember();
          fn();
          changed();
          render();
        });
        head.appendChild(btn);
      };
      act("move-up", "↑", () => arr.splice(i - 1, 0, ...arr.splice(i, 1)), i === 0);
      act("move-down", "↓", () => arr.splice(i + 1, 0, ...arr.splice(i, 1)), i === arr.length - 1);
      act("duplicate", "⧉", () => arr.splice(i + 1, 0, { ...(JSON.parse(JSON.stringify(b)) as Block), id: uid() }));
      act("delete", "✕", () => arr.splice(i, 1));
      li.append(head, settings(b));
      li.querySelector(".flex.flex-col.gap-2")?.classList.add("mt-2");
      ol.appendChild(li);
    });
    sortables.push(
      Sortable.create(ol, {
        handle: "[data-drag]",
        animation: 150,
        onEnd: (e) => {
          if (e.oldIndex === undefined || e.newIndex === undefined || e.oldIndex === e.newIndex) return;
          remember();
          arr.splice(e.newIndex, 0, ...arr.splice(e.oldIndex, 1));
          changed();
          render();
        },
      }),
    );
  }

  function render(): void {
    while (sortables.length) sortables.pop()?.destroy();
    renderList(list, blocks);
  }

  root.querySelectorAll<HTMLButtonElement>("[data-add-block]").forEach((btn) =>
    btn.addEventListener("click", () => {
      remember();
      const b = blank(btn.dataset.addBlock ?? "text");
      const footer = blocks.findIndex((x) => x.kind === "footer");
      if (footer >= 0 && b.kind !== "footer") blocks.splice(footer, 0, b);
      else blocks.push(b);
      changed();
      render();
      list.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(b.id)}"] input, [data-block-id="${CSS.escape(b.id)}"] [contenteditable]`)?.focus();
    }),
  );
  root.querySelectorAll<HTMLInputElement>("[data-email-field]").forEach((i) => i.addEventListener("input", changed));
  const step = (from: string[], to: string[]) => {
    const prev = from.pop();
    if (prev === undefined) return;
    to.push(snapshot());
    blocks = JSON.parse(prev) as Block[];
    syncHistory();
    changed();
    render();
  };
  undoBtn?.addEventListener("click", () => step(undo, redo));
  redoBtn?.addEventListener("click", () => step(redo, undo));

  // Tabs: blocks / plain text.
  root.querySelectorAll<HTMLButtonElement>("[data-email-tab]").forEach((tab) =>
    tab.addEventListener("click", () => {
      root.querySelectorAll<HTMLButtonElement>("[data-email-tab]").forEach((t) => t.setAttribute("aria-selected", String(t === tab)));
      root.querySelectorAll<HTMLElement>("[data-email-panel]").forEach((p) => (p.hidden = p.dataset.emailPanel !== tab.dataset.emailTab));
    }),
  );
  const textState = root.querySelector<HTMLElement>("[data-email-text-state]");
  textArea?.addEventListener("input", () => {
    textBody = textArea.value;
    changed();
  });
  root.querySelector("[data-email-regenerate]")?.addEventListener("click", async () => {
    textBody = null;
    await save();
    const res = await fetch(`/admin/emails/${id}/text`, { headers: { accept: "application/json" } });
    const body = (await res.json().catch(() => ({}))) as { text?: string; message?: string };
    if (textArea && body.text !== undefined) textArea.value = body.text;
    if (body.message) showProblem(body.message);
    if (textState) textState.textContent = "";
  });

  // Preview width and contact.
  root.querySelectorAll<HTMLButtonElement>("[data-email-width]").forEach((btn) =>
    btn.addEventListener("click", () => {
      root.querySelectorAll<HTMLButtonElement>("[data-email-width]").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
      if (frame) frame.style.maxWidth = `${btn.dataset.emailWidth}px`;
    }),
  );
  const search = root.querySelector<HTMLInputElement>("[data-email-contact-search]");
  const results = root.querySelector<HTMLElement>("[data-email-contact-list]");
  const who = root.querySelector<HTMLElement>("[data-email-preview-who]");
  let searchTimer = 0;
  search?.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(async () => {
      const res = await fetch(`/admin/emails/${id}/contacts?q=${encodeURIComponent(search.value)}`, { headers: { accept: "application/json" } });
      const found = (await res.json().catch(() => [])) as { id: string; email: string; name: string }[];
      results?.replaceChildren(
        ...found.map((c) => {
          const li = el("li", { role: "option", class: "cursor-pointer px-3 py-2 text-sm hover:bg-zinc-50", "data-contact": c.id, tabindex: "0" });
          li.append(el("span", { class: "font-medium" }, c.name || c.email), el("span", { class: "block text-xs text-zinc-500" }, c.email));
          const pick = () => {
            contact = c.id;
            if (who) who.textContent = `${c.name || c.email} · ${c.email}`;
            results.classList.add("hidden");
            search.value = c.email;
            refreshPreview();
          };
          li.addEventListener("click", pick);
          li.addEventListener("keydown", (e) => e.key === "Enter" && pick());
          return li;
        }),
      );
      results?.classList.toggle("hidden", found.length === 0);
    }, 250);
  });

  // Save before a test send, so the test is what is on screen.
  root.querySelector<HTMLFormElement>("[data-email-test]")?.addEventListener("submit", async (e) => {
    if (!dirty) return;
    e.preventDefault();
    window.clearTimeout(timer);
    await save();
    (e.target as HTMLFormElement).submit();
  });
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (dirty || saving) e.preventDefault();
  };
  window.addEventListener("beforeunload", beforeUnload);

  render();
  syncHistory();
  return {
    destroy() {
      window.clearTimeout(timer);
      window.removeEventListener("beforeunload", beforeUnload);
      while (sortables.length) sortables.pop()?.destroy();
    },
  };
}

autoMount("[data-email-editor]", mount);
