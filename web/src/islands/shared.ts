// Helpers shared by the islands (uploader.ts, player.ts): mounting, labels, formatting.
// Each island is its own bundle; esbuild copies what it uses from here into each one.

/** A mounted island: `destroy` stops its timers and network work when its element leaves the page. */
export interface Island {
  destroy(): void;
}

type Mounted = HTMLElement & { __lyceumIsland?: Island };

/**
 * Mounts `init` on every element matching `selector`: now (or on DOMContentLoaded), and after
 * every htmx swap. An element is mounted once; one that htmx removes is destroyed.
 */
export function autoMount(selector: string, init: (el: HTMLElement) => Island): void {
  const mounted = new Set<Mounted>();
  const unmount = (el: Mounted) => {
    el.__lyceumIsland?.destroy();
    delete el.__lyceumIsland;
    mounted.delete(el);
  };
  const mountAll = () => {
    // Elements removed by other means than htmx stop here.
    for (const el of mounted) if (!el.isConnected) unmount(el);
    for (const el of document.querySelectorAll<Mounted>(selector)) {
      if (el.__lyceumIsland || !el.isConnected) continue;
      try {
        el.__lyceumIsland = init(el);
        mounted.add(el);
      } catch (err) {
        // One broken element must not keep the others from mounting.
        console.error(`lyceum: could not mount ${selector}`, err);
      }
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll, { once: true });
  else mountAll();
  document.addEventListener("htmx:afterSettle", mountAll);
  // htmx cleans up every element it removes; stop the islands inside them.
  document.addEventListener("htmx:beforeCleanupElement", (event) => {
    const el = event.target as Mounted | null;
    if (el?.__lyceumIsland && el.matches(selector)) unmount(el);
  });
}

/** The session's CSRF token from `<meta name="csrf-token">`. */
export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
}

/** Reads the element's `data-labels` JSON over the English defaults; bad JSON keeps the defaults. */
export function readLabels<T extends Record<string, string>>(el: HTMLElement, defaults: T): T {
  const labels = { ...defaults };
  try {
    const given = JSON.parse(el.dataset.labels || "{}") as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (typeof given[key] === "string" && given[key]) (labels as Record<string, string>)[key] = given[key] as string;
    }
  } catch {
    console.warn("lyceum: data-labels is not valid JSON; using the default labels");
  }
  return labels;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}

/** The page's language, for number formatting. */
export function locale(): string {
  return document.documentElement.lang || navigator.language || "en";
}

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** "1.4 GB", in steps of 1024, so that a plan's 5 GiB limit reads "5 GB" as the plan says. */
export function formatBytes(bytes: number, perSecond = false): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  if (unit === 0 && !perSecond) return `${Math.round(value)} B`;
  try {
    return new Intl.NumberFormat(locale(), {
      style: "unit",
      unit: perSecond ? `${UNITS[unit]}-per-second` : UNITS[unit],
      unitDisplay: "short",
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${["B", "kB", "MB", "GB", "TB"][unit]}${perSecond ? "/s" : ""}`;
  }
}

/** "1:05", "12:40", "1:02:03". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** An element with a class and optional attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

/** A polite live region inside `parent`, and a function that says something in it. */
export function liveRegion(parent: HTMLElement): (text: string) => void {
  const region = h("div", "ly-sr", { role: "status", "aria-live": "polite" });
  parent.appendChild(region);
  let timer = 0;
  return (text: string) => {
    region.textContent = "";
    window.clearTimeout(timer);
    // A fresh node after a tick, so the same text twice is still read.
    timer = window.setTimeout(() => (region.textContent = text), 60);
  };
}

/** A remembered choice from localStorage (null when absent or storage is blocked). */
export function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Remembers a choice; with storage blocked it lasts for this page only. */
export function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* blocked */
  }
}
