// The newsroom's writing surface: the Markdown body in CodeMirror 6, with a toolbar and the
// usual shortcuts, paste from word processors and web pages as Markdown, and pictures from
// the library put in at the cursor. The page's <textarea> stays the source of truth: every
// change is written back to it (and announced with an "input" event), so the form, autosave,
// "leave page?" and the step buttons send what is on screen. "Markdown mode" shows the plain
// box instead. Without this script the plain box is all there is, and it works.
import { EditorState, EditorSelection, Prec } from "@codemirror/state";
import { EditorView, keymap, drawSelection, highlightActiveLine, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, undo, redo } from "@codemirror/commands";
import { HighlightStyle, Language, defineLanguageFacet, syntaxHighlighting } from "@codemirror/language";
import { GFM, parser as markdownParser } from "@lezer/markdown";
import { tags } from "@lezer/highlight";

// Markdown as the site reads it (CommonMark with tables and strikethrough), without the
// languages of code blocks: the writing surface stays small.
const markdownLanguageHere = new Language(defineLanguageFacet({ commentTokens: {} }),
  markdownParser.configure(GFM), [], "markdown");
import { htmlToMarkdown } from "./paste.js";
import { linkPicker } from "./link-picker.js";
import { t } from "./words.js";

const looks = HighlightStyle.define([
  { tag: tags.heading1, class: "cm-h1" },
  { tag: tags.heading2, class: "cm-h2" },
  { tag: tags.heading3, class: "cm-h3" },
  { tag: [tags.heading4, tags.heading5, tags.heading6], class: "cm-h4" },
  { tag: tags.strong, class: "cm-strong" },
  { tag: tags.emphasis, class: "cm-em" },
  { tag: tags.strikethrough, class: "cm-strike" },
  { tag: [tags.link, tags.url], class: "cm-link" },
  { tag: tags.quote, class: "cm-quote" },
  { tag: [tags.processingInstruction, tags.meta, tags.contentSeparator], class: "cm-mark" },
  { tag: tags.monospace, class: "cm-code" },
]);

function wrap(view, before, after, empty) {
  view.dispatch(view.state.changeByRange((range) => {
    const text = view.state.sliceDoc(range.from, range.to) || empty;
    const insert = before + text + after;
    return {
      changes: { from: range.from, to: range.to, insert },
      range: EditorSelection.range(range.from + before.length, range.from + before.length + text.length),
    };
  }));
  view.focus();
  return true;
}

// The link picker of the page's editor (see link-picker.js), once it is made; without one (a
// browser with no <dialog>) Ctrl+K asks for the address in a plain prompt.
let pickLink = null;

function link(view) {
  if (pickLink) return pickLink();
  const range = view.state.selection.main;
  const text = view.state.sliceDoc(range.from, range.to) || t("link text");
  const address = window.prompt(t("Address of the link (https://…, or #source-1 for the first source):"), "https://");
  if (address === null) {
    view.focus();
    return true;
  }
  const insert = "[" + text + "](" + address.trim() + ")";
  view.dispatch({ changes: { from: range.from, to: range.to, insert },
    selection: EditorSelection.cursor(range.from + insert.length) });
  view.focus();
  return true;
}

