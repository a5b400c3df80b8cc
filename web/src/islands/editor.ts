// The rich-text editor island: enhances every <textarea data-rich-text> with a Tiptap editor
// and a compact toolbar (bold, italic, H2, H3, lists, quote, link, undo/redo). The textarea is
// hidden and receives the editor's HTML on every change, so the form posts it exactly as it
// would without JavaScript (when the textarea itself is the field). The server sanitises it.
//
//   <textarea name="body_html" data-rich-text data-placeholder="…" data-labels='{"bold": "…"}'>
//   {{ asset('editor.js') }} in a <script defer> on the page.

import { Editor } from "@tiptap/core";
import Link from "@tiptap/extension-link";
import Placeholder from "@tiptap/extension-placeholder";
import StarterKit from "@tiptap/starter-kit";

import bold from "lucide-static/icons/bold.svg";
import heading2 from "lucide-static/icons/heading-2.svg";
import heading3 from "lucide-static/icons/heading-3.svg";
import italic from "lucide-static/icons/italic.svg";
import link from "lucide-static/icons/link.svg";
import list from "lucide-static/icons/list.svg";
import listOrdered from "lucide-static/icons/list-ordered.svg";
import quote from "lucide-static/icons/quote.svg";
import redo from "lucide-static/icons/redo-2.svg";
import undo from "lucide-static/icons/undo-2.svg";

import { icon } from "./icons";
import { autoMount, readLabels, type Island } from "./shared";

const LABELS = {
  toolbar: "Formatting",
  bold: "Bold",
  italic: "Italic",
  h2: "Heading",
  h3: "Subheading",
  bullets: "Bulleted list",
  numbers: "Numbered list",
  quote: "Quote",
  link: "Link",
  linkPrompt: "Link address",
  linkApply: "Apply",
  linkRemove: "Remove link",
  linkInvalid: "Use a web address (https://…) or an email address (mailto:…).",
  undo: "Undo",
  redo: "Redo",
};

type Labels = typeof LABELS;

interface Tool {
  key: keyof Labels;
  svg: string;
  run: (e: Editor) => void;
  active?: (e: Editor) => boolean;
  enabled?: (e: Editor) => boolean;
  shortcut?: string;
}

