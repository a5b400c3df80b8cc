// Lyceum's one script: htmx plus a few small, progressive behaviours driven by data attributes.
// Everything works without it; it only makes pages nicer. Bundled by build.mjs (esbuild, IIFE).
//
//   data-drawer-toggle="ID"     toggles class `is-open` on #ID (and aria-expanded on the toggles);
//                               focus is kept inside an open drawer that covers the page
//   data-toast                  flash toast: dismissed after 6 s (value "persist" keeps it)
//   data-toast-close            close button inside a toast
//   data-disable-on-submit      form: disables its submit buttons and sets aria-busy on submit
//   data-confirm="message"      form, button or link: asks confirm(message) first
//   data-copy="text"            copies text; shows data-copied-label (default "Copied") briefly
//   data-color-sync="group"     keeps a colour picker and a text input of the same group in sync
//   data-autosubmit             field: submits its form on change
//   data-brand-form, data-brand-preview, data-font-family: live preview of a school's branding
//   data-tz-picker              time-zone field: search box and the device's zone (tz-picker.ts)
//   data-media-picker           media library field: current choice and a dialog (media-picker.ts)

import htmx from "htmx.org";

import { initMediaPickers } from "./media-picker";
import { initTimeZonePickers } from "./tz-picker";

declare global {
  interface Window {
    htmx: typeof htmx;
  }
}

window.htmx = htmx;

// Our CSS styles .htmx-indicator; no inline <style> injected by htmx (keeps a strict CSP possible).
htmx.config.includeIndicatorStyles = false;
// Swap 422 responses too: a form re-rendered with its errors and the values the user typed.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "422", swap: true },
  { code: "[45]..", swap: false, error: true },
  { code: "...", swap: false },
];

const TOAST_MS = 6000;
const COPIED_MS = 1600;

const reducedMotion = (): boolean =>
  window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

function csrfToken(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content || null;
}

// Every htmx request carries the session's CSRF token.
document.addEventListener("htmx:configRequest", (event) => {
  const token = csrfToken();
  const detail = (event as CustomEvent<{ headers: Record<string, string> }>).detail;
  if (token && detail?.headers) detail.headers["X-CSRF-Token"] = token;
});

// A polite live region for short announcements ("Copied").
function announce(text: string): void {
  let region = document.getElementById("lyceum-live");
  if (!region) {
    region = document.createElement("div");
    region.id = "lyceum-live";
    region.className = "sr-only";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
  }
  region.textContent = "";
  window.setTimeout(() => (region!.textContent = text), 50);
}

// ---------------------------------------------------------------------------------------------
// (a) Drawer: [data-drawer-toggle="ID"] toggles `is-open` on #ID.

function drawerToggles(id: string): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("[data-drawer-toggle]")).filter(
    (el) => el.dataset.drawerToggle === id,
  );
}

function setDrawer(drawer: HTMLElement, open: boolean, returnFocus?: HTMLElement | null): void {
  drawer.classList.toggle("is-open", open);
  const toggles = drawerToggles(drawer.id);
  for (const t of toggles) t.setAttribute("aria-expanded", String(open));
  document.documentElement.classList.toggle("has-drawer-open", openDrawers().length > 0);
  if (open) {
    const first = drawer.querySelector<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])',
    );
    first?.focus({ preventScroll: true });
  } else if (returnFocus) {
    returnFocus.focus({ preventScroll: true });
  }
}

function openDrawers(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("[id].is-open")).filter(
    (el) => drawerToggles(el.id).length > 0,
  );
}

document.addEventListener("click", (event) => {
  const target = event.target as Element | null;
  const toggle = target?.closest<HTMLElement>("[data-drawer-toggle]");
  if (toggle) {
    const drawer = document.getElementById(toggle.dataset.drawerToggle || "");
    if (drawer) {
      event.preventDefault();
      const open = !drawer.classList.contains("is-open");
      // Closing from inside the drawer: give focus back to the toggle outside it.
      const outside = drawerToggles(drawer.id).find((t) => !drawer.contains(t)) ?? null;
      setDrawer(drawer, open, open ? null : outside);
    }
    return;
  }
  // A click outside an open drawer (on the backdrop) closes it.
  for (const drawer of openDrawers()) {
    if (target && !drawer.contains(target)) setDrawer(drawer, false);
  }
});

