/* The widget gallery without a reload: the preview and both snippets follow the options as
   they change, and copy buttons appear. Without JavaScript the form does the same by GET. */
(function () {
  "use strict";
  function clamp(value, low, high, fallback) {
    var n = parseInt(value, 10);
    return isNaN(n) ? fallback : Math.min(Math.max(n, low), high);
  }
  function escapeAttr(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function height(kind, count) {
    if (kind === "latest" || kind === "topic") return 130 + 50 * count;
    return kind === "article" ? 340 : 250;
  }
  function update(form) {
    var kind = form.getAttribute("data-kind");
    var isList = kind === "latest" || kind === "topic";
    var field = function (name) { return form.elements[name]; };
    var count = field("count") ? clamp(field("count").value, 1, 10, 5) : 5;
    var width = clamp(field("width").value, 200, 800, 320);
    var checked = form.querySelector("input[name=theme]:checked");
    var theme = checked && (checked.value === "dark" || checked.value === "auto") ? checked.value : "light";
    var query = new URLSearchParams();
    var attrs = ' data-widget="' + kind + '"';
    ["topic", "article"].forEach(function (name) {
      if (field(name)) {
        query.set(name, field(name).value);
        attrs += " data-" + name + '="' + escapeAttr(field(name).value) + '"';
      }
    });
    if (isList) {
      query.set("count", count);
      attrs += ' data-count="' + count + '"';
    }
    query.set("theme", theme);
    query.set("width", width);
    attrs += ' data-theme="' + theme + '" data-width="' + width + '"';
    var section = form.closest("section");
    var h = height(kind, count);
    var frameUrl = form.getAttribute("data-frame-url");
    var iframe = section.querySelector(".widget-preview iframe");
    if (iframe) {
      iframe.src = new URL(frameUrl).pathname + "?" + query;
      iframe.width = width;
      iframe.height = h;
    }
    var title = form.getAttribute("data-title");
    section.querySelector("[data-snippet=iframe]").value =
      '<iframe src="' + escapeAttr(frameUrl + "?" + query) + '" width="' + width + '" height="' + h +
      '" title="' + escapeAttr(title) + '" loading="lazy" style="border:0;max-width:100%"></iframe>';
    section.querySelector("[data-snippet=script]").value =
      '<script async src="' + escapeAttr(form.getAttribute("data-script-url")) + '"' + attrs + "></" + "script>";
  }
  function copy(button) {
    var area = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".snippets").querySelector(".copied");
    var done = function () { status.textContent = status.getAttribute("data-done"); };
    var fallback = function () {
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { status.textContent = status.getAttribute("data-failed"); }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }
  document.querySelectorAll(".widget-form").forEach(function (form) {
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
  });
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