const TOOLS: (Tool | "|")[] = [
  { key: "bold", svg: bold, run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive("bold"), shortcut: "Control+B" },
  { key: "italic", svg: italic, run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive("italic"), shortcut: "Control+I" },
  "|",
  { key: "h2", svg: heading2, run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(), active: (e) => e.isActive("heading", { level: 2 }) },
  { key: "h3", svg: heading3, run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(), active: (e) => e.isActive("heading", { level: 3 }) },
  "|",
  { key: "bullets", svg: list, run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
  { key: "numbers", svg: listOrdered, run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
  { key: "quote", svg: quote, run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive("blockquote") },
  { key: "link", svg: link, run: () => undefined, active: (e) => e.isActive("link") },
  "|",
  { key: "undo", svg: undo, run: (e) => e.chain().focus().undo().run(), enabled: (e) => e.can().undo(), shortcut: "Control+Z" },
  { key: "redo", svg: redo, run: (e) => e.chain().focus().redo().run(), enabled: (e) => e.can().redo(), shortcut: "Control+Shift+Z" },
];

/** Only web and mail addresses become links (the server's sanitiser agrees). */
function safeHref(value: string): string | null {
  const v = value.trim();
  if (!v) return "";
  if (/^(https?:|mailto:)/i.test(v)) return v;
  if (/^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(v)) return `https://${v}`;
  return null;
}

function mount(textarea: HTMLElement): Island {
  const field = textarea as HTMLTextAreaElement;
  const labels = readLabels(field, LABELS);
  const wrapper = document.createElement("div");
  wrapper.className = "rich-editor";
  if (field.classList.contains("input-error")) wrapper.classList.add("is-invalid");

  const toolbar = document.createElement("div");
  toolbar.className = "rich-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", labels.toolbar);
  const linkbar = document.createElement("div");
  linkbar.className = "rich-linkbar";
  linkbar.hidden = true;
  const surface = document.createElement("div");
  wrapper.append(toolbar, linkbar, surface);
  field.insertAdjacentElement("afterend", wrapper);
  field.hidden = true;

  const editor = new Editor({
    element: surface,
    content: field.value,
    extensions: [
      StarterKit.configure({ heading: { levels: [2, 3] }, link: false, code: false, codeBlock: false }),
      Link.configure({ openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] }),
      Placeholder.configure({ placeholder: field.dataset.placeholder || field.getAttribute("placeholder") || "" }),
    ],
    editorProps: {
      attributes: {
        class: "prose-lyceum rich-surface",
        role: "textbox",
        "aria-multiline": "true",
        ...(field.id ? { "aria-labelledby": labelId(field) } : {}),
        ...(field.getAttribute("aria-describedby") ? { "aria-describedby": field.getAttribute("aria-describedby")! } : {}),
        ...(field.getAttribute("aria-invalid") ? { "aria-invalid": "true" } : {}),
      },
    },
    onUpdate: ({ editor }) => {
      // The trailing empty paragraph Tiptap keeps for the cursor is not content.
      field.value = editor.isEmpty ? "" : editor.getHTML().replace(/(<p><\/p>)+$/, "");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });

  const buttons: [Tool, HTMLButtonElement][] = [];
  for (const tool of TOOLS) {
    if (tool === "|") {
      const sep = document.createElement("span");
      sep.className = "rich-sep";
      sep.setAttribute("aria-hidden", "true");
      toolbar.appendChild(sep);
      continue;
    }
    const b = document.createElement("button");
    b.type = "button";
    b.className = "rich-tool";
    b.innerHTML = icon(tool.svg);
    b.setAttribute("aria-label", labels[tool.key]);
    b.title = labels[tool.key];
    if (tool.shortcut) b.setAttribute("aria-keyshortcuts", tool.shortcut);
    b.tabIndex = buttons.length === 0 ? 0 : -1;
    b.addEventListener("mousedown", (e) => e.preventDefault()); // keep the selection
    b.addEventListener("click", () => {
      if (tool.key === "link") openLinkbar(linkbar, editor, labels);
      else tool.run(editor);
    });
    buttons.push([tool, b]);
    toolbar.appendChild(b);
  }

  // One tab stop for the toolbar; arrows, Home and End move between its buttons.
  toolbar.addEventListener("keydown", (e) => {
    const list = buttons.map(([, b]) => b);
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: list.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = list[(next + list.length) % list.length];
    list.forEach((b) => (b.tabIndex = b === to ? 0 : -1));
    to.focus();
  });

  const refresh = () => {
    for (const [tool, b] of buttons) {
      if (tool.active) b.setAttribute("aria-pressed", String(tool.active(editor)));
      if (tool.enabled) b.disabled = !tool.enabled(editor);
    }
    wrapper.classList.toggle("is-focused", editor.isFocused);
  };
  editor.on("transaction", refresh);
  editor.on("focus", refresh);
  editor.on("blur", refresh);
  refresh();

  // The label of the hidden textarea now focuses the editor.
  const label = field.id ? document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(field.id)}"]`) : null;
  const focus = (e: Event) => {
    e.preventDefault();
    editor.commands.focus();
  };
  label?.addEventListener("click", focus);

  return {
    destroy() {
      label?.removeEventListener("click", focus);
      editor.destroy();
      wrapper.remove();
      field.hidden = false;
    },
  };
}

function labelId(field: HTMLTextAreaElement): string {
  const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(field.id)}"]`);
  if (!label) return "";
  if (!label.id) label.id = `${field.id}-label`;
  return label.id;
}

/** The link bar under the toolbar: the address of the selected link, applied with Enter. */
function openLinkbar(bar: HTMLElement, editor: Editor, labels: Labels): void {
  const current = (editor.getAttributes("link").href as string | undefined) ?? "";
  bar.replaceChildren();
  const input = document.createElement("input");
  input.type = "url";
  input.className = "input";
  input.value = current;
  input.placeholder = "https://";
  input.setAttribute("aria-label", labels.linkPrompt);
  const error = document.createElement("p");
  error.className = "field-error";
  error.id = `rich-link-${Math.random().toString(36).slice(2)}`;
  error.hidden = true;
  const button = (text: string, kind: string, run: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `btn btn-sm ${kind}`;
    b.textContent = text;
    b.addEventListener("click", run);
    return b;
  };
  const close = () => {
    bar.hidden = true;
    bar.replaceChildren();
    editor.commands.focus();
  };
  const apply = () => {
    const href = safeHref(input.value);
    if (href === null) {
      error.textContent = labels.linkInvalid;
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
      input.focus();
      return;
    }
    const chain = editor.chain().focus().extendMarkRange("link");
    if (href === "") chain.unsetLink().run();
    else chain.setLink({ href }).run();
    close();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault(); // never submit the lesson's form from here
      apply();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
  const row = document.createElement("div");
  row.className = "rich-linkrow";
  row.append(input, button(labels.linkApply, "btn-primary", apply));
  if (current) row.append(button(labels.linkRemove, "btn-ghost", () => ((input.value = ""), apply())));
  bar.append(row, error);
  bar.hidden = false;
  input.focus();
  input.select();
}

autoMount("textarea[data-rich-text]", mount);