// Focus stays inside an open drawer that covers the page (a sheet on a phone): Tab from its last
// control goes to its first, Shift+Tab from the first to the last.
function trapFocus(event: KeyboardEvent): void {
  const drawer = openDrawers().find((d) => getComputedStyle(d).position === "fixed");
  if (!drawer) return;
  const focusable = Array.from(
    drawer.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])',
    ),
  ).filter((el) => el.offsetParent !== null);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement as HTMLElement | null;
  if (event.shiftKey && (active === first || !drawer.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !drawer.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Tab") {
    trapFocus(event);
    return;
  }
  if (event.key !== "Escape") return;
  for (const drawer of openDrawers()) {
    const outside = drawerToggles(drawer.id).find((t) => !drawer.contains(t)) ?? null;
    setDrawer(drawer, false, outside);
  }
});

// ---------------------------------------------------------------------------------------------
// (b) Toasts: [data-toast] leave after 6 s (paused while hovered or focused); [data-toast-close].

type ToastEl = HTMLElement & { __lyceumTimer?: number };

function dismissToast(toast: ToastEl): void {
  if (toast.classList.contains("is-leaving")) return;
  window.clearTimeout(toast.__lyceumTimer);
  toast.classList.add("is-leaving");
  const remove = () => {
    const container = toast.parentElement;
    toast.remove();
    // Drop an emptied flash container so it does not cover the page.
    if (container && !container.querySelector("[data-toast]") && container.hasAttribute("aria-live")) {
      container.replaceChildren();
    }
  };
  if (reducedMotion()) remove();
  else {
    toast.addEventListener("transitionend", remove, { once: true });
    window.setTimeout(remove, 400); // in case no transition runs
  }
}

function scheduleToast(toast: ToastEl): void {
  window.clearTimeout(toast.__lyceumTimer);
  if (toast.dataset.toast === "persist") return;
  toast.__lyceumTimer = window.setTimeout(() => dismissToast(toast), TOAST_MS);
}

function initToast(toast: ToastEl): void {
  if (toast.dataset.toastReady) return;
  toast.dataset.toastReady = "1";
  scheduleToast(toast);
  const pause = () => window.clearTimeout(toast.__lyceumTimer);
  const resume = () => {
    if (!toast.matches(":hover") && !toast.contains(document.activeElement)) scheduleToast(toast);
  };
  toast.addEventListener("mouseenter", pause);
  toast.addEventListener("focusin", pause);
  toast.addEventListener("mouseleave", resume);
  toast.addEventListener("focusout", () => window.setTimeout(resume, 0));
}

document.addEventListener("click", (event) => {
  const close = (event.target as Element | null)?.closest("[data-toast-close]");
  const toast = close?.closest<ToastEl>("[data-toast]");
  if (toast) {
    event.preventDefault();
    dismissToast(toast);
  }
});

// ---------------------------------------------------------------------------------------------
// (c) and (d): confirmation, then the loading state of a submitting form.

function submitButtons(form: HTMLFormElement): (HTMLButtonElement | HTMLInputElement)[] {
  return Array.from(form.elements).filter(
    (el): el is HTMLButtonElement | HTMLInputElement =>
      (el instanceof HTMLButtonElement && el.type === "submit") ||
      (el instanceof HTMLInputElement && (el.type === "submit" || el.type === "image")),
  );
}

