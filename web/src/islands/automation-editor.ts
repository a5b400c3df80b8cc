// The automation editor island (bundle automation-editor.js) for [data-automation-editor].
//
//   data-setup       {automation, emails, forms, courses, offers, tags, triggers, steps, labels}
//   data-save-url    PUT the JSON {revision, name, trigger, steps, allow_reentry}; 409 = stale
//   data-email-url   POST makes a blank email for a send step: {id, label, url}
//
// It draws the trigger card, then the steps top to bottom with connectors, if/else and
// wait-for-event as two branches side by side, a "+" between steps to insert one, and a
// settings panel for the selected step. Step ids are stable: new ones get a fresh id, so a
// live automation keeps its people where they are.

import { autoMount, csrfToken, type Island } from "./shared";

type Json = Record<string, unknown>;
interface Step {
  id: string;
  kind: string;
  config: Json;
  yes?: Step[];
  no?: Step[];
}
interface Choice {
  id: string;
  label: string;
}
interface Setup {
  automation: { id: string; name: string; trigger: Json; steps: Step[]; revision: number; allow_reentry: boolean };
  emails: Choice[];
  forms: Choice[];
  courses: Choice[];
  offers: Choice[];
  tags: string[];
  triggers: string[];
  steps: string[];
  labels: Record<string, string>;
}

const EVENTS = ["order.paid", "form.submitted", "contact.tagged", "enrollment.created", "course.completed", "lesson.completed"];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = "", text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

function branched(s: Step): boolean {
  return s.kind === "if_else" || (s.kind === "wait" && s.config.mode === "event");
}

