// The moderation queue by keyboard: j/k move between posts, a approves, r removes, s marks
// spam, u undoes, ? shows the keys. Each key presses the post's own button, so the page
// does exactly what the buttons do without JavaScript. Also: select all, with a count.
(function () {
  "use strict";
  var KEYS = { a: ["action", "approve"], r: ["action", "remove"], s: ["action", "spam"], u: ["undo", "1"] };
  var items = Array.prototype.slice.call(document.querySelectorAll(".mod-item[id^='queue-post-']"));
  var help = document.getElementById("queue-keys");
  var current = -1;

  function show(index) {
    if (!items.length) return;
    if (current >= 0) items[current].classList.remove("is-current");
    current = Math.max(0, Math.min(items.length - 1, index));
    var item = items[current];
    item.classList.add("is-current");
    item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function press(name, value) {
    if (current < 0) return;
    var button = items[current].querySelector("button[name='" + name + "'][value='" + value + "']");
    if (button && !button.disabled) button.click();
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j") show(current + 1);
    else if (key === "k") show(current - 1);
    else if (key === "?") { if (help) help.hidden = !help.hidden; }
    else if (key === "Escape" && help && !help.hidden) help.hidden = true;
    else if (KEYS[key]) press(KEYS[key][0], KEYS[key][1]);
    else return;
    event.preventDefault();
  });

  // Back from a decision, the post acted on is where the keys start again.
  var here = window.location.hash.slice(1);
  items.forEach(function (item, index) { if (item.id === here) show(index); });

  var hint = document.getElementById("queue-keys-hint");
  if (hint) hint.hidden = false;

  // Select all, with a count of what is selected.
  var all = document.getElementById("select-all");
  var count = document.getElementById("selected-count");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name=post][form=bulk]"));
  function counted() {
    var n = boxes.filter(function (box) { return box.checked; }).length;
    if (count) count.textContent = n + " of " + boxes.length + " selected";
    if (all) all.checked = n > 0 && n === boxes.length;
  }
  if (all && boxes.length) {
    all.parentNode.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      counted();
    });
    boxes.forEach(function (box) { box.addEventListener("change", counted); });
    counted();
  }
})();
