// What the incident map and an incident page's small map share: the base layer (an
// offline PMTiles basemap, an online tile server, or Natural Earth outlines), and how an
// incident is drawn: colour = grade, size = civilian deaths (highest figure reported),
// border = how precisely the place is known. Everything is styled by CSS classes
// (static/css/map.css): the page's Content-Security-Policy allows no inline style markup.
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  var GRADES = ["Confirmed", "Fair", "Weak", "Contested", "Discounted"];
  // places known only to a town, district or governorate sit on its centre (centroid)
  var CENTROID = { town: true, district: true, governorate: true, unknown: true };
  // metres of doubt drawn around a place, by precision (a reader's rule of thumb)
  var RADIUS = { exact: 100, neighbourhood: 1000, town: 5000, district: 20000, governorate: 60000 };
  var ZOOM = { exact: 15, neighbourhood: 14, town: 11, district: 9, governorate: 8, unknown: 8 };
  var PIN_SIZES = [10, 14, 19, 25, 32]; // deaths: unknown or 0, 1-2, 3-9, 10-29, 30+
  var CLUSTER_SIZES = [30, 36, 42, 50, 58]; // deaths: <10, <50, <200, <1000, 1000+

  function gradeClass(grade) {
    return "g-" + (GRADES.indexOf(grade) >= 0 ? grade.toLowerCase() : "ungraded");
  }
  function deathsBucket(killed) {
    if (killed == null || killed <= 0) return 0;
    if (killed <= 2) return 1;
    if (killed <= 9) return 2;
    if (killed <= 29) return 3;
    return 4;
  }
  function clusterBucket(killed) {
    if (killed < 10) return 0;
    if (killed < 50) return 1;
    if (killed < 200) return 2;
    if (killed < 1000) return 3;
    return 4;
  }
  function precisionClass(precision) {
    if (precision === "exact" || precision === "neighbourhood" || precision === "town") return precision;
    return "wide";
  }
  function isCentroid(precision) {
    return !!CENTROID[precision] || !precision;
  }
  function killedOf(min, max) {
    return max != null ? max : min;
  }

  // one incident: grade colour, deaths size, precision border; centroids hollow
  function pinIcon(grade, precision, killed) {
    var b = deathsBucket(killed);
    var size = PIN_SIZES[b];
    var cls = ["pin", "pin-" + precisionClass(precision), gradeClass(grade), "sz-" + b];
    if (isCentroid(precision)) cls.push("pin-centroid");
    return L.divIcon({ className: cls.join(" "), iconSize: [size, size], html: "" });
  }

  // a cluster: its most common grade's colour (ties to the stronger grade), sized by the
  // deaths of its incidents, the number of incidents written on it
  function clusterIcon(cluster, centroid) {
    var markers = cluster.getAllChildMarkers();
    var counts = {}, killed = 0;
    markers.forEach(function (m) {
      var g = m.options.grade || "Ungraded";
      counts[g] = (counts[g] || 0) + 1;
      killed += m.options.killed || 0;
    });
    var order = GRADES.concat(["Ungraded"]), best = null;
    order.forEach(function (g) {
      if (counts[g] && (best === null || counts[g] > counts[best])) best = g;
    });
    var b = clusterBucket(killed);
    var size = CLUSTER_SIZES[b];
    var cls = ["marker-cluster", "cl", gradeClass(best), "cl-sz-" + b];
    if (centroid) cls.push("cl-centroid");
    return L.divIcon({
      className: cls.join(" "),
      iconSize: [size, size],
      html: '<span dir="ltr">' + (centroid ? "\u2248" : "") + markers.length + "</span>",
    });
  }

  // the base layer; returns what was drawn ("basemap", "tiles" or "outlines")
  function addBase(map, el) {
    var basemap = el.getAttribute("data-basemap");
    var tileUrl = el.getAttribute("data-tile-url");
    if (basemap && typeof protomapsL !== "undefined") {
      var maxData = parseInt(el.getAttribute("data-basemap-maxzoom") || "15", 10);
      protomapsL
        .leafletLayer({
          url: basemap,
          flavor: "light",
          lang: el.getAttribute("data-lang") || "en",
          maxDataZoom: Math.min(Math.max(maxData, 0), 15),
        })
        .addTo(map);
      return "basemap";
    }
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: "tiles: " + new URL(tileUrl.replace(/[{}]/g, ""), location.href).host,
      }).addTo(map);
      return "tiles";
    }
    fetch(el.getAttribute("data-outlines"))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (!geo) return;
        L.geoJSON(geo, {
          interactive: false,
          style: { color: "#8a8f94", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
        }).addTo(map).bringToBack();
      });
    map.attributionControl.addAttribution("Outlines: Natural Earth via world-atlas");
    return "outlines";
  }

  function precisionCircle(latlng, precision) {
    var r = RADIUS[precision];
    if (!r) return null;
    return L.circle(latlng, {
      radius: r,
      className: "precision-circle precision-" + precisionClass(precision),
      interactive: false,
    });
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  window.civcasMap = {
    addBase: addBase,
    pinIcon: pinIcon,
    clusterIcon: clusterIcon,
    precisionCircle: precisionCircle,
    isCentroid: isCentroid,
    killedOf: killedOf,
    zoomFor: function (precision) { return ZOOM[precision] || 8; },
    esc: esc,
  };
})();
