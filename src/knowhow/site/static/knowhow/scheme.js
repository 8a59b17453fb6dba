// The reader's light or dark choice: kept in this browser (localStorage) and never sent to
// the server, so every reader gets the same cached page. Loaded in <head> so the choice
// applies before the first paint; without script the system's setting applies.
(function () {
  "use strict";
  var KEY = "knowhow-scheme";
  var root = document.documentElement;
  function kept() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(choice) {
    if (choice === "light" || choice === "dark") root.setAttribute("data-scheme", choice);
    else root.removeAttribute("data-scheme");
  }
  apply(kept());
  // Room for the chooser from the first paint (site.css shows it), so nothing moves later.
  root.setAttribute("data-scripted", "");
  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.getElementById("scheme-choice");
    if (!picker) return;
    picker.value = root.getAttribute("data-scheme") || "auto";
    picker.closest(".scheme").hidden = false;
    picker.addEventListener("change", function () {
      var choice = picker.value;
      try {
        if (choice === "light" || choice === "dark") window.localStorage.setItem(KEY, choice);
        else window.localStorage.removeItem(KEY);
      } catch (e) { /* storage refused: the choice holds for this page alone */ }
      apply(choice);
    });
  });
  // Another tab changed it: follow.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(event.newValue);
  });
})();
