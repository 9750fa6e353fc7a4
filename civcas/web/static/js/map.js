// The incident map: Leaflet (served locally) over offline country outlines; markers show
// how precisely each place is known, cluster when dense, and open the incident.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  var labels = JSON.parse(el.getAttribute("data-labels") || "{}");
  var map = L.map(el, { maxZoom: 18, minZoom: 2, attributionControl: true });
  map.setView([35.95, 39.0], 7);
  var tileUrl = el.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: "tiles: " + new URL(tileUrl.replace(/[{}]/g, ""), location.href).host }).addTo(map);
  } else {
    fetch(el.getAttribute("data-outlines"))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (!geo) return;
        L.geoJSON(geo, { interactive: false, style: { color: "#8a8f94", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(map).bringToBack();
      });
    map.attributionControl.addAttribution("Outlines: Natural Earth via world-atlas");
  }
  var SIZES = { exact: 12, neighbourhood: 18, town: 24 };
  function pin(precision) {
    var cls = SIZES[precision] ? precision : "wide";
    var size = SIZES[precision] || 28;
    return L.divIcon({ className: "pin pin-" + cls, iconSize: [size, size], html: "" });
  }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var lang = el.getAttribute("data-lang") || "en";
  fetch(el.getAttribute("data-points"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var f = data.fields, ix = {};
      f.forEach(function (name, i) { ix[name] = i; });
      var cluster = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 40, spiderfyOnMaxZoom: true });
      var bounds = [];
      data.points.forEach(function (p) {
        var ll = [p[ix.latitude], p[ix.longitude]];
        var m = L.marker(ll, { icon: pin(p[ix.precision]), title: p[ix.code], alt: p[ix.code] });
        m.options.precision = p[ix.precision];
        var href = "/incidents/" + encodeURIComponent(p[ix.code]).replace(/%2F/g, "/") + (lang === "ar" ? "?lang=ar" : "");
        var killed = (p[ix.killed_min] == null ? "?" : p[ix.killed_min]) + "–" + (p[ix.killed_max] == null ? "?" : p[ix.killed_max]);
        m.bindPopup(
          '<div class="popup" dir="' + (lang === "ar" ? "rtl" : "ltr") + '"><strong><bdi>' + esc(p[ix.code]) + "</bdi></strong> · <bdi>" + esc(p[ix.date]) + "</bdi><br>" +
          "<bdi>" + esc(p[ix.location]) + "</bdi> (" + esc(labels[p[ix.precision]] || p[ix.precision]) + ")<br>" +
          esc(labels[p[ix.grade]] || p[ix.grade] || "") + " · <bdi>" + killed + "</bdi> " + esc(labels.killed || "killed") + "<br>" +
          '<a class="open-incident" href="' + href + '">' + esc(labels.open || "Open the incident") + "</a></div>"
        );
        cluster.addLayer(m);
        bounds.push(ll);
      });
      map.addLayer(cluster);
      if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
      el.setAttribute("data-loaded", String(bounds.length));
    })
    .catch(function (e) { el.setAttribute("data-error", String(e)); });
})();
