/* Knowhow widgets for other sites. Each <script src=".../widgets/embed.js" data-widget="...">
   is replaced in place by a widget drawn in a shadow root, so the page's own CSS cannot
   restyle it. Text is set with textContent only. The widget's CSS is a constructed
   stylesheet (host pages' style-src CSP does not govern those); browsers without them get a
   <style> element in the shadow root instead, which a host CSP must then allow. */
(function () {
  "use strict";
  var CSS = ":host{all:initial!important;display:block!important;box-sizing:border-box!important;margin:0 0 1em!important}" +
    ".kw{box-sizing:border-box;padding:12px 14px;border:1px solid #c9ced6;border-radius:8px;text-align:start;" +
    "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d2330;background:#fff}" +
    "p{display:block;margin:0 0 8px;padding:0}" +
    "a{color:#0b5cad;text-decoration:underline;text-underline-offset:.15em;cursor:pointer}" +
    "a:focus-visible{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}" +
    ".kw-title{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.08em;color:#545c69}" +
    "ul{display:block;margin:0 0 8px;padding:0;padding-inline-start:18px;list-style:disc outside}" +
    "li{display:list-item;margin:0 0 6px}" +
    ".kw-meta{font-size:13px;color:#545c69}" +
    ".kw-card{font-size:17px;font-weight:700}" +
    ".kw-by{margin:10px 0 0;padding-top:6px;border-top:1px solid #dde1e7;font-size:12px;color:#545c69}" +
    ".kw-by a{color:inherit;font-weight:700}" +
    ".kw-problem{color:#9b1c1c}" +
    ".theme-dark{color:#e8ebf0;background:#1b1f27;border-color:#3a4150}" +
    ".theme-dark a{color:#8cc4ff}" +
    ".theme-dark .kw-title,.theme-dark .kw-meta,.theme-dark .kw-by{color:#b4bcc8}" +
    ".theme-dark .kw-by{border-top-color:#3a4150}" +
    ".theme-dark .kw-problem{color:#ffb4b4}" +
    "@media (prefers-color-scheme:dark){.theme-auto{color:#e8ebf0;background:#1b1f27;border-color:#3a4150}" +
    ".theme-auto a{color:#8cc4ff}" +
    ".theme-auto .kw-title,.theme-auto .kw-meta,.theme-auto .kw-by{color:#b4bcc8}" +
    ".theme-auto .kw-by{border-top-color:#3a4150}" +
    ".theme-auto .kw-problem{color:#ffb4b4}}";
  var OPTIONS = ["count", "theme", "width", "topic", "article"];

  function style(root, width) {
    var css = CSS + ":host{max-width:" + width + "px!important}";
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      var tag = document.createElement("style");
      tag.textContent = css;
      root.appendChild(tag);
    }
  }

  function node(parent, tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function link(parent, url, text) {
    var a = node(parent, "a", "", text);
    // Only addresses on the web: never a javascript: or data: link, whatever came back.
    if (/^https?:\/\//i.test(url)) a.href = url;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }

  function draw(box, kind, data) {
    var items = data.items || [];
    node(box, "p", "kw-title", data.title);
    if (!items.length) {
      node(box, "p", "kw-empty", data.empty);
    } else if (kind === "latest" || kind === "topic") {
      var list = node(box, "ul", "kw-list");
      items.forEach(function (item) {
        var li = node(list, "li");
        link(li, item.url, item.text);
        if (item.meta) {
          li.appendChild(document.createTextNode(" "));
          node(li, "span", "kw-meta", item.meta);
        }
      });
      link(node(box, "p", "kw-more"), data.more.url, data.more.text);
    } else if (kind === "article") {
      link(node(box, "p", "kw-card"), items[0].url, items[0].text);
      node(box, "p", "kw-meta", items[0].meta);
      node(box, "p", "kw-summary", items[0].summary);
      link(node(box, "p", "kw-more"), items[0].url, data.more.text);
    } else {
      var p = node(box, "p", "kw-text");
      if (items[0].meta) {
        node(p, "span", "kw-meta", items[0].meta + ":");
        p.appendChild(document.createTextNode(" "));
      }
      p.appendChild(document.createTextNode(items[0].text + " "));
      link(p, items[0].url, (data.words || {}).more || "more...");
    }
  }

  function mount(script) {
    if (script.getAttribute("data-knowhow-drawn")) return;
    script.setAttribute("data-knowhow-drawn", "1");
    var kind = script.getAttribute("data-widget") || "latest";
    var query = new URLSearchParams();
    OPTIONS.forEach(function (name) {
      var value = script.getAttribute("data-" + name);
      if (value) query.set(name, value);
    });
    var host = document.createElement("knowhow-widget");
    script.parentNode.insertBefore(host, script.nextSibling);
    var root = host.attachShadow({ mode: "open" });
    var width = Math.min(Math.max(parseInt(query.get("width"), 10) || 320, 200), 800);
    style(root, width);
    var box = node(root, "div", "kw theme-" + (["dark", "auto"].indexOf(query.get("theme")) >= 0 ? query.get("theme") : "light"));
    var url = new URL(encodeURIComponent(kind) + "/data/?" + query, script.src);
    fetch(url.href, { credentials: "omit" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var words = data.words || {};
        if (words.lang) box.lang = words.lang;
        if (words.dir) box.dir = words.dir;
        if (data.error) node(box, "p", "kw-problem", data.error);
        else draw(box, kind, data);
        var by = node(box, "p", "kw-by", (words.from || "From") + " ");
        link(by, (data.site || {}).url || "", (data.site || {}).name || "");
      })
      .catch(function () { node(box, "p", "kw-problem", "This widget could not be loaded."); });
  }

  var scripts = document.querySelectorAll("script[data-widget]");
  for (var i = 0; i < scripts.length; i++) {
    if (/\/widgets\/embed\.js(\?|#|$)/.test(scripts[i].src)) mount(scripts[i]);
  }
})();
