// The incident map: every located incident over the base layer (map-core.js). Markers
// are coloured by grade and sized by deaths; incidents whose place is known only to a
// town or wider sit on that place's centre and are drawn hollow, in clusters of their own
// that never merge with precisely placed ones (175 incidents on Raqqa's centre read as
// "≈175 at the town's centre", not as a dense neighbourhood). A popup opens the incident
// and draws the circle of doubt around its place.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined" || !window.civcasMap) return;
  var cm = window.civcasMap;
  var labels = JSON.parse(el.getAttribute("data-labels") || "{}");
  var map = L.map(el, { maxZoom: 18, minZoom: 2, attributionControl: true });
  map.setView([35.95, 39.0], 7);
  el.setAttribute("data-base", cm.addBase(map, el));
  var lang = el.getAttribute("data-lang") || "en";

  // centroids lie over the precisely placed incidents (their own pane), see-through, and
  // only their label takes clicks: what lies under them stays visible and clickable
  map.createPane("centroids").classList.add("pane-centroids");
  var precise = L.markerClusterGroup({
    chunkedLoading: true,
    maxClusterRadius: 40,
    spiderfyOnMaxZoom: true,
    showCoverageOnHover: false,
    iconCreateFunction: function (c) { return cm.clusterIcon(c, false); },
  });
  // centroids: gathered like the others when zoomed out, only identical places when in
  var centroids = L.markerClusterGroup({
    chunkedLoading: true,
    maxClusterRadius: function (z) { return z >= 10 ? 2 : 40; },
    clusterPane: "centroids",
    spiderfyOnMaxZoom: true,
    showCoverageOnHover: false,
    iconCreateFunction: function (c) { return cm.clusterIcon(c, true); },
  });

  var circle = null;
  map.on("popupclose", function () {
    if (circle) map.removeLayer(circle);
    circle = null;
  });

  function popup(p, ix) {
    var esc = cm.esc;
    var href = "/incidents/" + encodeURIComponent(p[ix.code]).replace(/%2F/g, "/") + (lang === "ar" ? "?lang=ar" : "");
    var killed = (p[ix.killed_min] == null ? "?" : p[ix.killed_min]) + "–" + (p[ix.killed_max] == null ? "?" : p[ix.killed_max]);
    var where = cm.isCentroid(p[ix.precision]) ? labels.centroid_note || "" : "";
    return (
      '<div class="popup" dir="' + (lang === "ar" ? "rtl" : "ltr") + '"><strong><bdi>' + esc(p[ix.code]) + "</bdi></strong> · <bdi>" + esc(p[ix.date]) + "</bdi><br>" +
      "<bdi>" + esc(p[ix.location]) + "</bdi> (" + esc(labels[p[ix.precision]] || p[ix.precision]) + ")<br>" +
      (where ? '<span class="popup-centroid">' + esc(where) + "</span><br>" : "") +
      esc(labels[p[ix.grade]] || p[ix.grade] || labels.Ungraded || "") + " · <bdi>" + killed + "</bdi> " + esc(labels.killed || "killed") + "<br>" +
      '<a class="open-incident" href="' + href + '">' + esc(labels.open || "Open the incident") + "</a></div>"
    );
  }

  fetch(el.getAttribute("data-points"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var ix = {};
      data.fields.forEach(function (name, i) { ix[name] = i; });
      var bounds = [], nCentroid = 0;
      data.points.forEach(function (p) {
        var ll = [p[ix.latitude], p[ix.longitude]];
        var precision = p[ix.precision];
        var killed = cm.killedOf(p[ix.killed_min], p[ix.killed_max]);
        var m = L.marker(ll, {
          icon: cm.pinIcon(p[ix.grade], precision, killed),
          title: p[ix.code],
          alt: p[ix.code],
          pane: cm.isCentroid(precision) ? "centroids" : "markerPane",
        });
        m.options.precision = precision;
        m.options.grade = p[ix.grade];
        m.options.killed = killed || 0;
        m.bindPopup(popup(p, ix));
        m.on("popupopen", function () {
          if (circle) map.removeLayer(circle);
          circle = cm.precisionCircle(m.getLatLng(), precision);
          if (circle) circle.addTo(map);
        });
        if (cm.isCentroid(precision)) {
          centroids.addLayer(m);
          nCentroid += 1;
        } else {
          precise.addLayer(m);
        }
        bounds.push(ll);
      });
      map.addLayer(precise);
      map.addLayer(centroids);
      if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
      el.setAttribute("data-centroids", String(nCentroid));
      var said = document.getElementById("map-centroid-count");
      if (said && nCentroid && labels.centroid_count) {
        said.textContent = labels.centroid_count
          .replace("{n}", nCentroid.toLocaleString(lang === "ar" ? "ar-u-nu-latn" : "en"))
          .replace("{total}", bounds.length.toLocaleString(lang === "ar" ? "ar-u-nu-latn" : "en"));
        said.hidden = false;
      }
      el.setAttribute("data-loaded", String(bounds.length));
    })
    .catch(function (e) { el.setAttribute("data-error", String(e)); });
})();
