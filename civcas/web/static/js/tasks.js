// Task page keys (issue 21): Y / N answer yes or no, 1-9 choose a candidate or frame,
// U says unknown / none. Keys are ignored while typing in a field. No inline script:
// the page works without this file (plain forms); this only adds the keys.
(function () {
  "use strict";
  var form = document.getElementById("task-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var key = (ev.key || "").toLowerCase();
    var button = form.querySelector('button[data-key="' + key.replace(/["\\]/g, "") + '"]');
    if (button) {
      ev.preventDefault();
      button.click();
    }
  });
  var first = form.querySelector("button[data-key]");
  if (first && window.matchMedia && window.matchMedia("(hover: hover)").matches) {
    first.focus({ preventScroll: true });
  }
})();
