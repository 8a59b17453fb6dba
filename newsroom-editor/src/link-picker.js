// The link picker (Ctrl+K, or the toolbar's "Link"): a modal dialog that finds the site's
// published articles as the writer types, and takes a typed https:// address (or #source-1
// for a source) too. Choosing puts [the selected text, or the article's title](address) where
// the selection was; Escape or "Cancel" puts nothing. Either way the focus goes back to the
// text, at the same place. The text is the rich editor's or, in Markdown mode, the plain box's:
// whichever is shown (see `textOf`).
import { EditorSelection } from "@codemirror/state";
import { t } from "./words.js";

// The two places the text is written in, behind one small interface: where the selection is,
// its words, putting a link in place of it, and giving the selection and the focus back.
function textOf(view, textarea) {
  const plain = () => textarea && !textarea.hidden;
  return {
    selection() {
      if (plain()) return { from: textarea.selectionStart, to: textarea.selectionEnd };
      const main = view.state.selection.main;
      return { from: main.from, to: main.to };
    },
    words(range) {
      return plain() ? textarea.value.slice(range.from, range.to) : view.state.sliceDoc(range.from, range.to);
    },
    put(range, insert) {
      if (plain()) {
        textarea.setRangeText(insert, range.from, range.to, "end");
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        return;
      }
      view.dispatch({ changes: { from: range.from, to: range.to, insert },
        selection: EditorSelection.cursor(range.from + insert.length), scrollIntoView: true });
    },
    giveBack(range) {
      if (plain()) {
        if (range) textarea.setSelectionRange(range.from, range.to);
        textarea.focus();
        return;
      }
      if (range) view.dispatch({ selection: EditorSelection.range(range.from, range.to) });
      view.focus();
    },
  };
}

