// The outline: one row per section with a drag handle (SortableJS), its name, and buttons to
// move it up or down (for keyboards), duplicate it or delete it.

import Sortable from "sortablejs";

import { type Labels, type Section, summary } from "./model";

/** What the outline asks the editor to do. */
export interface OutlineHost {
  labels: Labels;
  select(id: string): void;
  move(from: number, to: number): void;
  duplicate(index: number): void;
  remove(index: number): void;
  /** Places with problems, to flag the rows. */
  problems: Record<string, string>;
}

const ICON = (d: string) =>
  `<svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${d}</svg>`;
const GRIP = ICON('<circle cx="9" cy="6" r="1"/><circle cx="9" cy="12" r="1"/><circle cx="9" cy="18" r="1"/><circle cx="15" cy="6" r="1"/><circle cx="15" cy="12" r="1"/><circle cx="15" cy="18" r="1"/>');
const UP = ICON('<path d="m5 12 7-7 7 7"/><path d="M12 19V5"/>');
const DOWN = ICON('<path d="M12 5v14"/><path d="m19 12-7 7-7-7"/>');
const COPY = ICON('<rect width="14" height="14" x="8" y="8" rx="2"/><path d="M4 16c-1.1 0-2-.9-2-2V4c0-1.1.9-2 2-2h10c1.1 0 2 .9 2 2"/>');
const TRASH = ICON('<path d="M3 6h18"/><path d="M19 6v14c0 1-1 2-2 2H7c-1 0-2-1-2-2V6"/><path d="M8 6V4c0-1 1-2 2-2h4c1 0 2 1 2 2v2"/>');

/** Renders and keeps the outline list. */
export class Outline {
  private sortable: Sortable;

  constructor(
    private list: HTMLElement,
    private host: OutlineHost,
  ) {
    this.sortable = Sortable.create(list, {
      handle: "[data-handle]",
      animation: 150,
      ghostClass: "opacity-40",
      onEnd: (e) => {
        if (e.oldIndex !== undefined && e.newIndex !== undefined && e.oldIndex !== e.newIndex) {
          host.move(e.oldIndex, e.newIndex);
        }
      },
    });
  }

  /** Draws the rows for `sections`, marking `selected`. */
  render(sections: Section[], selected: string): void {
    const js = this.host.labels.js;
    this.list.replaceChildren();
    if (!sections.length) {
      const empty = document.createElement("li");
      empty.className = "px-1 py-2 text-sm text-zinc-500";
      empty.textContent = js["empty-outline"];
      this.list.append(empty);
      return;
    }
    sections.forEach((s, i) => {
      const li = document.createElement("li");
      const flagged = Object.keys(this.host.problems).some((k) => k.startsWith(`${i}.`));
      li.className = `group flex items-center gap-1 rounded-lg border px-1 py-1 ${
        s.id === selected ? "border-brand bg-brand-subtle" : "border-transparent hover:bg-zinc-50"
      }`;
      li.dataset.id = s.id;
      const name = this.host.labels.kind[s.kind] || s.kind;
      const text = summary(s);
      const btn = (html: string, label: string, fn: () => void, disabled = false) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "rounded p-1 text-zinc-500 hover:bg-white hover:text-zinc-900 disabled:opacity-30 focus-visible:outline-2 focus-visible:outline-brand";
        b.innerHTML = html;
        b.setAttribute("aria-label", `${label}: ${name}`);
        b.title = label;
        b.disabled = disabled;
        b.addEventListener("click", fn);
        return b;
      };
      const handle = document.createElement("span");
      handle.dataset.handle = "";
      handle.className = "cursor-grab p-1 text-zinc-400";
      handle.title = js.drag;
      handle.innerHTML = GRIP;
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "min-w-0 flex-1 rounded px-1 text-left focus-visible:outline-2 focus-visible:outline-brand";
      pick.setAttribute("aria-current", s.id === selected ? "true" : "false");
      pick.innerHTML = `<span class="block truncate text-sm font-medium"></span><span class="block truncate text-xs text-zinc-500"></span>`;
      (pick.children[0] as HTMLElement).textContent = (flagged ? "⚠ " : "") + name;
      (pick.children[1] as HTMLElement).textContent = text;
      pick.addEventListener("click", () => this.host.select(s.id));
      const tools = document.createElement("span");
      tools.className = "flex shrink-0 items-center opacity-100 md:opacity-0 md:group-hover:opacity-100 md:group-focus-within:opacity-100";
      tools.append(
        btn(UP, js["move-up"], () => this.host.move(i, i - 1), i === 0),
        btn(DOWN, js["move-down"], () => this.host.move(i, i + 1), i === sections.length - 1),
        btn(COPY, js.duplicate, () => this.host.duplicate(i)),
        btn(TRASH, js.delete, () => this.host.remove(i)),
      );
      li.append(handle, pick, tools);
      this.list.append(li);
    });
  }

  destroy(): void {
    this.sortable.destroy();
  }
}
