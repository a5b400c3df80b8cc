// The page builder's model: the page's title, address and document (sections + SEO), an undo
// history of snapshots, and helpers for the field paths the canvas and settings use
// ("headline", "items.0.title").

/** One field of the section spec, as `sections::Field` serialises it. */
export type Field =
  | { type: "text" | "multiline"; max: number }
  | { type: "rich" | "url" | "image" | "video" | "course" | "offers" | "form" | "date" | "toggle" | "html" }
  | { type: "number"; min: number; max: number }
  | { type: "choice"; options: string[] }
  | { type: "list"; item: [string, Field][]; max: number };

/** A section kind of the spec. */
export interface Kind {
  kind: string;
  icon: string;
  fields: [string, Field][];
}

/** One section of the document. */
export interface Section {
  id: string;
  kind: string;
  data: Record<string, unknown>;
}

/** What autosave sends and undo restores. */
export interface State {
  title: string;
  slug: string;
  doc: {
    sections: Section[];
    seo: { title: string; description: string; image: string; noindex: boolean };
  };
}

/** A choice for a course, offer or form field. */
export interface Choice {
  id: string;
  label: string;
}

/** What the editor page hands the island in `data-setup`. */
export interface Setup {
  page: { id: string; title: string; slug: string; revision: number; saved_at: string; status: string };
  document: State["doc"];
  spec: Kind[];
  palette: { kind: string; icon: string; name: string; hint: string }[];
  courses: Choice[];
  offers: Choice[];
  forms: Choice[];
  time_zone: string;
}

/** Labels in the viewer's language. */
export interface Labels {
  js: Record<string, string>;
  field: Record<string, string>;
  option: Record<string, string>;
  kind: Record<string, string>;
}

/** Undo and redo over snapshots; typing into one field within a second is one step. */
export class History {
  private past: string[] = [];
  private future: string[] = [];
  private lastKey = "";
  private lastAt = 0;

  constructor(private current: string) {}

  /** Records `state` after a change; `key` names the field typed into (for coalescing). */
  push(state: State, key = ""): void {
    const snap = JSON.stringify(state);
    if (snap === this.current) return;
    const now = Date.now();
    if (!(key && key === this.lastKey && now - this.lastAt < 1000)) this.past.push(this.current);
    if (this.past.length > 200) this.past.shift();
    this.current = snap;
    this.future = [];
    this.lastKey = key;
    this.lastAt = now;
  }

  undo(): State | null {
    const prev = this.past.pop();
    if (prev === undefined) return null;
    this.future.push(this.current);
    this.current = prev;
    this.lastKey = "";
    return JSON.parse(prev) as State;
  }

  redo(): State | null {
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(this.current);
    this.current = next;
    this.lastKey = "";
    return JSON.parse(next) as State;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}

/** The value at `path` ("items.0.title") in `data`. */
export function getPath(data: Record<string, unknown>, path: string): unknown {
  let at: unknown = data;
  for (const part of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Sets the value at `path` in `data`, making objects on the way. */
export function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let at = data as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (at[part] === null || typeof at[part] !== "object") at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

/** A new section id, like the server's. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "s" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A blank section of `kind`, as `sections::blank` makes it. */
export function blank(kind: Kind): Section {
  const data: Record<string, unknown> = {};
  for (const [name, f] of kind.fields) {
    if (f.type === "choice") data[name] = f.options[0];
    else if (f.type === "toggle") data[name] = true;
    else if (f.type === "list" || f.type === "offers") data[name] = [];
    else if (f.type !== "number") data[name] = "";
  }
  return { id: newId(), kind: kind.kind, data };
}

/** A section's one-line name in the outline: its kind and its first text. */
export function summary(section: Section): string {
  for (const key of ["headline", "heading", "name", "caption", "alt"]) {
    const v = section.data[key];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return "";
}

/** `"Saved · %n s ago"` with its number. */
export function tr(template: string, values: Record<string, string | number>): string {
  return template.replace(/%(\w)/g, (all, k: string) => (k in values ? String(values[k]) : all));
}

/** The offset of `zone` from UTC at `utcMs`, in milliseconds. */
function zoneOffset(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - utcMs;
}

/** `2026-12-01T10:00` in `zone` as RFC 3339 in UTC ("" for an empty input). */
export function localToUtc(local: string, zone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return "";
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let utc = guess - zoneOffset(guess, zone);
  const again = zoneOffset(utc, zone);
  if (guess - again !== utc) utc = guess - again;
  return new Date(utc).toISOString();
}

/** An RFC 3339 moment as a `datetime-local` value in `zone`. */
export function utcToLocal(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  return new Date(ms + zoneOffset(ms, zone)).toISOString().slice(0, 16);
}
