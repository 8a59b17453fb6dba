// Clipboard HTML from Word, Google Docs and web pages, as the Markdown the site stores:
// headings, bold and italic, lists, tables and links are kept; styles, classes, comments,
// tracked deletions, Word's `mso` markup, scripts and pictures (which come from the
// library, by reference) are dropped. The HTML is parsed in an inert document: nothing in
// it loads or runs, and the server sanitises the Markdown again when it draws it.
import TurndownService from "turndown";

const SAFE_LINK = /^(https?:|mailto:|#|\/)/i;
const DROPPED = "script, style, meta, link, title, noscript, template, iframe, object, embed, " +
  "svg, math, img, picture, video, audio, canvas, form, input, button, select, textarea, " +
  "colgroup, col, head, xml";

function styleOf(node) {
  return (node.getAttribute && (node.getAttribute("style") || "")).toLowerCase();
}

function unwrap(node) {
  const parent = node.parentNode;
  if (!parent) return;
  while (node.firstChild) parent.insertBefore(node.firstChild, node);
  parent.removeChild(node);
}

function wrapWith(doc, node, tag) {
  const outer = doc.createElement(tag);
  node.parentNode.insertBefore(outer, node);
  outer.appendChild(node);
}

function removeComments(doc, root) {
  const walker = doc.createTreeWalker(root, 128 /* NodeFilter.SHOW_COMMENT */);
  const found = [];
  while (walker.nextNode()) found.push(walker.currentNode);
  found.forEach((comment) => comment.parentNode.removeChild(comment));
}

// Word's tracked changes and comments: deletions go, insertions stay as plain text.
function dropWordExtras(root) {
  root.querySelectorAll("del[cite], del[datetime], .msoDel, [style*='mso-element:comment'], " +
    ".MsoCommentReference, .msocomoff, .msocomtxt, a[href^='#_msocom'], a[name^='_msocom'], " +
    "[style*='mso-list:ignore' i], [style*='mso-list: ignore' i], [style*='display:none' i], " +
    "[style*='display: none' i]").forEach((node) => node.remove());
  root.querySelectorAll("ins, .msoIns").forEach(unwrap);
  root.querySelectorAll("*").forEach((node) => {
    if (node.tagName.indexOf(":") >= 0) unwrap(node); // <o:p>, <w:sdt>, <v:shape>...
  });
}

// Word writes list items as paragraphs with `mso-list:l0 level2 lfo1`; the marker it drew is
// gone already (mso-list:Ignore). Consecutive ones become nested <ul>/<ol>.
function wordLists(doc, root) {
  const items = Array.from(root.querySelectorAll("p")).filter((p) => /mso-list:\s*l\d/.test(styleOf(p)) ||
    /MsoListParagraph/i.test(p.className));
  const ordered = new Map();
  items.forEach((p) => {
    const marker = p.querySelector("[style*='mso-list:ignore' i]");
    const text = marker ? marker.textContent : "";
    ordered.set(p, /^\s*(\d+|[a-z]|[ivxlc]+)[.)]/i.test(text));
  });
  dropWordExtras(root);
  let stack = [];
  let last = null;
  items.forEach((p) => {
    const level = Number((/level(\d+)/.exec(styleOf(p)) || [0, 1])[1]);
    const tag = ordered.get(p) ? "ol" : "ul";
    if (last === null || p.previousElementSibling !== last) stack = [];
    const li = doc.createElement("li");
    while (p.firstChild) li.appendChild(p.firstChild);
    while (stack.length > level) stack.pop();
    while (stack.length < level) {
      const list = doc.createElement(tag);
      if (stack.length === 0) p.parentNode.insertBefore(list, p);
      else {
        const parentList = stack[stack.length - 1];
        const host = parentList.lastElementChild || parentList.appendChild(doc.createElement("li"));
        host.appendChild(list);
      }
      stack.push(list);
    }
    stack[stack.length - 1].appendChild(li);
    const placeholder = doc.createElement("p");
    p.parentNode.replaceChild(placeholder, p);
    last = placeholder;
    placeholder.setAttribute("data-list-gap", "");
  });
  root.querySelectorAll("p[data-list-gap]").forEach((p) => p.remove());
}

// Google Docs says bold and italic in span styles, inside a <b style="font-weight:normal">.
function stylesToTags(doc, root) {
  root.querySelectorAll("b[id^='docs-internal-guid'], b[style*='font-weight:normal']").forEach(unwrap);
  root.querySelectorAll("span").forEach((span) => {
    const style = styleOf(span);
    const weight = /font-weight:\s*(bold|[6-9]00)/.test(style);
    const italic = /font-style:\s*italic/.test(style);
    if (weight && !span.closest("h1, h2, h3, h4, h5, h6, th")) wrapWith(doc, span, "strong");
    if (italic) wrapWith(doc, span, "em");
  });
}