const ADDRESS = /^(https:\/\/[^\s/]+\.[^\s]*|#[A-Za-z][\w-]*)$/;

// Markdown's link text with its brackets and backslashes escaped, on one line.
function linkText(text) {
  return text.replace(/\s+/g, " ").trim().replace(/([\\[\]])/g, "\\$1");
}

// An address as Markdown keeps it whole: spaces and parentheses percent-encoded.
function linkAddress(address) {
  return address.replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
}

let counter = 0;

function element(tag, attributes, text) {
  const made = document.createElement(tag);
  Object.keys(attributes || {}).forEach((name) => made.setAttribute(name, attributes[name]));
  if (text) made.textContent = text;
  return made;
}

// One dialog for the page, made the first time it is asked for.
function makeDialog(near) {
  const id = "link-picker-" + ++counter;
  const dialog = element("dialog", { class: "link-picker", "aria-labelledby": id + "-title",
    "aria-describedby": id + "-help" });
  const form = element("form", { method: "dialog", class: "link-picker-form" });
  const title = element("h2", { id: id + "-title" }, t("Link to an article or an address"));
  const help = element("p", { id: id + "-help", class: "help" },
    t("Type words of a published article's title, or paste an https:// address."));
  const label = element("label", { for: id + "-q" }, t("Find an article, or an address"));
  const input = element("input", { id: id + "-q", type: "search", autocomplete: "off",
    spellcheck: "false", "aria-describedby": id + "-help", "aria-controls": id + "-found" });
  const useAddress = element("button", { type: "button", class: "link-address", hidden: "" },
    t("Link to the address typed"));
  const status = element("p", { id: id + "-status", class: "link-status", role: "status",
    "aria-live": "polite" });
  const found = element("ul", { id: id + "-found", class: "link-found",
    "aria-label": t("Published articles") });
  const actions = element("div", { class: "link-actions" });
  const cancel = element("button", { type: "button", class: "secondary link-cancel" }, t("Cancel"));
  actions.append(cancel);
  form.append(title, help, label, input, useAddress, status, found, actions);
  dialog.append(form);
  // Beside the editor's form, not inside it (a form holds no form), under the newsroom's styles.
  (near.closest(".newsroom") || document.body).appendChild(dialog);
  return { dialog, form, input, useAddress, status, found, cancel };
}

export function linkPicker(view, textarea, searchUrl) {
  const text = textOf(view, textarea);
  let parts = null;
  let range = null; // the selection the link replaces
  let ticket = 0;
  let timer = null;
  let chosen = false;
  let shownFor = null; // the words the articles shown were found for
  let pickFirst = false; // Enter was pressed before the articles for the words came

  function close() {
    if (parts.dialog.open) parts.dialog.close();
  }

  function put(title, address) {
    const selected = text.words(range);
    text.put(range, "[" + linkText(selected || title) + "](" + linkAddress(address) + ")");
    chosen = true;
    close();
  }

  function showAddress() {
    const typed = parts.input.value.trim();
    const fits = ADDRESS.test(typed);
    parts.useAddress.hidden = !fits;
    if (fits) parts.useAddress.textContent = t("Link to %(address)s", { address: typed });
    return fits ? typed : "";
  }

  function show(articles, words) {
    shownFor = words;
    parts.found.textContent = "";
    articles.forEach((article) => {
      const item = element("li");
      const pick = element("button", { type: "button", class: "link-article",
        "data-address": article.address });
      pick.append(element("span", { class: "link-title" }, article.title),
        element("span", { class: "link-where" }, article.address + (article.topic ? " · " + article.topic : "")));
      pick.addEventListener("click", () => put(article.title, article.address));
      item.append(pick);
      parts.found.append(item);
    });
    if (articles.length) {
      const one = articles.length === 1;
      parts.status.textContent = words ?
        t(one ? "%(count)s article found. Arrow down to choose." : "%(count)s articles found. Arrow down to choose.", { count: articles.length }) :
        t(one ? "%(count)s article: the newest published. Type to find others." : "%(count)s articles: the newest published. Type to find others.", { count: articles.length });
    } else {
      parts.status.textContent = words ? t("No published article matches “%(words)s”.", { words: words }) :
        t("No article is published yet.");
    }
  }

  function find() {
    timer = null;
    const words = parts.input.value.trim();
    if (showAddress() || /^[a-z]+:/i.test(words) || words.startsWith("www.")) {
      // No articles are looked for: a search still under way must neither show its articles
      // nor choose one for an Enter pressed on these words.
      ++ticket;
      pickFirst = false;
    }
    if (showAddress()) {
      parts.found.textContent = "";
      parts.status.textContent = t("Press Enter to link to this address.");
      return;
    }
    if (/^[a-z]+:/i.test(words) || words.startsWith("www.")) {
      shownFor = words;
      parts.found.textContent = "";
      parts.status.textContent = t("Links go to the site's articles or to an https:// address.");
      return;
    }
    const mine = ++ticket;
    fetch(searchUrl + "?q=" + encodeURIComponent(words), { credentials: "same-origin",
      headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then((answer) => {
        if (mine !== ticket) return;
        show(answer.articles || [], words);
        const first = parts.found.querySelector("button.link-article");
        if (pickFirst && first) first.click();
        pickFirst = false;
      })
      .catch(() => {
        if (mine === ticket) {
          parts.found.textContent = "";
          parts.status.textContent = t("Could not look for articles just now; an https:// address still works.");
        }
      });
  }

  function buttons() {
    return Array.from(parts.dialog.querySelectorAll("input, button:not([hidden])"));
  }

  function wire() {
    parts = makeDialog(view.dom);
    parts.input.addEventListener("input", () => {
      window.clearTimeout(timer);
      pickFirst = false;
      showAddress();
      timer = window.setTimeout(find, 200);
    });
    parts.form.addEventListener("submit", (event) => {
      event.preventDefault(); // Enter in the search box
      const address = showAddress();
      const first = parts.found.querySelector("button.link-article");
      if (address) {
        put(address, address);
      } else if (shownFor !== parts.input.value.trim()) {
        window.clearTimeout(timer); // the articles shown are for other words: find, then choose
        pickFirst = true;
        find();
      } else if (first) {
        first.click();
      }
    });
    parts.useAddress.addEventListener("click", () => {
      const address = showAddress();
      if (address) put(address, address);
    });
    parts.cancel.addEventListener("click", close);
    parts.dialog.addEventListener("keydown", (event) => {
      const results = Array.from(parts.found.querySelectorAll("button.link-article"));
      const at = results.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault(); // a search box would only empty itself first
        close();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!results.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        if (at < 0) (step > 0 ? results[0] : results[results.length - 1]).focus();
        else if (at + step < 0) parts.input.focus();
        else results[Math.min(at + step, results.length - 1)].focus();
      } else if (event.key === "Tab") {
        // The focus stays in the dialog: past its last control it goes to its first.
        const all = buttons();
        const first = all[0];
        const last = all[all.length - 1];
        if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        } else if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        }
      }
    });
    // Escape (the dialog's cancel), "Cancel" or a choice: back to the text, where it was.
    parts.dialog.addEventListener("close", () => {
      window.clearTimeout(timer);
      ticket++;
      text.giveBack(chosen ? null : range);
    });
  }

  return function open() {
    if (!parts) wire();
    range = text.selection();
    chosen = false;
    shownFor = null;
    pickFirst = false;
    parts.input.value = "";
    parts.useAddress.hidden = true;
    parts.found.textContent = "";
    parts.status.textContent = "";
    parts.dialog.showModal();
    parts.input.focus();
    find();
    return true;
  };
}
