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

// Locate items: a map (Leaflet, country outlines served here; no tiles from elsewhere).
// A tap or click puts the pin and fills the latitude and longitude fields.
(function () {
  "use strict";
  var el = document.getElementById("task-map");
  if (!el) { return; }
  function start() {
    if (!window.L) { return; }
    var L = window.L;
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lon = parseFloat(el.getAttribute("data-lon"));
    var known = isFinite(lat) && isFinite(lon);
    var map = L.map(el, { attributionControl: false }).setView(known ? [lat, lon] : [35.0, 39.0], known ? 9 : 6);
    fetch("/static/vendor/countries-50m.geojson").then(function (r) { return r.json(); }).then(function (g) {
      L.geoJSON(g, { interactive: false, style: { color: "#555", weight: 1, fill: false } }).addTo(map);
    }).catch(function () { /* the outline is a help, not a need */ });
    var latIn = document.getElementById("task-lat");
    var lonIn = document.getElementById("task-lon");
    var pin = null;
    map.on("click", function (ev) {
      var p = ev.latlng;
      if (pin) { pin.setLatLng(p); } else { pin = L.circleMarker(p, { radius: 8 }).addTo(map); }
      latIn.value = p.lat.toFixed(5);
      lonIn.value = L.Util.wrapNum(p.lng, [-180, 180], true).toFixed(5);
    });
  }
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
