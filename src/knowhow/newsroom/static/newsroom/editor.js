/* knowhow editor: the live preview. Without this script the "Preview" button does the
   same by reloading the page; with it the preview follows the text as it is typed.
   Also: a refused save puts the focus on the summary of what to fix, Enter in the
   picture search finds pictures instead of saving, the text is autosaved on the server
   while it is typed, and leaving the page with unsaved changes asks first. */
(function () {
  "use strict";
  // The page's words in its language, keyed by the English text (newsroom/script_words.py).
  var words = {};
  try {
    words = JSON.parse((document.getElementById("newsroom-words") || {}).textContent || "{}");
  } catch (e) { /* English, as written below */ }
  function t(english, values) {
    var text = words[english] || english;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }
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
  keepWhileTyping(document.querySelector("form[data-autosave-url]"));
  countWhileTyping(document.querySelector("form#editor-form textarea[name=body]"));
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview-content");
  if (!form || !target || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-preview-url");
  var frame = document.getElementById("preview-frame");
  var told = document.getElementById("preview-status");
  var timer = null;
  var sent = 0;
  var shown = null;

  // The frame grows to its page's height, so the preview scrolls with the editor page.
  function fit() {
    try {
      var inner = frame.contentDocument && frame.contentDocument.documentElement;
      if (inner) {
        frame.style.height = Math.max(inner.scrollHeight, 200) + "px";
      }
    } catch (error) { /* a frame that is not the page's own keeps its height */ }
  }
  if (frame) {
    frame.addEventListener("load", fit);
    fit();
  }

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
        // drawn again.
        if (ticket === sent && html !== shown && frame) {
          shown = html;
          frame.srcdoc = html; // a whole page, sanitised by the server like the public page
          if (!quiet && told) {
            told.textContent = t("Preview updated.");
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

  // The side panel's words, reading time and outline follow the text, counted as the server
  // counts them (knowhow.newsroom.reading): Markdown's marks, addresses and pictures aside.
  function countWhileTyping(body) {
    var outline = document.getElementById("outline");
    if (!body || !outline) {
      return;
    }
    var MARKS = /!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#*_>`|~\[\]-]+/g;
    var HEADING = /^(#{2,6})\s+(.+?)\s*#*\s*$/;
    var timer = null;
    function count() {
      var words = 0;
      var headings = [];
      var fenced = false;
      body.value.split("\n").forEach(function (line, index) {
        if (/^(```|~~~)/.test(line.trim())) {
          fenced = !fenced;
          return;
        }
        var heading = fenced ? null : HEADING.exec(line);
        if (heading) {
          headings.push([heading[1].length, heading[2], index + 1]);
        }
        words += line.replace(MARKS, " ").split(/\s+/).filter(Boolean).length;
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-count=words]"), function (el) {
        el.textContent = String(words);
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-count=minutes]"), function (el) {
        el.textContent = String(Math.ceil(words / 200));
      });
      outline.textContent = "";
      headings.forEach(function (heading) {
        var item = document.createElement("li");
        item.className = "outline-" + heading[0];
        var go = document.createElement("button");
        go.type = "button";
        go.className = "outline-go";
        go.setAttribute("data-line", String(heading[2]));
        go.textContent = heading[1];
        item.appendChild(go);
        outline.appendChild(item);
      });
      if (!headings.length) {
        var none = document.createElement("li");
        none.className = "outline-none";
        none.textContent = t("No headings yet: ## starts one.");
        outline.appendChild(none);
      }
    }
    body.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(count, 300);
    });
    // An outline entry takes the writer to its heading in the text.
    outline.addEventListener("click", function (event) {
      var go = event.target && event.target.closest ? event.target.closest("button.outline-go") : null;
      if (!go) {
        return;
      }
      var number = parseInt(go.getAttribute("data-line"), 10);
      if (window.knowhowWriting && window.knowhowWriting.goToLine) {
        window.knowhowWriting.goToLine(number);
      } else {
        var lines = body.value.split("\n");
        var end = lines.slice(0, number).join("\n").length;
        body.focus();
        body.setSelectionRange(end, end);
      }
    });
    count(); // the entries become buttons that go to their heading
  }

  // Autosave: a few seconds after typing pauses, at most every 15 s, the form's fields go
  // to the server, which keeps them for this person only; a save or step ends them.
  function keepWhileTyping(editor) {
    if (!editor || !window.fetch || !window.FormData) {
      return;
    }
    var url = editor.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    var PAUSE = 3000;
    var EVERY = 15000;
    var dirty = false; // typed since the page was loaded or last saved as a revision
    var waiting = false; // typed since the last autosave
    var since = 0; // when the typing not yet autosaved began
    var last = 0;
    var timer = null;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function send() {
      timer = null;
      var wait = last + EVERY - Date.now();
      if (wait > 0) {
        timer = window.setTimeout(send, wait);
        return;
      }
      waiting = false;
      last = Date.now();
      var data = new FormData(editor);
      data.delete("new_image");
      data.delete("do");
      fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (response.redirected) {
            throw new Error("signed out");
          }
          return response.json().then(function (answer) {
            if (!response.ok) {
              throw new Error(answer.code || String(response.status));
            }
            return answer;
          });
        })
        .then(function (answer) {
          say(t("Unsaved changes kept for you at %(time)s. Save to make them a revision.", { time: answer.time }));
        })
        .catch(function (error) {
          say(t({
            "signed out": "Your session ended: your text is still here; saving asks you to sign in and keeps it.",
            "older_page": "A newer copy of your text, from another page, is kept; this page's text is not autosaved. Save it to keep it."
          }[error.message] || "Could not keep a copy just now; your text is still here."));
          if (!waiting) {
            waiting = true;
            since = Date.now();
          }
        });
    }

    editor.addEventListener("input", function (event) {
      if (!event.target || !event.target.name || event.target.name === "image_search") {
        return;
      }
      dirty = true;
      if (!waiting) {
        waiting = true;
        since = Date.now();
      }
      // Wait for a pause in the typing, but never hold typing unsaved for more than 15 s.
      if (Date.now() - since < EVERY) {
        window.clearTimeout(timer);
        timer = window.setTimeout(send, PAUSE);
      } else if (timer === null) {
        timer = window.setTimeout(send, 0);
      }
    });
    editor.addEventListener("change", function (event) {
      if (event.target && event.target.name && event.target.name !== "image_search") {
        dirty = true;
      }
    });
    editor.addEventListener("submit", function () {
      dirty = false; // the text goes with the form; a refusal brings it back in the form
      window.clearTimeout(timer);
      timer = null;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = ""; // browsers show their own question
      }
    });
    // Text restored from an autosave, or sent back by the server unsaved, is not saved yet.
    if (editor.hasAttribute("data-unsaved")) {
      dirty = true;
    }
  }
})();