// Each selected line gets the prefix (a heading's, a list's, a quote's), or loses it when
// it has it already.
function linePrefix(view, prefix, numbered) {
  const state = view.state;
  const lines = [];
  for (const range of state.selection.ranges) {
    for (let at = range.from; at <= range.to;) {
      const line = state.doc.lineAt(at);
      if (!lines.some((l) => l.number === line.number)) lines.push(line);
      at = line.to + 1;
    }
  }
  const all = lines.every((line) => (numbered ? /^\d+\. /.test(line.text) : line.text.startsWith(prefix)));
  const changes = lines.map((line, index) => {
    const old = /^(#{1,6} |[-*+] |\d+\. |> )/.exec(line.text);
    const mark = numbered ? index + 1 + ". " : prefix;
    return { from: line.from, to: line.from + (old ? old[0].length : 0), insert: all ? "" : mark };
  });
  view.dispatch({ changes });
  view.focus();
  return true;
}

function insertBlock(view, block) {
  const range = view.state.selection.main;
  const line = view.state.doc.lineAt(range.from);
  const before = line.text.trim() ? "\n\n" : "";
  const insert = before + block + "\n\n";
  view.dispatch({ changes: { from: line.to, insert }, selection: EditorSelection.cursor(line.to + insert.length) });
  view.focus();
  return true;
}

const TABLE = "| Heading | Heading |\n| --- | --- |\n| Text | Text |";

const COMMANDS = {
  bold: { label: t("Bold"), keys: "Ctrl+B", run: (v) => wrap(v, "**", "**", t("bold text")) },
  italic: { label: t("Italic"), keys: "Ctrl+I", run: (v) => wrap(v, "*", "*", t("italic text")) },
  link: { label: t("Link"), keys: "Ctrl+K", run: link },
  heading: { label: t("Heading"), keys: "Ctrl+Alt+2", run: (v) => linePrefix(v, "## ") },
  subheading: { label: t("Subheading"), keys: "Ctrl+Alt+3", run: (v) => linePrefix(v, "### ") },
  bullets: { label: t("Bulleted list"), keys: "Ctrl+Shift+8", run: (v) => linePrefix(v, "- ") },
  numbers: { label: t("Numbered list"), keys: "Ctrl+Shift+7", run: (v) => linePrefix(v, "", true) },
  quote: { label: t("Quote"), keys: "Ctrl+Shift+9", run: (v) => linePrefix(v, "> ") },
  table: { label: t("Table"), keys: "", run: (v) => insertBlock(v, TABLE) },
  undo: { label: t("Undo"), keys: "Ctrl+Z", run: (v) => { undo(v); v.focus(); return true; } },
  redo: { label: t("Redo"), keys: "Ctrl+Shift+Z", run: (v) => { redo(v); v.focus(); return true; } },
};

const SHORTCUTS = [
  { key: "Mod-b", run: COMMANDS.bold.run },
  { key: "Mod-i", run: COMMANDS.italic.run },
  { key: "Mod-k", run: COMMANDS.link.run },
  { key: "Mod-Alt-2", run: COMMANDS.heading.run },
  { key: "Mod-Alt-3", run: COMMANDS.subheading.run },
  { key: "Mod-Shift-8", run: COMMANDS.bullets.run },
  { key: "Mod-Shift-7", run: COMMANDS.numbers.run },
  { key: "Mod-Shift-9", run: COMMANDS.quote.run },
];

function button(name, view, onPress) {
  const command = COMMANDS[name];
  const element = document.createElement("button");
  element.type = "button";
  element.className = "tool tool-" + name;
  element.textContent = command.label;
  if (command.keys) {
    element.setAttribute("aria-keyshortcuts", command.keys.replace("Ctrl", "Control"));
    element.title = command.label + " (" + command.keys + ")";
  }
  element.addEventListener("click", () => onPress(command));
  return element;
}

function pasteInto(event, insert) {
  const html = event.clipboardData && event.clipboardData.getData("text/html");
  if (!html) return false; // plain text pastes as it is
  const text = htmlToMarkdown(html);
  event.preventDefault();
  insert(text);
  return true;
}

function start(textarea) {
  const form = textarea.form;
  const label = document.querySelector("label[for='" + textarea.id + "']");
  const help = document.getElementById(textarea.id + "_helptext");
  const surface = document.createElement("div");
  surface.className = "writing-surface";
  const toolbar = document.createElement("div");
  toolbar.className = "writing-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", t("Text formatting"));
  toolbar.setAttribute("aria-controls", textarea.id + "-rich");
  const holder = document.createElement("div");
  holder.className = "writing-editor";
  holder.id = textarea.id + "-rich";
  surface.append(toolbar, holder);
  textarea.parentNode.insertBefore(surface, textarea);
  // On a phone the compact bar stays on top of the page: the toolbar stays just under it.
  const bar = document.getElementById("compact-bar");
  function underTheBar() {
    const on = bar && window.getComputedStyle(bar).display !== "none";
    surface.style.setProperty("--covered-top", (on ? bar.offsetHeight : 0) + "px");
  }
  underTheBar();
  window.addEventListener("resize", underTheBar);
  if (label && !label.id) label.id = textarea.id + "-label";

  let writing = false; // true while the editor writes to the textarea itself
  function toTextarea(text) {
    writing = true;
    textarea.value = text;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    writing = false;
  }

  const view = new EditorView({
    parent: holder,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        history(),
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        markdownLanguageHere,
        syntaxHighlighting(looks),
        placeholder(t("Write the article here. Paste from Word or Google Docs keeps its headings, lists, tables and links.")),
        Prec.highest(keymap.of(SHORTCUTS)),
        keymap.of([...historyKeymap, ...defaultKeymap]),
        EditorView.contentAttributes.of({
          "aria-labelledby": label ? label.id : "",
          "aria-describedby": help ? help.id : "",
          "aria-multiline": "true",
          role: "textbox",
          spellcheck: "true",
          autocapitalize: "sentences",
          lang: document.documentElement.lang || "en",
        }),
        EditorView.domEventHandlers({
          paste(event, editor) {
            return pasteInto(event, (text) => {
              // Blocks pasted after words start a paragraph of their own, and end one.
              const from = editor.state.selection.main.from;
              const line = editor.state.doc.lineAt(from);
              let insert = text;
              if (text.indexOf("\n") >= 0) {
                if (editor.state.sliceDoc(line.from, from).trim()) insert = "\n\n" + insert;
                insert += "\n\n";
              }
              editor.dispatch(editor.state.replaceSelection(insert));
            });
          },
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) toTextarea(update.state.doc.toString());
        }),
      ],
    }),
  });

  // The plain box, for those who write Markdown by hand: it pastes as Markdown too.
  textarea.addEventListener("paste", (event) => {
    pasteInto(event, (text) => {
      const from = textarea.selectionStart;
      const to = textarea.selectionEnd;
      textarea.setRangeText(text, from, to, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
  textarea.addEventListener("input", () => {
    if (!writing && textarea.hidden === false) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
    }
  });

  const mode = document.createElement("button");
  mode.type = "button";
  mode.className = "tool tool-mode";
  mode.textContent = t("Markdown mode");
  function setMode(plain) {
    mode.setAttribute("aria-pressed", plain ? "true" : "false");
    holder.hidden = plain;
    textarea.hidden = !plain;
    Array.from(toolbar.querySelectorAll(".tool:not(.tool-mode)")).forEach((tool) => { tool.hidden = plain; });
    if (label) label.htmlFor = plain ? textarea.id : "";
    if (!plain && view.state.doc.toString() !== textarea.value) {
      writing = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
      writing = false;
    }
    try { window.localStorage.setItem("knowhow-markdown-mode", plain ? "1" : ""); } catch (e) { /* private mode */ }
  }
  mode.addEventListener("click", () => {
    const plain = mode.getAttribute("aria-pressed") !== "true";
    setMode(plain);
    (plain ? textarea : view.contentDOM).focus();
  });
  Object.keys(COMMANDS).forEach((name) => {
    toolbar.appendChild(button(name, view, (command) => command.run(view)));
  });
  toolbar.appendChild(mode);
  if (label) {
    label.addEventListener("click", () => { if (!holder.hidden) view.focus(); });
  }
  let plain = false;
  try { plain = window.localStorage.getItem("knowhow-markdown-mode") === "1"; } catch (e) { /* private mode */ }
  setMode(plain);
  const searchUrl = form && form.getAttribute("data-link-search-url");
  if (searchUrl && typeof HTMLDialogElement === "function" && window.fetch) {
    pickLink = linkPicker(view, textarea, searchUrl);
    // In Markdown mode Ctrl+K opens the same picker for the plain box.
    textarea.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        pickLink();
      }
    });
  }

  // A library picture's "Put in the text" puts its reference at the cursor, without a reload.
  document.querySelectorAll("button.put-picture[data-picture]").forEach((put) => {
    put.addEventListener("click", (event) => {
      event.preventDefault();
      const caption = form.elements.namedItem("picture_caption");
      const words = caption && caption.value ? caption.value.replace(/\s+/g, " ").trim() : "";
      const alt = (put.getAttribute("data-alt") || "").replace(/\s+/g, " ").replace(/([\\[\]])/g, "\\$1");
      const reference = "![" + alt + "](picture:" + put.getAttribute("data-picture") +
        (words ? ' "' + words.replace(/(["\\])/g, "\\$1") + '"' : "") + ")";
      if (holder.hidden) {
        textarea.setRangeText("\n\n" + reference + "\n\n", textarea.selectionStart, textarea.selectionEnd, "end");
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        textarea.focus();
      } else {
        insertBlock(view, reference);
      }
      if (caption) caption.value = "";
      const status = document.getElementById("writing-status");
      if (status) status.textContent = t("The picture is in the text, where the cursor was.");
    });
  });
  return view;
}

// The side panel's outline takes the writer to a heading: the cursor goes to the end of its
// line, in the rich editor or in the plain box, and the line is scrolled into view.
function goToLine(view, textarea, number) {
  if (textarea.hidden) {
    const line = view.state.doc.line(Math.max(1, Math.min(number, view.state.doc.lines)));
    // Clear of the toolbar (and the compact bar above it), which stay on top as the page scrolls.
    const toolbar = view.dom.closest(".writing-surface").querySelector(".writing-toolbar");
    const margin = (parseFloat(window.getComputedStyle(toolbar).top) || 0) + toolbar.offsetHeight + 24;
    view.dispatch({ selection: EditorSelection.cursor(line.to),
      effects: EditorView.scrollIntoView(line.from, { y: "start", yMargin: margin }) });
    view.focus();
    return;
  }
  const lines = textarea.value.split("\n");
  const upTo = lines.slice(0, Math.max(0, number - 1)).join("\n").length + (number > 1 ? 1 : 0);
  const end = upTo + (lines[number - 1] || "").length;
  textarea.focus();
  textarea.setSelectionRange(end, end);
  const height = parseFloat(window.getComputedStyle(textarea).lineHeight) || 24;
  textarea.scrollTop = Math.max(0, (number - 3) * height);
  textarea.scrollIntoView({ block: "nearest" });
}

const body = document.querySelector("form#editor-form textarea[name=body]");
if (body) {
  const view = start(body);
  window.knowhowWriting = { view, htmlToMarkdown, goToLine: (number) => goToLine(view, body, number) };
}
