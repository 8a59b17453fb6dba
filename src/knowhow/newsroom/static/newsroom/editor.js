/* knowhow editor: the live preview. Without this script the "Preview" button does the
   same by reloading the page; with it the preview follows the text as it is typed. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview-content");
  if (!form || !target || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;

  function refresh() {
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
        if (ticket === sent) { // an older answer never replaces a newer one
          target.innerHTML = html; // already sanitised by the server, like the public page
        }
      })
      .catch(function () {
        target.setAttribute("data-stale", "true");
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
  form.classList.add("live-preview");
  refresh();
})();
