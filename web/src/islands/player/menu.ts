// The player's small popover menus (speed, quality, captions): one open at a time, a list of
// radio items, keyboard navigation (arrows, Home/End, Escape), closed by a click outside.

import { h } from "../shared";

export interface MenuItem {
  label: string;
  checked: boolean;
  select(): void;
}

export class PlayerMenu {
  readonly el: HTMLElement;
  private owner: HTMLButtonElement | null = null;
  private readonly list: HTMLElement;
  private readonly title: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly onToggle: (open: boolean) => void,
  ) {
    this.el = h("div", "player-menu", { hidden: "" });
    this.title = h("div", "player-menu-title", { "aria-hidden": "true" });
    this.list = h("div", "player-menu-list", { role: "menu" });
    this.el.append(this.title, this.list);
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener("pointerdown", this.onOutside);
  }

  private readonly onOutside = (e: PointerEvent) => {
    const target = e.target as Node;
    if (this.owner && !this.el.contains(target) && !this.owner.contains(target)) this.close(false);
  };

  destroy(): void {
    this.close(false);
    document.removeEventListener("pointerdown", this.onOutside);
  }

  isOpen(): boolean {
    return this.owner !== null;
  }

  /** Opens (or, from the same button, closes) a menu under `button`. */
  toggle(button: HTMLButtonElement, title: string, items: MenuItem[], grid: number): void {
    if (this.owner === button) return this.close(true);
    this.close(false);
    this.owner = button;
    this.title.textContent = title;
    this.list.setAttribute("aria-label", title);
    this.list.style.setProperty("--cols", String(grid));
    this.list.replaceChildren(
      ...items.map((item) => {
        const el = h("button", "player-menu-item", {
          type: "button",
          role: "menuitemradio",
          "aria-checked": String(item.checked),
          tabindex: "-1",
        });
        el.textContent = item.label;
        el.addEventListener("click", () => {
          item.select();
          this.close(true);
        });
        return el;
      }),
    );
    // Right-aligned with its button, inside the player.
    const rootBox = this.root.getBoundingClientRect();
    const box = button.getBoundingClientRect();
    this.el.style.right = `${Math.max(8, rootBox.right - box.right)}px`;
    this.el.hidden = false;
    button.setAttribute("aria-expanded", "true");
    this.onToggle(true);
    const checked = this.items().find((el) => el.getAttribute("aria-checked") === "true") ?? this.items()[0];
    checked?.focus({ preventScroll: true });
  }

  close(returnFocus: boolean): void {
    const owner = this.owner;
    if (!owner) return;
    this.owner = null;
    this.el.hidden = true;
    owner.setAttribute("aria-expanded", "false");
    if (returnFocus) owner.focus({ preventScroll: true });
    this.onToggle(false);
  }

  private items(): HTMLButtonElement[] {
    return Array.from(this.list.querySelectorAll<HTMLButtonElement>(".player-menu-item"));
  }

  private onKey(e: KeyboardEvent): void {
    const items = this.items();
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    // The CSS lays items out in a grid on narrow players: arrows move by row and column.
    const cols = getComputedStyle(this.list).gridTemplateColumns.split(" ").filter(Boolean).length || 1;
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    switch (e.key) {
      case "ArrowDown":
        move(i + cols);
        break;
      case "ArrowUp":
        move(i - cols);
        break;
      case "ArrowRight":
        move(i + 1);
        break;
      case "ArrowLeft":
        move(i - 1);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(items.length - 1);
        break;
      case "Escape":
        this.close(true);
        break;
      case "Tab":
        this.close(true);
        break;
      case " ":
      case "Enter":
        return; // the focused item's own click; stop here so the player does not see it
      default:
        // Player shortcuts still work while a menu is open.
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }
}
