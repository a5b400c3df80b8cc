// The media picker (crates/media/templates/media/_picker.html): hides the fallback <select>,
// shows the current choice with "Choose from library" and "Remove", and opens a <dialog> whose
// list htmx loads from /admin/media/picker. Choosing an item sets the select's value (adding the
// option when the item is newer than the page), so the form posts it as without JavaScript.

import htmx from "htmx.org";

type PickerEl = HTMLElement & { __picker?: true };

function show(root: HTMLElement, select: HTMLSelectElement): void {
  const option = select.selectedOptions[0];
  const chosen = !!option && option.value !== "";
  const title = root.querySelector<HTMLElement>("[data-media-picker-title]");
  const meta = root.querySelector<HTMLElement>("[data-media-picker-meta]");
  const thumb = root.querySelector<HTMLElement>("[data-media-picker-thumb]");
  const clear = root.querySelector<HTMLElement>("[data-media-picker-clear]");
  if (title) title.textContent = option?.textContent?.trim() ?? "";
  if (meta) meta.textContent = chosen ? (option.dataset.meta ?? "") : "";
  if (clear) clear.hidden = !chosen;
  if (thumb) {
    thumb.querySelector("img")?.remove();
    const url = chosen ? option.dataset.thumb : "";
    const svg = thumb.querySelector("svg");
    if (url) {
      const img = document.createElement("img");
      img.src = url;
      img.alt = "";
      thumb.appendChild(img);
      if (svg) svg.style.display = "none";
    } else if (svg) svg.style.display = "";
  }
}

function choose(root: HTMLElement, select: HTMLSelectElement, button: HTMLElement): void {
  const id = button.dataset.pick ?? "";
  let option = Array.from(select.options).find((o) => o.value === id);
  if (!option) {
    option = document.createElement("option");
    option.value = id;
    option.textContent = button.dataset.title ?? "";
    select.appendChild(option);
  }
  option.dataset.thumb = button.dataset.thumb ?? "";
  option.dataset.meta = button.dataset.meta ?? "";
  select.value = id;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  show(root, select);
}

function init(root: PickerEl): void {
  if (root.__picker) return;
  root.__picker = true;
  const select = root.querySelector<HTMLSelectElement>("[data-media-picker-select]");
  const ui = root.querySelector<HTMLElement>("[data-media-picker-ui]");
  const dialog = root.querySelector<HTMLDialogElement>("[data-media-picker-dialog]");
  const list = root.querySelector<HTMLElement>("[data-media-picker-list]");
  const open = root.querySelector<HTMLButtonElement>("[data-media-picker-open]");
  if (!select || !ui || !dialog || !list || !open || typeof dialog.showModal !== "function") return;
  select.hidden = true;
  select.tabIndex = -1;
  ui.hidden = false;
  show(root, select);
  // The label points at the select; now it names the button that replaces it.
  root.querySelector("label")?.addEventListener("click", (e) => {
    e.preventDefault();
    open.focus();
  });
  let loaded = false;
  open.addEventListener("click", () => {
    dialog.showModal();
    dialog.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
    if (!loaded && list.dataset.url) {
      loaded = true;
      void htmx.ajax("GET", list.dataset.url, { target: list, swap: "innerHTML" });
    }
  });
  root.querySelector("[data-media-picker-clear]")?.addEventListener("click", () => {
    select.value = "";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    show(root, select);
    open.focus();
  });
  root.querySelector("[data-media-picker-close]")?.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => open.focus());
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  list.addEventListener("click", (e) => {
    const button = (e.target as Element).closest<HTMLElement>("[data-pick]");
    if (!button) return;
    choose(root, select, button);
    dialog.close();
  });
}

/** Enhances every media picker inside `root`. */
export function initMediaPickers(root: Element): void {
  const pickers = root.matches("[data-media-picker]")
    ? [root]
    : Array.from(root.querySelectorAll("[data-media-picker]"));
  for (const el of pickers) init(el as PickerEl);
}
