// The incident editor (issue 24): an "add another party" button copies the empty
// assessment box at the end of the belligerents list, numbered next, so several parties
// can be added in one save. Without JavaScript the form works the same, one new party
// per save (the server always shows one empty box).
(function () {
  "use strict";
  var list = document.getElementById("belligerents");
  if (!list) return;
  var boxes = list.querySelectorAll("fieldset.assessment");
  if (!boxes.length) return;
  var blank = boxes[boxes.length - 1];
  var from = "belligerents-" + blank.id.replace("assessment-", "") + "-";
  var button = document.createElement("button");
  button.type = "button";
  button.id = "add-party";
  button.textContent = list.getAttribute("data-add-label") || "+";
  list.insertBefore(button, list.querySelector(".hint"));
  button.addEventListener("click", function () {
    var n = list.querySelectorAll("fieldset.assessment").length;
    var to = "belligerents-" + n + "-";
    var copy = blank.cloneNode(true);
    copy.id = "assessment-" + n;
    copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.split(from).join(to));
      });
      if (el.tagName === "INPUT") el.value = "";
      if (el.tagName === "SELECT") el.selectedIndex = 0;
    });
    copy.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    copy.querySelectorAll(".invalid").forEach(function (e) { e.classList.remove("invalid"); });
    list.insertBefore(copy, button);
    var first = copy.querySelector("select");
    if (first) first.focus();
  });
})();
