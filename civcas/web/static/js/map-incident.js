// An incident page's small map: the one incident, drawn as on the incident map, with the
// circle of doubt of its location's precision (a place known only to the town shows the
// town's centre and a circle the size of a town, not a point that pretends to be exact).
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || typeof L === "undefined" || !window.civcasMap) return;
  var cm = window.civcasMap;
  var lat = parseFloat(el.getAttribute("data-lat"));
  var lon = parseFloat(el.getAttribute("data-lon"));
  if (!isFinite(lat) || !isFinite(lon)) return;
  var precision = el.getAttribute("data-precision") || "unknown";
  var killed = el.getAttribute("data-killed");
  var map = L.map(el, { maxZoom: 18, minZoom: 2, scrollWheelZoom: false });
  var ll = L.latLng(lat, lon);
  map.setView(ll, cm.zoomFor(precision));
  el.setAttribute("data-base", cm.addBase(map, el));
  var circle = cm.precisionCircle(ll, precision);
  if (circle) {
    circle.addTo(map);
    map.fitBounds(circle.getBounds(), { padding: [24, 24], maxZoom: cm.zoomFor(precision) });
  }
  L.marker(ll, {
    icon: cm.pinIcon(el.getAttribute("data-grade"), precision, killed === "" || killed == null ? null : parseInt(killed, 10)),
    title: el.getAttribute("data-code") || "",
    alt: el.getAttribute("data-code") || "",
    interactive: false,
    keyboard: false,
  }).addTo(map);
  el.setAttribute("data-loaded", "1");
})();
