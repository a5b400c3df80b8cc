// The time-zone picker (kernel/macros.html, `time_zone_picker`): a native <select> grouped by
// region that works on its own; this adds a search box that narrows the list, and offers the
// device's own zone in one click. Nothing is chosen for the person: a "school default" stays
// the default until they pick.
//
//   [data-tz-picker]   the field; holds [data-tz-search], the <select>, [data-tz-suggest] > [data-tz-use]

type Group = { label: string; options: HTMLOptionElement[] };

const fold = (s: string): string =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();

function narrow(select: HTMLSelectElement, loose: HTMLOptionElement[], groups: Group[], query: string): void {
  const value = select.value;
  const q = fold(query.trim());
  const matches = (o: HTMLOptionElement) => !q || o.value === value || fold(`${o.value} ${o.text}`).includes(q);
  const parts: HTMLElement[] = [...loose];
  for (const group of groups) {
    const shown = group.options.filter(matches);
    if (shown.length === 0) continue;
    const el = document.createElement("optgroup");
    el.label = group.label;
    el.append(...shown);
    parts.push(el);
  }
  select.replaceChildren(...parts);
  select.value = value;
}

function initPicker(root: HTMLElement): void {
  if (root.dataset.tzReady) return;
  root.dataset.tzReady = "1";
  const select = root.querySelector("select");
  if (!select) return;
  const loose = Array.from(select.children).filter((c): c is HTMLOptionElement => c instanceof HTMLOptionElement);
  const groups: Group[] = Array.from(select.querySelectorAll("optgroup")).map((g) => ({
    label: g.label,
    options: Array.from(g.querySelectorAll("option")),
  }));
  const all = [...loose, ...groups.flatMap((g) => g.options)];

  const search = root.querySelector<HTMLInputElement>("[data-tz-search]");
  if (search) {
    search.hidden = false;
    search.addEventListener("input", () => narrow(select, loose, groups, search.value));
    // Enter in the search box picks the first match instead of submitting the form.
    search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = select.querySelector<HTMLOptionElement>("optgroup option");
      if (first) select.value = first.value;
      select.focus();
    });
  }

  const suggest = root.querySelector<HTMLElement>("[data-tz-suggest]");
  const use = root.querySelector<HTMLButtonElement>("[data-tz-use]");
  let device = "";
  try {
    device = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    device = "";
  }
  const option = all.find((o) => o.value === device);
  if (!suggest || !use || !option) return;
  // "The school's default" already means the device's zone when the school is in it.
  const refresh = () => (suggest.hidden = (select.value || root.dataset.tzDefault || "") === device);
  use.textContent = option.text;
  use.addEventListener("click", () => {
    if (search && search.value) {
      search.value = "";
      narrow(select, loose, groups, "");
    }
    select.value = device;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    refresh();
    select.focus();
  });
  select.addEventListener("change", refresh);
  refresh();
}

/** Sets up every picker under `root` (the page, or HTML htmx swapped in). */
export function initTimeZonePickers(root: Element): void {
  const pickers = root.matches("[data-tz-picker]") ? [root] : Array.from(root.querySelectorAll("[data-tz-picker]"));
  for (const picker of pickers) initPicker(picker as HTMLElement);
}
