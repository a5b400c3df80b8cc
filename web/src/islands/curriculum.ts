// The curriculum island (courses/admin/curriculum.html): drag and drop of lessons (within and
// across modules) and of modules with SortableJS, keyboard reordering (Alt+ArrowUp/Down on a
// focused drag handle, and the "Move up/down" buttons without a page load), announced in an
// aria-live region, and inline rename (Enter saves, Esc cancels).
//
// Every change is saved by one POST of the whole new order to `data-order-url`; the server
// checks it against the course and rewrites every position. Without this script the page still
// works: the move buttons and menus are plain forms.

import Sortable from "sortablejs";

import { autoMount, csrfToken, fill, type Island } from "./shared";

type Dir = "up" | "down";

function post(url: string, body: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-CSRF-Token": csrfToken(),
      "HX-Request": "true",
      Accept: "application/json",
    },
    body: new URLSearchParams(body).toString(),
  });
}

async function problemText(res: Response, fallback: string): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: string };
    return body.detail || fallback;
  } catch {
    return fallback;
  }
}

function mount(root: HTMLElement): Island {
  const live = document.querySelector<HTMLElement>("[data-curriculum-live]");
  const msg = (key: string) => root.dataset[key] || "";
  let saved = root.dataset.order || "";
  let saving: Promise<void> = Promise.resolve();

  const announce = (text: string) => {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(() => (live.textContent = text), 30);
  };

  const modules = () => Array.from(root.querySelectorAll<HTMLElement>(":scope > [data-module-id]"));
  const lessonsOf = (module: HTMLElement) =>
    Array.from(module.querySelectorAll<HTMLElement>(":scope [data-lessons] > [data-lesson-id]"));
  const listOf = (module: HTMLElement) => module.querySelector<HTMLElement>("[data-lessons]")!;
  const titleOf = (row: HTMLElement) => row.querySelector<HTMLElement>("[data-title]")?.textContent?.trim() || "";

  const order = () =>
    modules()
      .map((m) => `${m.dataset.moduleId}:${lessonsOf(m).map((l) => l.dataset.lessonId).join(",")}`)
      .join(";");

  // Placeholders, counts and the disabled ends of the move buttons follow the DOM.
  const tidy = () => {
    const all = modules();
    all.forEach((m, mi) => {
      const list = listOf(m);
      const lessons = lessonsOf(m);
      const empty = list.querySelector<HTMLElement>("[data-empty]");
      if (empty) empty.hidden = lessons.length > 0;
      const head = m.querySelector<HTMLElement>(":scope > [data-row]");
      const count = head?.querySelector<HTMLElement>("[data-count]");
      if (count) count.textContent = lessons.length === 1 ? msg("countOne") : fill(msg("countOther"), { count: lessons.length });
      head?.querySelectorAll<HTMLButtonElement>("[data-move] button").forEach((b) => {
        b.disabled = b.value === "up" ? mi === 0 : mi === all.length - 1;
      });
      lessons.forEach((l, li) => {
        l.querySelectorAll<HTMLButtonElement>("[data-move] button").forEach((b) => {
          const firstOfAll = mi === 0 && li === 0;
          const lastOfAll = mi === all.length - 1 && li === lessons.length - 1;
          b.disabled = b.value === "up" ? firstOfAll : lastOfAll;
        });
      });
    });
  };

  const save = () => {
    const next = order();
    if (next === saved) return saving;
    saving = saving.then(async () => {
      try {
        const res = await post(root.dataset.orderUrl || "", { order: next });
        if (!res.ok) throw new Error(await problemText(res, msg("msgFailed")));
        saved = next;
        root.dataset.order = next;
      } catch (err) {
        announce(err instanceof Error && err.message ? err.message : msg("msgFailed"));
        // The page no longer shows what is stored: show the stored order again.
        window.setTimeout(() => window.location.reload(), 2500);
      }
    });
    return saving;
  };

  const announceMove = (row: HTMLElement) => {
    const isModule = row.hasAttribute("data-module-id") && !row.hasAttribute("data-lesson-id");
    const module = isModule ? row : (row.closest<HTMLElement>("[data-module-id]:not([data-lesson-id])") as HTMLElement);
    const siblings = isModule ? modules() : lessonsOf(module);
    announce(
      fill(msg("msgMoved"), {
        title: titleOf(row),
        position: siblings.indexOf(row) + 1,
        module: isModule ? "" : titleOf(module),
      }).replace(/\s+\.$/, "."),
    );
  };

  // One place up or down, across module edges for lessons (as the server's move does).
  const move = (row: HTMLElement, dir: Dir): boolean => {
    if (row.hasAttribute("data-lesson-id")) {
      const module = row.closest<HTMLElement>("[data-module-id]:not([data-lesson-id])")!;
      const all = modules();
      const lessons = lessonsOf(module);
      const i = lessons.indexOf(row);
      const mi = all.indexOf(module);
      if (dir === "up") {
        if (i > 0) lessons[i - 1].before(row);
        else if (mi > 0) {
          const prev = listOf(all[mi - 1]);
          const last = lessonsOf(all[mi - 1]).pop();
          if (last) last.after(row);
          else prev.prepend(row);
        } else return false;
      } else if (i < lessons.length - 1) lessons[i + 1].after(row);
      else if (mi < all.length - 1) listOf(all[mi + 1]).prepend(row);
      else return false;
    } else {
      const all = modules();
      const i = all.indexOf(row);
      if (dir === "up" && i > 0) all[i - 1].before(row);
      else if (dir === "down" && i < all.length - 1) all[i + 1].after(row);
      else return false;
    }
    return true;
  };

  const moveAndSave = (row: HTMLElement, dir: Dir, focus: HTMLElement | null) => {
    if (!move(row, dir)) {
      announce(msg(dir === "up" ? "msgTop" : "msgBottom"));
      return;
    }
    tidy();
    focus?.focus();
    row.scrollIntoView({ block: "nearest" });
    announceMove(row);
    void save();
  };

  const rowOf = (el: Element) => el.closest<HTMLElement>("[data-lesson-id], [data-module-id]");

  const onKey = (event: KeyboardEvent) => {
    const handle = (event.target as HTMLElement).closest<HTMLElement>("[data-handle]");
    if (handle && event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const row = rowOf(handle);
      if (row) moveAndSave(row, event.key === "ArrowUp" ? "up" : "down", handle);
      return;
    }
    const input = (event.target as HTMLElement).closest<HTMLInputElement>("[data-rename-input]");
    if (input && event.key === "Escape") {
      event.preventDefault();
      input.value = input.defaultValue;
      closeRename(input.closest<HTMLElement>("[data-row]")!, true);
    }
  };

  const onSubmit = (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    if (form.hasAttribute("data-move")) {
      const button = event.submitter as HTMLButtonElement | null;
      const row = rowOf(form);
      if (!row || !button) return;
      event.preventDefault();
      moveAndSave(row, button.value === "up" ? "up" : "down", button);
    } else if (form.hasAttribute("data-rename-form")) {
      event.preventDefault();
      void rename(form);
    }
  };

  const openRename = (row: HTMLElement) => {
    const box = row.querySelector<HTMLElement>(":scope > [data-title-box]");
    const form = row.querySelector<HTMLFormElement>(":scope > [data-rename-form]");
    const input = form?.querySelector<HTMLInputElement>("[data-rename-input]");
    if (!box || !form || !input) return;
    box.hidden = true;
    box.classList.add("hidden");
    form.classList.remove("hidden");
    input.focus();
    input.select();
  };

  const closeRename = (row: HTMLElement, refocus: boolean) => {
    const box = row.querySelector<HTMLElement>(":scope > [data-title-box]");
    const form = row.querySelector<HTMLFormElement>(":scope > [data-rename-form]");
    form?.classList.add("hidden");
    form?.querySelector(".field-error")?.remove();
    if (box) {
      box.hidden = false;
      box.classList.remove("hidden");
      if (refocus) box.querySelector<HTMLElement>("[data-title]")?.focus();
    }
  };

  const rename = async (form: HTMLFormElement) => {
    const row = form.closest<HTMLElement>("[data-row]")!;
    const input = form.querySelector<HTMLInputElement>("[data-rename-input]")!;
    const title = input.value.trim();
    if (title === input.defaultValue.trim()) return closeRename(row, true);
    const res = await post(form.action, { title });
    form.querySelector(".field-error")?.remove();
    if (!res.ok) {
      const error = document.createElement("p");
      error.className = "field-error mt-1";
      error.textContent = await problemText(res, msg("msgFailed"));
      form.append(error);
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    input.defaultValue = title;
    const link = row.querySelector<HTMLElement>("[data-title]");
    if (link) link.textContent = title;
    closeRename(row, true);
  };

  const onClick = (event: MouseEvent) => {
    const start = (event.target as HTMLElement).closest<HTMLElement>("[data-rename-start]");
    if (!start) return;
    start.closest("details")?.removeAttribute("open");
    const row = start.closest<HTMLElement>("[data-row]") || rowOf(start)?.querySelector<HTMLElement>("[data-row]");
    if (row) openRename(row);
  };

  // A click outside an open rename saves it, like leaving a spreadsheet cell.
  const onFocusOut = (event: FocusEvent) => {
    const form = (event.target as HTMLElement).closest<HTMLFormElement>("[data-rename-form]");
    if (!form || form.classList.contains("hidden")) return;
    if (event.relatedTarget && form.contains(event.relatedTarget as Node)) return;
    void rename(form);
  };

  // Menus: the Rename entry needs this script; a click elsewhere closes an open menu.
  root.querySelectorAll<HTMLElement>("[data-rename-start]").forEach((b) => b.classList.remove("hidden"));
  const closeMenus = (event: MouseEvent) => {
    root.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]").forEach((d) => {
      if (!d.contains(event.target as Node)) d.removeAttribute("open");
    });
  };

  const sortables: Sortable[] = [];
  const common = {
    animation: window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ? 0 : 150,
    ghostClass: root.dataset.ghostClass || "opacity-40",
    onEnd: (event: Sortable.SortableEvent) => {
      tidy();
      if (event.item) announceMove(event.item);
      void save();
    },
  };
  sortables.push(
    Sortable.create(root, { ...common, handle: '[data-handle="module"]', draggable: "[data-module-id]" }),
  );
  for (const list of root.querySelectorAll<HTMLElement>("[data-lessons]")) {
    sortables.push(
      Sortable.create(list, {
        ...common,
        group: "lessons",
        handle: '[data-handle="lesson"]',
        draggable: "[data-lesson-id]",
        filter: "[data-empty]",
      }),
    );
  }

  root.addEventListener("keydown", onKey);
  root.addEventListener("submit", onSubmit);
  root.addEventListener("click", onClick);
  root.addEventListener("focusout", onFocusOut);
  document.addEventListener("click", closeMenus);
  tidy();

  return {
    destroy() {
      sortables.forEach((s) => s.destroy());
      root.removeEventListener("keydown", onKey);
      root.removeEventListener("submit", onSubmit);
      root.removeEventListener("click", onClick);
      root.removeEventListener("focusout", onFocusOut);
      document.removeEventListener("click", closeMenus);
    },
  };
}

autoMount("[data-curriculum]", mount);
