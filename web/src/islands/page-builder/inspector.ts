// The settings panel: a form generated from the section spec for the selected section (text,
// textarea, rich text and HTML as textareas, links, choices, toggles, numbers, a date and time
// in the school's time zone, course/form selects, an offers checklist, media from the library,
// list items with add/remove/reorder), or the page's own settings (title, address, SEO).

import { type Choice, type Field, type Labels, type Section, getPath, localToUtc, tr, utcToLocal } from "./model";

/** What the panel needs from the editor. */
export interface InspectorHost {
  labels: Labels;
  courses: Choice[];
  offers: Choice[];
  forms: Choice[];
  timeZone: string;
  /** Sets one value; `typing` coalesces undo steps while typing. */
  set(path: string, value: unknown, typing: boolean): void;
  /** Problems by place (`"2.items.0.title"`, `"slug"`). */
  problems: Record<string, string>;
  /** Opens the media library and resolves with the chosen item (null when closed). */
  pickMedia(kind: "image" | "video"): Promise<{ id: string; title: string } | null>;
}

let uid = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = "", text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

function wrap(label: string, control: HTMLElement, problem?: string, hint = ""): HTMLElement {
  const box = el("div", "flex flex-col gap-1.5");
  const id = control.id || `pb-${++uid}`;
  control.id = id;
  const l = el("label", "label", label);
  l.htmlFor = id;
  box.append(l, control);
  if (hint) box.append(el("p", "text-xs text-zinc-500", hint));
  if (problem) {
    const p = el("p", "field-error", problem);
    p.id = `${id}-error`;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", p.id);
    control.classList.add("input-error");
    box.append(p);
  }
  return box;
}

function select(options: [string, string][], value: string): HTMLSelectElement {
  const s = el("select", "input w-full");
  for (const [v, label] of options) {
    const o = el("option", "", label);
    o.value = v;
    o.selected = v === value;
    s.append(o);
  }
  return s;
}

function mediaField(host: InspectorHost, kind: "image" | "video", path: string, value: string): HTMLElement {
  const js = host.labels.js;
  const box = el("div", "flex flex-wrap items-center gap-2 rounded-lg border border-zinc-200 p-2");
  const name = el("span", "min-w-0 flex-1 truncate text-sm text-zinc-600", value ? js["chosen-media"] : js.none);
  const choose = el("button", "btn btn-secondary btn-sm", js["choose-media"]);
  choose.type = "button";
  choose.addEventListener("click", async () => {
    const item = await host.pickMedia(kind);
    if (item) host.set(path, item.id, false);
  });
  box.append(name, choose);
  if (value) {
    const remove = el("button", "btn btn-ghost btn-sm", js["remove-media"]);
    remove.type = "button";
    remove.addEventListener("click", () => host.set(path, "", false));
    box.append(remove);
  }
  return box;
}

/** The control for one field at `path` (relative to the section's data, or `seo.*`). */
function control(host: InspectorHost, name: string, field: Field, path: string, value: unknown, place: string): HTMLElement {
  const label = host.labels.field[name] || name;
  const problem = host.problems[place];
  const text = typeof value === "string" ? value : value == null ? "" : String(value);
  const typing = (input: HTMLInputElement | HTMLTextAreaElement) => {
    input.dataset.path = path;
    input.addEventListener("input", () => host.set(path, input.value, true));
    return input;
  };
  switch (field.type) {
    case "text":
    case "url": {
      const i = el("input", "input w-full");
      i.value = text;
      if (field.type === "text") i.maxLength = field.max;
      else i.inputMode = "url";
      return wrap(label, typing(i), problem);
    }
    case "multiline":
    case "rich":
    case "html": {
      const t = el("textarea", `input w-full ${field.type === "html" ? "font-mono text-xs" : ""}`);
      t.rows = field.type === "multiline" ? 3 : 6;
      t.value = text;
      if (field.type === "multiline") t.maxLength = field.max;
      return wrap(label, typing(t), problem);
    }
    case "number": {
      const i = el("input", "input w-full");
      i.type = "number";
      i.min = String(field.min);
      i.max = String(field.max);
      i.value = text;
      i.addEventListener("input", () => host.set(path, i.value === "" ? "" : Number(i.value), true));
      return wrap(label, i, problem);
    }
    case "date": {
      const i = el("input", "input w-full");
      i.type = "datetime-local";
      i.value = text ? utcToLocal(text, host.timeZone) : "";
      i.addEventListener("change", () => host.set(path, localToUtc(i.value, host.timeZone), false));
      return wrap(label, i, problem, tr(host.labels.js["time-zone"], { z: host.timeZone }));
    }
    case "choice": {
      const s = select(
        field.options.map((o) => [o, host.labels.option[o] || o]),
        text || field.options[0],
      );
      s.addEventListener("change", () => host.set(path, s.value, false));
      return wrap(label, s, problem);
    }
    case "toggle": {
      const box = el("label", "flex items-center gap-2 text-sm font-medium");
      const c = el("input", "checkbox");
      c.type = "checkbox";
      c.checked = value === true;
      c.addEventListener("change", () => host.set(path, c.checked, false));
      box.append(c, document.createTextNode(label));
      return box;
    }
    case "course":
    case "form": {
      const list = field.type === "course" ? host.courses : host.forms;
      const s = select([["", host.labels.js.none], ...list.map((c): [string, string] => [c.id, c.label])], text);
      s.addEventListener("change", () => host.set(path, s.value, false));
      return wrap(label, s, problem);
    }
    case "offers": {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      const fs = el("fieldset", "flex flex-col gap-1.5");
      fs.append(el("legend", "label", label));
      for (const o of host.offers) {
        const row = el("label", "flex items-center gap-2 text-sm");
        const c = el("input", "checkbox");
        c.type = "checkbox";
        c.checked = chosen.includes(o.id);
        c.addEventListener("change", () => {
          const next = c.checked ? [...chosen, o.id] : chosen.filter((x) => x !== o.id);
          host.set(path, next, false);
        });
        row.append(c, document.createTextNode(o.label));
        fs.append(row);
      }
      if (!host.offers.length) fs.append(el("p", "text-sm text-zinc-500", host.labels.js.none));
      return fs;
    }
    case "image":
    case "video": {
      const box = el("div", "flex flex-col gap-1.5");
      box.append(el("p", "label", label), mediaField(host, field.type, path, text));
      if (problem) box.append(el("p", "field-error", problem));
      return box;
    }
    case "list":
      return listControl(host, label, field, path, Array.isArray(value) ? (value as Record<string, unknown>[]) : [], place);
  }
}

