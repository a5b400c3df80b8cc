// The page builder island (marketing/editor/editor.html): the document model with undo/redo
// (buttons and Ctrl/Cmd+Z, Shift+Z), the outline (drag by the handle, or move up/down buttons),
// the palette, the settings panel generated from the section spec, in-place editing in the
// framed canvas, autosave one second after the last change (409: reload or overwrite; 422: the
// problems beside their fields), phone/desktop widths, publish and restoring a version.

import { autoMount, csrfToken, type Island } from "./shared";
import { Canvas } from "./page-builder/canvas";
import { type InspectorHost, pageForm, sectionForm } from "./page-builder/inspector";
import { History, type Labels, type Setup, type State, blank, newId, setPath, tr } from "./page-builder/model";
import { Outline } from "./page-builder/outline";

async function send(url: string, body: unknown, method = "POST"): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, body: json };
}

function mount(root: HTMLElement): Island {
  const setup = JSON.parse(root.dataset.setup || "{}") as Setup;
  const labels = JSON.parse(root.dataset.labels || "{}") as Labels;
  const js = labels.js;
  const base = `/admin/pages/${setup.page.id}`;
  const q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);

  let state: State = {
    title: setup.page.title,
    slug: setup.page.slug,
    doc: { sections: setup.document.sections ?? [], seo: { title: "", description: "", image: "", noindex: false, ...setup.document.seo } },
  };
  let revision = setup.page.revision;
  let savedAt = Date.parse(setup.page.saved_at) || Date.now();
  let dirty = false;
  let saving: Promise<void> | null = null;
  let saveTimer = 0;
  let selected = "";
  let problems: Record<string, string> = {};
  const history = new History(JSON.stringify(state));

  const savedEl = q<HTMLElement>("[data-builder-saved]")!;
  const inspector = q<HTMLElement>("[data-builder-inspector]")!;
  const toastBox = q<HTMLElement>("[data-builder-toast]")!;
  const undoBtn = q<HTMLButtonElement>("[data-builder-undo]")!;
  const redoBtn = q<HTMLButtonElement>("[data-builder-redo]")!;

  const toast = (text: string, kind = "success", actions: [string, () => void][] = []) => {
    const t = document.createElement("div");
    t.className = `toast toast-${kind} pointer-events-auto flex items-center gap-3`;
    t.setAttribute("role", kind === "error" ? "alert" : "status");
    const p = document.createElement("p");
    p.className = "flex-1";
    p.textContent = text;
    t.append(p);
    for (const [label, fn] of actions) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-secondary btn-sm";
      b.textContent = label;
      b.addEventListener("click", () => {
        t.remove();
        fn();
      });
      t.append(b);
    }
    toastBox.replaceChildren(t);
    if (!actions.length) window.setTimeout(() => t.remove(), 5000);
  };

  const showSaved = () => {
    if (saving) savedEl.textContent = js.saving;
    else if (dirty) savedEl.textContent = js.unsaved;
    else {
      const s = Math.max(0, Math.round((Date.now() - savedAt) / 1000));
      savedEl.textContent = s < 5 ? js.saved : s < 60 ? tr(js["saved-seconds"], { n: s }) : tr(js["saved-minutes"], { n: Math.floor(s / 60) });
    }
  };
  const ticker = window.setInterval(showSaved, 5000);

  const save = async (): Promise<void> => {
    window.clearTimeout(saveTimer);
    if (!dirty) return;
    dirty = false;
    const sent = { revision, document: state.doc, title: state.title, slug: state.slug };
    saving = (async () => {
      showSaved();
      try {
        const { status, body } = await send(`${base}/draft`, sent);
        if (status === 200) {
          revision = Number(body.revision);
          savedAt = Date.now();
          setProblems({});
        } else if (status === 409) {
          dirty = true;
          toast(String(body.message), "error", [
            [js.reload, () => window.location.reload()],
            [js.overwrite, () => { revision = Number(body.revision); void save(); }],
          ]);
        } else if (status === 422) {
          setProblems((body.problems as Record<string, string>) ?? {});
          toast(js.problems, "error");
        } else {
          dirty = true;
          savedEl.textContent = js.offline;
          saveTimer = window.setTimeout(() => void save(), 5000);
        }
      } catch {
        dirty = true;
        savedEl.textContent = js.offline;
        saveTimer = window.setTimeout(() => void save(), 5000);
      }
    })();
    await saving;
    saving = null;
    showSaved();
    if (dirty && !saveTimer) scheduleSave();
  };
  const scheduleSave = () => {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => void save(), 1000);
  };

  const index = () => state.doc.sections.findIndex((s) => s.id === selected);

  const host: InspectorHost = {
    labels,
    courses: setup.courses,
    offers: setup.offers,
    forms: setup.forms,
    timeZone: setup.time_zone,
    problems: {},
    set(path, value, typing) {
      const i = index();
      if (path === "title" || path === "slug") state[path] = String(value);
      else if (path.startsWith("seo.")) setPath(state.doc.seo as unknown as Record<string, unknown>, path.slice(4), value);
      else if (i >= 0) setPath(state.doc.sections[i].data, path, value);
      changed(`${selected}:${path}`, !typing);
      if (path === "title") q<HTMLElement>("[data-builder-title]")!.textContent = String(value);
    },
    pickMedia,
  };

  const drawInspector = () => {
    host.problems = problems;
    const i = index();
    const kind = i >= 0 ? setup.spec.find((k) => k.kind === state.doc.sections[i].kind) : undefined;
    const focused = document.activeElement && inspector.contains(document.activeElement) ? (document.activeElement as HTMLElement).id : "";
    const scroll = inspector.scrollTop;
    inspector.replaceChildren(
      kind ? sectionForm(host, kind.fields, state.doc.sections[i], i) : pageForm(host, { title: state.title, slug: state.slug, seo: state.doc.seo }),
    );
    if (!kind && selected === "") {
      const hint = document.createElement("p");
      hint.className = "px-4 pb-4 text-xs text-zinc-500";
      hint.textContent = js["select-section"];
      inspector.append(hint);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-ghost btn-sm lg:hidden";
    close.style.cssText = "position:absolute;right:.5rem;top:.5rem";
    close.textContent = js.close;
    close.addEventListener("click", () => inspector.classList.add("hidden"));
    inspector.prepend(close);
    inspector.scrollTop = scroll;
    if (focused) document.getElementById(focused)?.focus();
  };

  const outline = new Outline(q<HTMLElement>("[data-builder-outline]")!, {
    labels,
    problems: {},
    select: (id) => select(id, true),
    move(from, to) {
      if (to < 0 || to >= state.doc.sections.length) return;
      const [s] = state.doc.sections.splice(from, 1);
      state.doc.sections.splice(to, 0, s);
      changed("", true);
      toast(tr(js.moved, { n: to + 1 }));
      window.setTimeout(() => root.querySelector<HTMLElement>(`[data-builder-outline] li[data-id="${s.id}"] button[aria-current]`)?.focus(), 0);
    },
    duplicate(i) {
      const copy = JSON.parse(JSON.stringify(state.doc.sections[i]));
      copy.id = newId();
      state.doc.sections.splice(i + 1, 0, copy);
      selected = copy.id;
      changed("", true);
    },
    remove(i) {
      if (!window.confirm(js["delete-confirm"])) return;
      const [gone] = state.doc.sections.splice(i, 1);
      if (gone.id === selected) selected = "";
      changed("", true);
    },
  });

  const canvas = new Canvas(q<HTMLIFrameElement>("[data-builder-canvas]")!, `${base}/canvas`, {
    typed(id, field, text) {
      const s = state.doc.sections.find((x) => x.id === id);
      if (!s) return;
      setPath(s.data, field, text);
      if (selected !== id) select(id, false);
      history.push(state, `${id}:${field}`);
      dirty = true;
      showSaved();
      scheduleSave();
      syncButtons();
      const input = inspectorInput(field);
      if (input) input.value = text;
    },
    select: (id) => select(id, false),
    history: (redo) => step(redo),
    invalid(p) {
      if (p) setProblems(p);
    },
  });

  const inspectorInput = (field: string): HTMLInputElement | null =>
    inspector.querySelector<HTMLInputElement>(`[data-path="${CSS.escape(field)}"]`);

  function setProblems(p: Record<string, string>) {
    problems = p;
    host.problems = p;
    drawInspector();
    outline.render(state.doc.sections, selected);
  }

  function syncButtons() {
    undoBtn.disabled = !history.canUndo;
    redoBtn.disabled = !history.canRedo;
  }

  function select(id: string, scroll: boolean) {
    selected = id;
    outline.render(state.doc.sections, selected);
    drawInspector();
    canvas.mark(id, scroll);
    inspector.classList.remove("hidden");
  }

  /** After any change: history, outline, settings, canvas, autosave. */
  function changed(key: string, redraw: boolean) {
    history.push(state, redraw ? "" : key);
    dirty = true;
    showSaved();
    syncButtons();
    outline.render(state.doc.sections, selected);
    if (redraw) drawInspector();
    canvas.refresh(state);
    scheduleSave();
  }

  function step(redo: boolean) {
    const next = redo ? history.redo() : history.undo();
    if (!next) return;
    state = next;
    if (!state.doc.sections.some((s) => s.id === selected)) selected = "";
    q<HTMLElement>("[data-builder-title]")!.textContent = state.title;
    dirty = true;
    syncButtons();
    outline.render(state.doc.sections, selected);
    drawInspector();
    canvas.refresh(state);
    scheduleSave();
  }

  async function pickMedia(kind: "image" | "video"): Promise<{ id: string; title: string } | null> {
    const dialog = document.createElement("dialog");
    dialog.className = "picker-dialog";
    dialog.setAttribute("aria-label", js["choose-media"]);
    dialog.innerHTML = `<div class="flex items-center justify-end border-b border-zinc-200 px-4 py-2"><button type="button" class="btn btn-ghost btn-sm" data-close></button></div><div class="max-h-[70vh] overflow-y-auto p-4" data-list></div>`;
    dialog.querySelector<HTMLElement>("[data-close]")!.textContent = js.close;
    root.append(dialog);
    dialog.showModal();
    const res = await fetch(`/admin/media/picker?kind=${kind}`, { credentials: "same-origin", headers: { "HX-Request": "true" } });
    dialog.querySelector<HTMLElement>("[data-list]")!.innerHTML = res.ok ? await res.text() : `<p class="text-sm">${js.error}</p>`;
    return new Promise((resolve) => {
      dialog.addEventListener("click", (e) => {
        const t = e.target as HTMLElement;
        const pick = t.closest<HTMLElement>("[data-pick]");
        if (pick) {
          resolve({ id: pick.dataset.pick ?? "", title: pick.dataset.title ?? "" });
          dialog.close();
        } else if (t.closest("[data-close]")) dialog.close();
      });
      dialog.addEventListener("close", () => {
        resolve(null);
        dialog.remove();
      });
    });
  }

  // The palette adds a blank section after the selected one (or at the end) and selects it.
  for (const b of root.querySelectorAll<HTMLButtonElement>("[data-builder-add]")) {
    b.addEventListener("click", () => {
      const kind = setup.spec.find((k) => k.kind === b.dataset.builderAdd);
      if (!kind) return;
      const s = blank(kind);
      const i = index();
      state.doc.sections.splice(i >= 0 ? i + 1 : state.doc.sections.length, 0, s);
      selected = s.id;
      changed("", true);
      inspector.classList.remove("hidden");
      window.setTimeout(() => canvas.mark(s.id, true), 400);
    });
  }
  // Phones: the outline slides over the canvas; the settings sheet closes with its button.
  const left = q<HTMLElement>("[data-builder-left]")!;
  const leftToggle = q<HTMLButtonElement>("[data-builder-toggle-left]");
  const showLeft = (open: boolean) => {
    left.classList.toggle("hidden", !open);
    left.classList.toggle("flex", open);
    leftToggle?.setAttribute("aria-expanded", String(open));
  };
  leftToggle?.addEventListener("click", () => showLeft(left.classList.contains("hidden")));
  left.addEventListener("click", (e) => {
    if (window.innerWidth < 768 && (e.target as Element).closest("[data-builder-add], button[aria-current], [data-builder-page-settings]")) showLeft(false);
  });
  q<HTMLButtonElement>("[data-builder-page-settings]")?.addEventListener("click", () => select("", false));
  undoBtn.addEventListener("click", () => step(false));
  redoBtn.addEventListener("click", () => step(true));
  const onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "z") return;
    const t = e.target as HTMLElement;
    if (t.matches("input, textarea, select")) return;
    e.preventDefault();
    step(e.shiftKey);
  };
  document.addEventListener("keydown", onKey);

  for (const b of root.querySelectorAll<HTMLButtonElement>("[data-builder-device]")) {
    b.addEventListener("click", () => {
      const phone = b.dataset.builderDevice === "phone";
      canvas.width(phone);
      for (const o of root.querySelectorAll<HTMLButtonElement>("[data-builder-device]")) {
        o.setAttribute("aria-pressed", String(o === b));
        o.classList.toggle("bg-white", o === b);
        o.classList.toggle("shadow-sm", o === b);
      }
    });
  }
  q<HTMLButtonElement>("[data-builder-open='versions']")?.addEventListener("click", () =>
    q<HTMLDialogElement>("[data-builder-dialog='versions']")?.showModal(),
  );

  q<HTMLFormElement>("[data-builder-publish]")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    dirty = dirty || saveTimer !== 0;
    await save();
    if (saving) await saving;
    const { status, body } = await send(`${base}/publish`, {});
    if (status === 200) toast(String(body.message));
    else if (status === 422) {
      setProblems((body.problems as Record<string, string>) ?? {});
      toast(js.problems, "error");
    } else toast(js.error, "error");
  });
  for (const form of root.querySelectorAll<HTMLFormElement>("[data-builder-restore]")) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      await save();
      const { status, body } = await send(form.action, {});
      if (status !== 200) return toast(js.error, "error");
      revision = Number(body.revision);
      state = { ...state, doc: body.document as State["doc"] };
      selected = "";
      history.push(state);
      savedAt = Date.now();
      syncButtons();
      outline.render(state.doc.sections, selected);
      drawInspector();
      canvas.refresh(state);
      form.closest("dialog")?.close();
      toast(String(body.message));
    });
  }
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (dirty || saving) {
      void save();
      e.preventDefault();
    }
  };
  window.addEventListener("beforeunload", beforeUnload);

  outline.render(state.doc.sections, selected);
  drawInspector();
  syncButtons();
  showSaved();

  return {
    destroy() {
      window.clearInterval(ticker);
      window.clearTimeout(saveTimer);
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("beforeunload", beforeUnload);
      outline.destroy();
    },
  };
}

autoMount("[data-page-builder]", mount);