// The body's headings start at ## (the title is the page's only #): the biggest pasted
// heading becomes ##, the others follow it.
function shiftHeadings(doc, root) {
  const headings = Array.from(root.querySelectorAll("h1, h2, h3, h4, h5, h6"));
  if (!headings.length) return;
  const top = Math.min(...headings.map((h) => Number(h.tagName[1])));
  headings.forEach((h) => {
    const level = Math.min(6, Number(h.tagName[1]) - top + 2);
    const renamed = doc.createElement("h" + level);
    while (h.firstChild) renamed.appendChild(h.firstChild);
    h.parentNode.replaceChild(renamed, h);
  });
}

function cleanLinks(root) {
  root.querySelectorAll("a").forEach((a) => {
    let href = (a.getAttribute("href") || "").trim();
    const google = /^https:\/\/www\.google\.com\/url\?q=([^&]+)/.exec(href);
    if (google) href = decodeURIComponent(google[1]);
    if (!href || !SAFE_LINK.test(href) || !a.textContent.trim()) unwrap(a);
    else a.setAttribute("href", href);
  });
}

function cellText(service, cell) {
  return service.turndown(cell.innerHTML).replace(/\n+/g, " ").replace(/\|/g, "\\|").trim();
}

function tableMarkdown(service, table) {
  const rows = Array.from(table.querySelectorAll("tr")).filter((tr) => tr.closest("table") === table);
  if (!rows.length) return "";
  const grid = rows.map((tr) => Array.from(tr.children).filter((c) => /^T[DH]$/.test(c.tagName))
    .map((cell) => cellText(service, cell)));
  const width = Math.max(...grid.map((row) => row.length));
  const line = (row) => "| " + Array.from({ length: width }, (_, i) => row[i] || "").join(" | ") + " |";
  // A heading row says it is one; bold around a whole heading cell says nothing more.
  const head = grid[0].map((cell) => cell.replace(/^\*\*(.*)\*\*$/, "$1"));
  const rule = "| " + Array.from({ length: width }, () => "---").join(" | ") + " |";
  return "\n\n" + [line(head), rule, ...grid.slice(1).map(line)].join("\n") + "\n\n";
}

function makeService() {
  const service = new TurndownService({
    headingStyle: "atx", bulletListMarker: "-", emDelimiter: "*", strongDelimiter: "**",
    codeBlockStyle: "fenced", hr: "---",
  });
  service.remove(["script", "style", "img"]);
  service.addRule("table", { filter: "table", replacement: (content, node) => tableMarkdown(service, node) });
  service.addRule("strikethrough", { filter: ["s", "strike", "del"], replacement: (c) => (c.trim() ? "~~" + c + "~~" : "") });
  service.addRule("listItem", {
    filter: "li",
    replacement(content, node, options) {
      const parent = node.parentNode;
      let prefix = options.bulletListMarker + " ";
      if (parent.nodeName === "OL") {
        const start = Number(parent.getAttribute("start") || 1);
        prefix = start + Array.prototype.indexOf.call(parent.children, node) + ". ";
      }
      const body = content.replace(/^\n+/, "").replace(/\n+$/, "\n").replace(/\n/gm, "\n" + " ".repeat(prefix.length));
      return prefix + body + (node.nextSibling && !/\n$/.test(body) ? "\n" : "");
    },
  });
  // Empty emphasis and runs of bold around spaces, as word processors leave, say nothing.
  service.addRule("emptyEmphasis", {
    filter: (node) => /^(STRONG|B|EM|I)$/.test(node.nodeName) && !node.textContent.trim(),
    replacement: (content) => content,
  });
  return service;
}

export function htmlToMarkdown(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const root = doc.body;
  removeComments(doc, doc);
  wordLists(doc, root);
  dropWordExtras(root);
  root.querySelectorAll(DROPPED).forEach((node) => node.remove());
  stylesToTags(doc, root);
  // Google Docs puts each list item's words in a paragraph: the list stays a tight one.
  root.querySelectorAll("li > p").forEach((p) => {
    if (p.nextElementSibling && p.nextElementSibling.tagName === "P") p.after(doc.createElement("br"));
    unwrap(p);
  });
  shiftHeadings(doc, root);
  cleanLinks(root);
  root.querySelectorAll("*").forEach((node) => {
    Array.from(node.attributes).forEach((attribute) => {
      if (!["href", "start", "colspan", "rowspan"].includes(attribute.name)) node.removeAttribute(attribute.name);
    });
  });
  root.querySelectorAll("span, font, u").forEach(unwrap);
  // A box of running text is a paragraph; a box of blocks just goes.
  const BLOCK = /^(P|H[1-6]|UL|OL|LI|TABLE|BLOCKQUOTE|PRE|DIV|SECTION|ARTICLE|HEADER|FOOTER|MAIN|ASIDE|NAV|HR)$/;
  Array.from(root.querySelectorAll("div, section, article, header, footer, main, aside, nav")).reverse()
    .forEach((node) => {
      if (Array.from(node.children).some((child) => BLOCK.test(child.tagName))) unwrap(node);
      else {
        const p = doc.createElement("p");
        while (node.firstChild) p.appendChild(node.firstChild);
        node.parentNode.replaceChild(p, node);
      }
    });
  const markdown = makeService().turndown(root.innerHTML);
  return markdown.replace(/\u00a0/g, " ").replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
}