function setBusy(form: HTMLFormElement, busy: boolean): void {
  if (busy) form.setAttribute("aria-busy", "true");
  else form.removeAttribute("aria-busy");
  for (const button of submitButtons(form)) {
    if (busy) {
      if (button.disabled) continue;
      button.dataset.busyDisabled = "1";
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    } else if (button.dataset.busyDisabled) {
      delete button.dataset.busyDisabled;
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

// Links and buttons with data-confirm (a submit button's confirmation replaces its form's).
document.addEventListener(
  "click",
  (event) => {
    const el = (event.target as Element | null)?.closest<HTMLElement>("[data-confirm]");
    if (!el || el instanceof HTMLFormElement) return;
    if (!window.confirm(el.dataset.confirm || "")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// Capture phase: runs before htmx's own submit handler, so a cancelled confirm stops both.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = (event as SubmitEvent).submitter;
    if (form.dataset.confirm !== undefined && !submitter?.hasAttribute("data-confirm")) {
      if (!window.confirm(form.dataset.confirm || "")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
    }
    if (form.hasAttribute("data-disable-on-submit")) {
      if (form.getAttribute("aria-busy") === "true") {
        // Already submitting: ignore double submits.
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      // After the browser (or htmx) has read the submitter's name and value.
      window.setTimeout(() => setBusy(form, true), 0);
    }
  },
  true,
);

// htmx forms stay on the page: give the buttons back when the request ends.
document.addEventListener("htmx:afterRequest", (event) => {
  const elt = (event as CustomEvent<{ elt?: Element }>).detail?.elt;
  const form = elt instanceof HTMLFormElement ? elt : elt?.closest("form");
  if (form?.hasAttribute("data-disable-on-submit")) window.setTimeout(() => setBusy(form, false), 0);
});

// Back/forward cache: a page restored mid-submit must not keep disabled buttons.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-disable-on-submit]")) {
    setBusy(form, false);
  }
});

// ---------------------------------------------------------------------------------------------
// (e) Copy: [data-copy="text"], label from data-copied-label.

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

type CopyEl = HTMLElement & { __lyceumCopyTimer?: number; __lyceumCopyOriginal?: string };

document.addEventListener("click", (event) => {
  const el = (event.target as Element | null)?.closest<CopyEl>("[data-copy]");
  if (!el) return;
  event.preventDefault();
  void copyText(el.dataset.copy ?? "").then((ok) => {
    if (!ok) return;
    const label = el.dataset.copiedLabel || "Copied";
    const target = el.querySelector<HTMLElement>("[data-copy-label]") ?? el;
    if (el.__lyceumCopyOriginal === undefined) el.__lyceumCopyOriginal = target.innerHTML;
    target.textContent = label;
    el.setAttribute("data-copied", "");
    announce(label);
    window.clearTimeout(el.__lyceumCopyTimer);
    el.__lyceumCopyTimer = window.setTimeout(() => {
      target.innerHTML = el.__lyceumCopyOriginal ?? "";
      el.__lyceumCopyOriginal = undefined;
      el.removeAttribute("data-copied");
    }, COPIED_MS);
  });
});

// ---------------------------------------------------------------------------------------------
// (f) Colour inputs: a picker and a text field with the same data-color-sync group mirror each other.

function normalizeHex(value: string): string | null {
  const v = value.trim().replace(/^#?/, "#").toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return "#" + [...v.slice(1)].map((c) => c + c).join("");
  return null;
}

function colorGroup(name: string): HTMLInputElement[] {
  return Array.from(document.querySelectorAll<HTMLInputElement>("input[data-color-sync]")).filter(
    (el) => el.dataset.colorSync === name,
  );
}

function syncColor(source: HTMLInputElement): void {
  const hex = normalizeHex(source.value);
  for (const other of colorGroup(source.dataset.colorSync || "")) {
    if (other === source) continue;
    if (other.type === "color") {
      if (hex) other.value = hex;
    } else if (source.type === "color" || hex) {
      other.value = hex ?? source.value;
    }
    other.removeAttribute("aria-invalid");
  }
  if (source.type !== "color") {
    if (hex || source.value.trim() === "") source.removeAttribute("aria-invalid");
  }
}

document.addEventListener("input", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.dataset.colorSync !== undefined) syncColor(el);
});

document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.dataset.colorSync !== undefined && el.type !== "color") {
    const hex = normalizeHex(el.value);
    if (hex) el.value = hex; // tidy "#ABC" into "#aabbcc" when leaving the field
  }
});

