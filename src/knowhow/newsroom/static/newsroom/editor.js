/* knowhow editor: the live preview. Without this script the "Preview" button does the
   same by reloading the page; with it the preview follows the text as it is typed.
   Also: a refused save puts the focus on the summary of what to fix, and Enter in the
   picture search finds pictures instead of saving. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary") || document.getElementById("refusal") ||
    document.getElementById("step-refused") || document.getElementById("reassign-refused");
  if (summary) {
    summary.focus();
  }
  var search = document.querySelector("input[data-enter]");
  if (search) {
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        document.getElementById(search.getAttribute("data-enter")).click();
      }
    });
  }
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview-content");
  if (!form || !target || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;
  var shown = null;

  function refresh(quiet) {
    var data = new FormData(form);
    data.delete("new_image"); // the picture is uploaded only when the form is sent
    var ticket = ++sent;
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) { // signed out meanwhile: keep the old preview
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        // An older answer never replaces a newer one, and an unchanged preview is not
        // written again: the region is aria-live, so each write is read out.
        if (ticket === sent && html !== shown) {
          shown = html;
          if (quiet) { // the page's first preview is not news
            target.setAttribute("aria-live", "off");
          }
          target.innerHTML = html; // already sanitised by the server, like the public page
          if (quiet) {
            window.setTimeout(function () { target.setAttribute("aria-live", "polite"); }, 0);
          }
        }
      })
      .catch(function () {
        target.setAttribute("data-stale", "true");
      });
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    if (!field || ["title", "synopsis", "body", "sources"].indexOf(field.name) < 0) {
      return; // only what the preview shows
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { refresh(false); }, 900); // when typing pauses
  });
  form.classList.add("live-preview");
  refresh(true);
})();
