// The moderation queue, where scripts run: each decision (a post's buttons, Undo, "Apply to
// selected") is sent without reloading the page; the server answers with the posts' queue
// items as they are now, which take the old ones' place, and a message the status region
// reads out. Without a script, or when the answer is not one, the same forms post as usual.
// By keyboard: j/k move between posts, a approves, r removes, s marks spam, u undoes the
// decision just made, ? shows the keys. Also: select all, with a count.
(function () {
  "use strict";
  var KEYS = { a: ["action", "approve"], r: ["action", "remove"], s: ["action", "spam"], u: ["undo", "1"] };
  var ITEMS = ".mod-item[id^='queue-post-']";
  var help = document.getElementById("queue-keys");
  var current = null;
  var lastDecided = null;

  function items() { return Array.prototype.slice.call(document.querySelectorAll(ITEMS)); }

  // The status region the answers are read from: the page's messages if it has some, else
  // one made now, empty, so what is put in it later is announced.
  var status = document.querySelector("main [role=status]");
  if (!status) {
    status = document.createElement("div");
    status.setAttribute("role", "status");
    status.className = "mod-live";
    var main = document.getElementById("main");
    main.insertBefore(status, main.firstChild);
  }

  function announce(said) {
    var list = document.createElement("ul");
    list.className = "messages";
    said.forEach(function (message) {
      var line = document.createElement("li");
      line.textContent = message.text;
      if (message.level === "error") line.className = "error";
      list.appendChild(line);
    });
    status.textContent = "";
    status.appendChild(list);
  }

  function show(item) {
    if (!item) return;
    if (current && current !== item) current.classList.remove("is-current");
    current = item;
    item.classList.add("is-current");
    item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = items();
    if (!all.length) return;
    var at = all.indexOf(current);
    show(all[at < 0 ? 0 : Math.max(0, Math.min(all.length - 1, at + step))]);
  }

  // The first post after this one still waiting for a decision, else the one itself.
  function nextWaiting(item) {
    var all = items();
    for (var i = all.indexOf(item) + 1; i < all.length; i++) {
      if (!all[i].hasAttribute("data-decided")) return all[i];
    }
    return item;
  }

  function press(name, value) {
    var where = current;
    if (name === "undo" && !(where && where.querySelector("button[name=undo]"))) where = lastDecided;
    if (!where || !document.contains(where)) return;
    var button = where.querySelector("button[name='" + name + "'][value='" + value + "']");
    if (button && !button.disabled) button.click();
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "?") { if (help) help.hidden = !help.hidden; }
    else if (key === "Escape" && help && !help.hidden) help.hidden = true;
    else if (KEYS[key]) press(KEYS[key][0], KEYS[key][1]);
    else return;
    event.preventDefault();
  });

  function element(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Put the answer's items in place of the old ones; the new item of `acted`, if any.
  function place(answer, acted) {
    var placed = null;
    Object.keys(answer.items || {}).forEach(function (pk) {
      var old = document.getElementById("queue-post-" + pk);
      if (!old) return;
      var fresh = element(answer.items[pk]);
      old.parentNode.replaceChild(fresh, old);
      if (old === current) current = null;
      if (old === acted) placed = fresh;
      if (fresh.hasAttribute("data-decided") && fresh.querySelector("button[name=undo]")) lastDecided = fresh;
    });
    var counts = document.getElementById("queue-counts");
    if (counts && answer.counts) counts.parentNode.replaceChild(element(answer.counts), counts);
    counted();
    return placed;
  }

  // Without an answer the page can use, the form is sent the ordinary way.
  function sendPlainly(form, submitter) {
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    var acted = form.closest(ITEMS);
    if (!acted && form.id !== "bulk") return;
    event.preventDefault();
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var deciding = !(submitter && (submitter.name === "undo" || submitter.name === "check" || submitter.value === "keep"));
    var buttons = Array.prototype.slice.call((acted || form).querySelectorAll("button"));
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) throw new Error("not an answer");
      return response.json();
    }).then(function (answer) {
      buttons.forEach(function (button) { button.disabled = false; });
      var placed = place(answer, acted);
      announce(answer.messages || []);
      if (form.id === "bulk") {
        var note = form.querySelector("[name=note]");
        if (note && answer.messages.some(function (m) { return m.level === "success"; })) note.value = "";
        return;
      }
      if (placed) show(deciding ? nextWaiting(placed) : placed);
    }).catch(function () {
      buttons.forEach(function (button) { button.disabled = false; });
      sendPlainly(form, submitter);
    });
  });

  // Back from a decision sent without a script, the post acted on is where the keys start.
  var here = window.location.hash.slice(1);
  items().forEach(function (item) { if (item.id === here) show(item); });

  var hint = document.getElementById("queue-keys-hint");
  if (hint) hint.hidden = false;

  // Select all, with a count of what is selected.
  var all = document.getElementById("select-all");
  var count = document.getElementById("selected-count");
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name=post][form=bulk]"));
  }
  function counted() {
    var found = boxes();
    var n = found.filter(function (box) { return box.checked; }).length;
    if (count) count.textContent = n + " of " + found.length + " selected";
    if (all) all.checked = n > 0 && n === found.length;
  }
  if (all && boxes().length) {
    all.parentNode.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      counted();
    });
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("input[type=checkbox][name=post][form=bulk]")) counted();
    });
    counted();
  }
})();