function initColorSync(root: ParentNode): void {
  const seen = new Set<string>();
  for (const el of root.querySelectorAll<HTMLInputElement>("input[data-color-sync]")) {
    const group = el.dataset.colorSync || "";
    if (seen.has(group)) continue;
    seen.add(group);
    // The text field holds the submitted value: let the picker follow it.
    const text = colorGroup(group).find((i) => i.type !== "color");
    if (text) syncColor(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Also used by the templates:
//   data-autosubmit on a field submits its form when the value changes (language switcher).
//   data-brand-form / data-brand-preview: the branding form previews colours and heading font
//   live, with the server's own rules (kernel/src/web/school.rs, `compute_theme`).

document.addEventListener("change", (event) => {
  const el = event.target as HTMLElement | null;
  if (!el?.hasAttribute?.("data-autosubmit")) return;
  const form = (el as HTMLInputElement).form;
  if (!form) return;
  if (typeof form.requestSubmit === "function") form.requestSubmit();
  else form.submit();
});

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
const rgbToHex = (c: Rgb): string => "#" + c.map((x) => x.toString(16).padStart(2, "0")).join("");
const shade = (c: Rgb, f: number): Rgb => c.map((x) => Math.round(x * f)) as Rgb;
const tint = (c: Rgb, f: number): Rgb => c.map((x) => Math.round(x + (255 - x) * f)) as Rgb;

function luminance(c: Rgb): number {
  const ch = (x: number) => {
    const v = x / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
}

function contrast(a: Rgb, b: Rgb): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function updateBrandPreview(form: HTMLFormElement): void {
  const preview = document.querySelector<HTMLElement>("[data-brand-preview]");
  if (!preview) return;
  const value = (name: string) => normalizeHex((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "");
  const brand = value("brand_color");
  if (brand) {
    const rgb = hexToRgb(brand);
    const white: Rgb = [255, 255, 255];
    let text = rgb;
    for (let i = 0; i < 64 && contrast(text, white) < 4.5; i++) text = shade(text, 0.85);
    preview.style.setProperty("--brand", brand);
    preview.style.setProperty("--brand-rgb", rgb.join(" "));
    preview.style.setProperty("--on-brand", contrast(rgb, white) >= 4.5 ? "#ffffff" : "#0b1020");
    preview.style.setProperty("--brand-hover", rgbToHex(shade(rgb, 0.88)));
    preview.style.setProperty("--brand-text", rgbToHex(text));
    preview.style.setProperty("--brand-subtle", rgbToHex(tint(rgb, 0.92)));
  }
  const accent = value("accent_color");
  if (accent) preview.style.setProperty("--accent", accent);
  const font = form.querySelector<HTMLInputElement>("input[data-font-family]:checked");
  if (font?.dataset.fontFamily) preview.style.setProperty("--font-heading", font.dataset.fontFamily);
}

for (const type of ["input", "change"]) {
  document.addEventListener(type, (event) => {
    const form = (event.target as HTMLInputElement | null)?.form;
    if (form?.hasAttribute("data-brand-form")) updateBrandPreview(form);
  });
}

// ---------------------------------------------------------------------------------------------
// On the first page and on every piece of HTML htmx swaps in.

htmx.onLoad((root) => {
  const el = root as Element;
  if (!(el instanceof Element)) return;
  const toasts = el.matches("[data-toast]") ? [el] : Array.from(el.querySelectorAll("[data-toast]"));
  for (const toast of toasts) initToast(toast as ToastEl);
  initColorSync(el);
  initTimeZonePickers(el);
  initMediaPickers(el);
});