function listControl(
  host: InspectorHost,
  label: string,
  field: Extract<Field, { type: "list" }>,
  path: string,
  items: Record<string, unknown>[],
  place: string,
): HTMLElement {
  const js = host.labels.js;
  const fs = el("fieldset", "flex flex-col gap-3");
  fs.append(el("legend", "label", label));
  items.forEach((item, i) => {
    const card = el("div", "flex flex-col gap-3 rounded-lg border border-zinc-200 bg-zinc-50/60 p-3");
    const head = el("div", "flex items-center gap-1");
    head.append(el("p", "flex-1 text-xs font-semibold uppercase tracking-wide text-zinc-500", tr(js.item, { n: i + 1 })));
    const act = (text: string, disabled: boolean, fn: () => void) => {
      const b = el("button", "btn btn-ghost btn-sm", text);
      b.type = "button";
      b.disabled = disabled;
      b.addEventListener("click", fn);
      head.append(b);
    };
    const move = (to: number) => {
      const next = items.slice();
      const [it] = next.splice(i, 1);
      next.splice(to, 0, it);
      host.set(path, next, false);
    };
    act("↑", i === 0, () => move(i - 1));
    act("↓", i === items.length - 1, () => move(i + 1));
    act(js["remove-item"], false, () => host.set(path, items.filter((_, j) => j !== i), false));
    head.querySelectorAll("button")[0].setAttribute("aria-label", `${js["move-up"]} ${tr(js.item, { n: i + 1 })}`);
    head.querySelectorAll("button")[1].setAttribute("aria-label", `${js["move-down"]} ${tr(js.item, { n: i + 1 })}`);
    card.append(head);
    for (const [name, f] of field.item) {
      card.append(control(host, name, f, `${path}.${i}.${name}`, item[name], `${place}.${i}.${name}`));
    }
    fs.append(card);
  });
  if (items.length < field.max) {
    const add = el("button", "btn btn-secondary btn-sm self-start", js["add-item"]);
    add.type = "button";
    add.addEventListener("click", () => {
      const blankItem: Record<string, unknown> = {};
      for (const [name, f] of field.item) blankItem[name] = f.type === "choice" ? f.options[0] : "";
      host.set(path, [...items, blankItem], false);
    });
    fs.append(add);
  }
  return fs;
}

/** The settings of `section` (the `index`th), for the panel. */
export function sectionForm(host: InspectorHost, fields: [string, Field][], section: Section, index: number): HTMLElement {
  const form = el("div", "flex flex-col gap-4 p-4");
  form.append(el("h2", "text-sm font-semibold", host.labels.kind[section.kind] || section.kind));
  for (const [name, f] of fields) {
    form.append(control(host, name, f, name, getPath(section.data, name), `${index}.${name}`));
  }
  return form;
}

/** The page's settings: title, address and search/sharing. */
export function pageForm(
  host: InspectorHost,
  state: { title: string; slug: string; seo: { title: string; description: string; image: string; noindex: boolean } },
): HTMLElement {
  const js = host.labels.js;
  const form = el("div", "flex flex-col gap-4 p-4");
  form.append(el("h2", "text-sm font-semibold", js["page-settings"]));
  const input = (label: string, path: string, value: string, max: number, area = false) => {
    const i = area ? el("textarea", "input w-full") : el("input", "input w-full");
    i.value = value;
    i.maxLength = max;
    i.addEventListener("input", () => host.set(path, i.value, true));
    form.append(wrap(label, i, host.problems[path]));
  };
  input(js.title, "title", state.title, 200);
  input(js.slug, "slug", state.slug, 80);
  form.append(el("h3", "mt-2 text-xs font-semibold uppercase tracking-wide text-zinc-500", js.seo));
  input(js["seo-title"], "seo.title", state.seo.title, 70);
  input(js["seo-description"], "seo.description", state.seo.description, 200, true);
  const img = el("div", "flex flex-col gap-1.5");
  img.append(el("p", "label", js["seo-image"]), mediaField(host, "image", "seo.image", state.seo.image));
  form.append(img);
  const row = el("label", "flex items-center gap-2 text-sm font-medium");
  const c = el("input", "checkbox");
  c.type = "checkbox";
  c.checked = state.seo.noindex;
  c.addEventListener("change", () => host.set("seo.noindex", c.checked, false));
  row.append(c, document.createTextNode(js.noindex));
  form.append(row);
  return form;
}