function mount(root: HTMLElement): Island {
  const setup = JSON.parse(root.dataset.setup || "{}") as Setup;
  const L = (k: string) => setup.labels[k] || k;
  const a = setup.automation;
  let steps: Step[] = (a.steps || []).map((s) => ({ ...s, config: s.config || {} }));
  let trigger: Json = { ...(a.trigger || {}) };
  let revision = a.revision;
  let selected: string | null = null;
  let dirty = false;

  const flow = root.querySelector<HTMLElement>("[data-flow]") || root.appendChild(el("ol"));
  const bar = el("div", "sticky top-0 z-10 mb-4 flex items-center justify-end gap-2");
  const status = el("span", "text-sm text-zinc-500");
  status.setAttribute("role", "status");
  const saveBtn = el("button", "btn btn-primary btn-sm", L("save"));
  saveBtn.type = "button";
  bar.append(status, saveBtn);
  root.prepend(bar);
  const panel = el("aside", "fixed right-0 top-0 z-40 hidden h-full w-full max-w-sm overflow-y-auto bg-white p-5 shadow-xl");
  panel.setAttribute("aria-label", L("settings"));
  document.body.appendChild(panel);

  const nextId = () => {
    const all = new Set<string>();
    const walk = (l: Step[]) => l.forEach((s) => (all.add(s.id), walk(s.yes || []), walk(s.no || [])));
    walk(steps);
    let n = all.size + 1;
    while (all.has(`s${n}`)) n++;
    return `s${n}`;
  };
  const find = (l: Step[], id: string): [Step[], number] | null => {
    for (let i = 0; i < l.length; i++) {
      if (l[i].id === id) return [l, i];
      const inner = find(l[i].yes || [], id) || find(l[i].no || [], id);
      if (inner) return inner;
    }
    return null;
  };
  const changed = () => {
    dirty = true;
    status.textContent = "";
    draw();
  };

  function insertButton(list: Step[], at: number): HTMLElement {
    const wrap = el("li", "relative mx-auto flex flex-col items-center");
    wrap.append(el("div", "h-4 w-px bg-zinc-300"));
    const select = el("select", "input w-auto py-1 text-xs");
    select.setAttribute("aria-label", L("add-step"));
    select.append(new Option(`+ ${L("add-step")}`, ""));
    for (const k of setup.steps) select.append(new Option(L(`step-${k}`), k));
    select.addEventListener("change", () => {
      if (!select.value) return;
      const s: Step = { id: nextId(), kind: select.value, config: {} };
      if (s.kind === "wait") s.config = { mode: "duration", days: 1 };
      if (s.kind === "if_else") s.config = { condition: "has_tag", tag: "" };
      list.splice(at, 0, s);
      selected = s.id;
      changed();
    });
    wrap.append(select, el("div", "h-4 w-px bg-zinc-300"));
    return wrap;
  }

  function summary(s: Step): string {
    const c = s.config;
    if (s.kind === "send_email") return setup.emails.find((e) => e.id === c.email_id)?.label || "—";
    if (s.kind === "wait") {
      if (c.mode === "event") return `${c.event || "order.paid"} · ${c.timeout_days || 1}d`;
      if (c.mode === "weekday") return `${L(`wd-${Number(c.weekday || 0)}`)} ${c.time || "09:00"}`;
      return `${c.days || 0}d ${c.hours || 0}h`;
    }
    if (s.kind === "if_else") return `${c.condition || ""} ${c.tag || ""}`;
    if (s.kind === "add_tag" || s.kind === "remove_tag") return String(c.tag || "—");
    if (s.kind === "webhook") return String(c.url || "—");
    return "";
  }

  function drawList(list: Step[], into: HTMLElement) {
    into.append(insertButton(list, 0));
    list.forEach((s, i) => {
      const card = el("li", "card mx-auto w-full max-w-sm cursor-pointer p-3 text-left");
      if (s.id === selected) card.classList.add("ring-2", "ring-brand");
      card.tabIndex = 0;
      card.dataset.step = s.id;
      const title = el("p", "flex items-center gap-2 text-sm font-medium", L(`step-${s.kind}`));
      title.append(el("span", "ml-auto font-mono text-xs text-zinc-400", s.id));
      card.append(title, el("p", "mt-1 truncate text-xs text-zinc-500", summary(s)));
      const open = () => ((selected = s.id), draw());
      card.addEventListener("click", open);
      card.addEventListener("keydown", (e) => e.key === "Enter" && open());
      into.append(card);
      if (branched(s)) {
        s.yes = s.yes || [];
        s.no = s.no || [];
        const row = el("li", "mt-2 grid grid-cols-2 gap-3");
        const ev = s.kind === "wait";
        for (const [name, branch] of [[ev ? L("event-came") : L("yes"), s.yes], [ev ? L("timed-out") : L("no"), s.no]] as const) {
          const col = el("ol", "flex flex-col rounded-lg border border-dashed border-zinc-300 p-2");
          col.append(el("li", "mx-auto text-xs font-semibold text-zinc-600", name));
          drawList(branch, col);
          row.append(col);
        }
        into.append(row);
      }
      into.append(insertButton(list, i + 1));
    });
  }

  function field(label: string, input: HTMLElement): HTMLElement {
    const w = el("label", "mt-3 block text-sm");
    w.append(el("span", "label", label), input);
    return w;
  }
  function text(s: Json, key: string, label: string, type = "text"): HTMLElement {
    const i = el("input", "input mt-1");
    i.type = type;
    i.value = String(s[key] ?? "");
    i.addEventListener("change", () => ((s[key] = type === "number" ? Number(i.value) : i.value), changed()));
    return field(label, i);
  }
  function pick(s: Json, key: string, label: string, options: Choice[], empty = "—"): HTMLSelectElement {
    const i = el("select", "input mt-1");
    i.append(new Option(empty, ""));
    for (const o of options) i.append(new Option(o.label, o.id, false, o.id === s[key]));
    i.addEventListener("change", () => ((s[key] = i.value), changed()));
    panel.append(field(label, i));
    return i;
  }

  function drawPanel() {
    panel.replaceChildren();
    const at = selected === "trigger" ? null : selected && find(steps, selected);
    if (!selected || (selected !== "trigger" && !at)) return panel.classList.add("hidden");
    panel.classList.remove("hidden");
    const close = el("button", "btn btn-ghost btn-sm float-right", "×");
    close.type = "button";
    close.setAttribute("aria-label", L("f-close"));
    close.addEventListener("click", () => ((selected = null), draw()));
    panel.append(close);
    if (selected === "trigger") {
      panel.append(el("h2", "text-lg font-semibold", L("trigger")));
      pick(trigger, "kind", L("trigger"), setup.triggers.map((k) => ({ id: k, label: L(`trigger-${k}`) })));
      const k = trigger.kind;
      if (k === "form_submitted") pick(trigger, "form_id", L("f-form"), setup.forms, L("f-any-form"));
      if (k === "tag_added") panel.append(text(trigger, "tag", L("f-tag")));
      if (k === "purchase" || k === "checkout_abandoned") pick(trigger, "offer_id", L("f-offer"), setup.offers, L("f-any"));
      if (["enrolled", "course_completed", "lesson_completed", "quiz_failed"].includes(String(k)))
        pick(trigger, "course_id", L("f-course"), setup.courses, L("f-any"));
      if (k === "no_login") panel.append(text(trigger, "days", L("f-days"), "number"));
      if (k === "date_field") panel.append(text(trigger, "field", L("f-field")), text(trigger, "offset_days", L("f-days-after"), "number"));
      return;
    }
    const [list, i] = at as [Step[], number];
    const s = list[i];
    const c = s.config;
    panel.append(el("h2", "text-lg font-semibold", L(`step-${s.kind}`)));
    if (s.kind === "send_email") {
      pick(c, "email_id", L("email"), setup.emails);
      const row = el("div", "mt-3 flex gap-2");
      const make = el("button", "btn btn-secondary btn-sm", L("new-email"));
      make.type = "button";
      make.addEventListener("click", async () => {
        const res = await fetch(root.dataset.emailUrl || "", { method: "POST", headers: { "x-csrf-token": csrfToken(), accept: "application/json" } });
        if (!res.ok) return;
        const made = (await res.json()) as Choice & { url: string };
        setup.emails.unshift({ id: made.id, label: made.label });
        c.email_id = made.id;
        changed();
        await save();
        window.location.href = made.url;
      });
      row.append(make);
      if (c.email_id) {
        const edit = el("a", "btn btn-ghost btn-sm", L("edit-email"));
        edit.href = `/admin/emails/${c.email_id}?return=${encodeURIComponent(location.pathname)}`;
        row.append(edit);
      }
      panel.append(row);
    } else if (s.kind === "wait") {
      pick(c, "mode", L("f-mode"), [
        { id: "duration", label: L("f-mode-duration") },
        { id: "weekday", label: L("f-mode-weekday") },
        { id: "event", label: L("f-mode-event") },
      ]);
      if (c.mode === "event") {
        pick(c, "event", L("f-event"), EVENTS.map((e) => ({ id: e, label: e })));
        panel.append(text(c, "timeout_days", L("f-timeout-days"), "number"));
      } else if (c.mode === "weekday") {
        pick(c, "weekday", L("f-weekday"), [0, 1, 2, 3, 4, 5, 6].map((n) => ({ id: String(n), label: L(`wd-${n}`) })));
        panel.append(text(c, "time", L("f-time"), "time"));
      } else panel.append(text(c, "days", L("f-days"), "number"), text(c, "hours", L("f-hours"), "number"));
    } else if (s.kind === "if_else") {
      pick(c, "condition", L("f-condition"), [
        { id: "has_tag", label: L("f-cond-has-tag") },
        { id: "purchased", label: L("f-cond-purchased") },
        { id: "opened", label: L("f-cond-opened") },
        { id: "clicked", label: L("f-cond-clicked") },
      ]);
      if (c.condition === "has_tag") panel.append(text(c, "tag", L("f-tag")));
      if (c.condition === "purchased") pick(c, "offer_id", L("f-offer"), setup.offers, L("f-anything"));
    } else if (s.kind === "add_tag" || s.kind === "remove_tag") panel.append(text(c, "tag", L("f-tag")));
    else if (s.kind === "enrol_course") pick(c, "course_id", L("f-course"), setup.courses);
    else if (s.kind === "notify_staff") panel.append(text(c, "to", L("f-to"), "email"), text(c, "message", L("f-message")));
    else if (s.kind === "webhook") panel.append(text(c, "url", L("f-url"), "url"));
    const del = el("button", "btn btn-ghost btn-sm mt-6 text-red-700", L("delete-step"));
    del.type = "button";
    del.addEventListener("click", () => (list.splice(i, 1), (selected = null), changed()));
    panel.append(del);
  }

  function draw() {
    flow.replaceChildren();
    const t = el("li", "card mx-auto w-full max-w-sm cursor-pointer border-brand p-3");
    t.tabIndex = 0;
    t.append(el("p", "text-xs font-semibold uppercase tracking-wide text-zinc-500", L("trigger")));
    t.append(el("p", "mt-1 font-medium", L(`trigger-${trigger.kind || "manual"}`)));
    t.addEventListener("click", () => ((selected = "trigger"), draw()));
    flow.append(t);
    drawList(steps, flow);
    drawPanel();
    saveBtn.disabled = !dirty;
  }

  async function save(): Promise<void> {
    status.textContent = L("saving");
    const body = { revision, name: a.name, trigger, steps, allow_reentry: a.allow_reentry };
    const res = await fetch(root.dataset.saveUrl || "", {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrfToken() },
      body: JSON.stringify(body),
    });
    const out = (await res.json().catch(() => ({}))) as { revision?: number; message?: string };
    if (res.ok && out.revision) {
      revision = out.revision;
      dirty = false;
      status.textContent = L("saved");
    } else status.textContent = out.message || (res.status === 409 ? L("conflict") : `Error ${res.status}`);
    saveBtn.disabled = !dirty;
  }
  saveBtn.addEventListener("click", () => void save());
  const warn = (e: BeforeUnloadEvent) => {
    if (dirty) e.preventDefault();
  };
  window.addEventListener("beforeunload", warn);
  draw();
  return {
    destroy: () => {
      window.removeEventListener("beforeunload", warn);
      panel.remove();
    },
  };
}

autoMount("[data-automation-editor]", mount);
