// The static site's own script (civcas publish --static; docs/publish.md). No server:
// the dashboard's filters are tallied here from data/tally.json with the counting rules
// of civcas/tally/compute.py, names are searched in search/index.json, incident links
// made by map.js are pointed at the published files, and the footer of incident pages
// is filled from site.json.
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = script ? script.src.replace(/static\/js\/static-site\.js(\?.*)?$/, "") : "";
  var LANG = document.documentElement.getAttribute("lang") || "en";
  var cache = {};
  function getJSON(rel) {
    if (!cache[rel]) {
      cache[rel] = fetch(ROOT + rel).then(function (r) {
        if (!r.ok) throw new Error(rel + ": " + r.status);
        return r.json();
      });
    }
    return cache[rel];
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return values[k] == null ? "" : values[k]; });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  // --- footer of incident pages --------------------------------------------------------
  var stampEl = document.getElementById("site-stamp");
  if (stampEl && stampEl.getAttribute("data-site")) {
    getJSON("site.json").then(function (site) {
      var lab = site.labels[LANG] || site.labels.en;
      var cp = site.checkpoint;
      var link = stampEl.querySelector("a");
      stampEl.textContent = lab.snapshot + " ";
      var snap = el("code", { id: "site-snapshot" }, site.snapshot);
      stampEl.appendChild(el("bdi", { dir: "ltr" })).appendChild(snap);
      stampEl.appendChild(document.createTextNode(" · "));
      if (cp) {
        stampEl.appendChild(document.createTextNode(lab.checkpoint + " "));
        stampEl.appendChild(el("bdi", { dir: "ltr" })).appendChild(
          el("code", { id: "site-checkpoint" }, "#" + cp.seq + " " + String(cp.head).slice(0, 16)));
      } else {
        stampEl.appendChild(document.createTextNode(lab.no_checkpoint));
      }
      stampEl.appendChild(document.createTextNode(" · "));
      if (link) stampEl.appendChild(link);
      stampEl.appendChild(document.createTextNode(" "));
      stampEl.appendChild(el("bdi", { dir: "ltr" })).appendChild(el("code", {}, site.fingerprint));
    }).catch(function () { /* the manifest link stays */ });
  }

  // --- map popups: map.js links to /incidents/CODE; the files follow the file-name rule --
  var mapEl = document.getElementById("map");
  if (mapEl) {
    var files = null;
    getJSON("map.json").then(function (d) {
      var ix = d.fields.indexOf("code"), fx = d.fields.indexOf("file");
      files = {};
      d.points.forEach(function (p) { files[p[ix]] = p[fx]; });
    });
    document.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a.open-incident") : null;
      if (!a || !files) return;
      var m = /\/incidents\/([^?#]*)/.exec(a.getAttribute("href") || "");
      if (!m) return;
      var code = decodeURIComponent(m[1]);
      if (files[code]) a.setAttribute("href", "incidents/" + files[code] + ".html");
    }, true);
  }

  // --- the filter form: only the dashboard tallies in the browser ---------------------
  var PARAMS = ["from", "to", "belligerent", "governorate", "grades", "near"];
  var form = document.getElementById("filters");
  var headline = document.getElementById("headline");
  if (form && !headline && !document.getElementById("victim-search")) {
    form.setAttribute("action", "index.html");
  }

  function readFilter(search) {
    var sp = new URLSearchParams(search);
    var f = {};
    PARAMS.forEach(function (name) {
      var vals = sp.getAll(name).map(function (v) { return v.trim(); }).filter(Boolean);
      if (vals.length) f[name] = vals.join(",");
    });
    return f;
  }

  function matcher(f, km_per_deg) {
    var grades = f.grades ? f.grades.split(",").map(function (g) { return g.trim().toLowerCase(); }) : null;
    var bel = f.belligerent ? f.belligerent.toLowerCase() : null;
    var gov = f.governorate || null;
    var near = null;
    if (f.near) {
      var p = f.near.split(",").map(Number);
      if (p.length === 3 && p.every(isFinite)) near = p;
    }
    return function (r) {
      if (f.from && !(r.date && r.date >= f.from)) return false;
      if (f.to && !(r.date && r.date <= f.to)) return false;
      if (grades && (r.grade == null || grades.indexOf(r.grade.toLowerCase()) < 0)) return false;
      if (gov && !((r.governorate_en || "").toLowerCase() === gov.toLowerCase() || r.governorate_ar === gov)) return false;
      if (bel && !r.belligerents.some(function (b) { return b[0] === bel || b[0].indexOf(bel) >= 0; })) return false;
      if (near) {
        if (r.latitude == null || r.longitude == null) return false;
        var coslat = Math.max(Math.cos(near[0] * Math.PI / 180), 1e-6);
        var dy = (r.latitude - near[0]) * km_per_deg, dx = (r.longitude - near[1]) * km_per_deg * coslat;
        if (dy * dy + dx * dx > near[2] * near[2]) return false;
      }
      return true;
    };
  }

  var SUMMED = ["killed_min", "killed_max", "injured_min", "injured_max", "children_killed_min",
    "children_killed_max", "women_killed_min", "women_killed_max", "named_victims"];
  function zero() {
    var z = { incidents: 0, incidents_unknown_count: 0 };
    SUMMED.forEach(function (k) { z[k] = 0; });
    return z;
  }
  function add(acc, r) {
    acc.incidents += 1;
    acc.incidents_unknown_count += r.unknown;
    SUMMED.forEach(function (k) { acc[k] += r[k]; });
  }

  // The figures of civcas.tally.tally for one filter (same names as `civcas tally --json`).
  function tally(data, f) {
    var fields = data.fields, match = matcher(f, data.km_per_deg);
    var likelySet = {};
    data.likely_grades.forEach(function (g) { likelySet[g] = true; });
    var bel = f.belligerent ? f.belligerent.toLowerCase() : null;
    var s = zero(), byGrade = {}, byAssessment = {}, likely = zero();
    var conceded = { belligerent: f.belligerent || null, incidents_credible: 0, deaths_min: 0, deaths_max: 0 };
    data.rows.forEach(function (row) {
      var r = {};
      fields.forEach(function (name, i) { r[name] = row[i]; });
      if (!match(r)) return;
      add(s, r);
      var g = r.grade || "Ungraded", a = r.assessment || "none";
      add(byGrade[g] = byGrade[g] || zero(), r);
      add(byAssessment[a] = byAssessment[a] || zero(), r);
      if (likelySet[r.grade]) add(likely, r);
      var credible = false;
      r.belligerents.forEach(function (b) {
        if (!b[1]) return;
        if (bel && !(b[0] === bel || b[0].indexOf(bel) >= 0)) return;
        credible = true;
        conceded.deaths_min += b[2];
        conceded.deaths_max += b[3];
      });
      if (credible) conceded.incidents_credible += 1;
    });
    function ratio(a, b) { return b ? Math.round(a / b * 100) / 100 : null; }
    s.by_grade = byGrade;
    s.by_assessment = byAssessment;
    s.likely = likely;
    s.likely.grades = data.likely_grades;
    s.conceded = conceded;
    s.ratio_likely_to_conceded = { min: ratio(likely.killed_min, conceded.deaths_min), max: ratio(likely.killed_max, conceded.deaths_max) };
    return s;
  }
  function pyFloat(x) {
    if (x == null) return "None";
    return Number.isInteger(x) ? x.toFixed(1) : String(x);
  }
  function range(a, b) { return fmt(a) + "–" + fmt(b); }

  function showTally(data, f) {
    var s = tally(data, f);
    var lab = data.labels[LANG] || data.labels.en;
    function set(id, text, attrs) {
      var e = document.getElementById(id);
      if (!e) return;
      e.textContent = text;
      Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    set("likely-deaths", range(s.likely.killed_min, s.likely.killed_max), { "data-min": s.likely.killed_min, "data-max": s.likely.killed_max });
    var likelySub = document.querySelector(".figure.likely .sub");
    if (likelySub) {
      var gl = s.likely.grades.map(function (g) { return lab[g] || g; }).join(" + ");
      likelySub.textContent = fill(lab.likely_note, { grades: gl }) + " · " + fill(lab.incidents_count, { n: fmt(s.likely.incidents) });
    }
    var concededH = document.querySelector(".figure.conceded h2");
    if (concededH) concededH.textContent = fill(lab.conceded_deaths, { who: s.conceded.belligerent || lab.the_belligerents });
    set("conceded-deaths", range(s.conceded.deaths_min, s.conceded.deaths_max), { "data-min": s.conceded.deaths_min, "data-max": s.conceded.deaths_max });
    var concededSub = document.querySelector(".figure.conceded .sub");
    if (concededSub) concededSub.textContent = fill(lab.credible_count, { n: fmt(s.conceded.incidents_credible) });
    var r = s.ratio_likely_to_conceded;
    set("ratio", r.min != null ? pyFloat(r.min) + "×–" + pyFloat(r.max) + "×" : lab.ratio_none, { "data-min": pyFloat(r.min), "data-max": pyFloat(r.max) });
    set("named-victims", fmt(s.named_victims), { "data-value": s.named_victims });
    var totals = document.getElementById("totals");
    if (totals) {
      var b = totals.querySelectorAll("bdi");
      var vals = [fmt(s.incidents), range(s.killed_min, s.killed_max), range(s.injured_min, s.injured_max),
        range(s.children_killed_min, s.children_killed_max), range(s.women_killed_min, s.women_killed_max),
        fmt(s.incidents_unknown_count)];
      for (var i = 0; i < b.length && i < vals.length; i++) b[i].textContent = vals[i];
    }
    var tables = document.querySelectorAll(".tables table");
    [[data.by_grade_keys, s.by_grade], [data.by_assessment_keys, s.by_assessment]].forEach(function (pair, t) {
      if (!tables[t]) return;
      var rows = tables[t].querySelectorAll("tbody tr");
      pair[0].forEach(function (key, i) {
        var tr = rows[i];
        if (!tr) return;
        var v = pair[1][key];
        tr.hidden = !v;
        if (!v) return;
        var cells = tr.querySelectorAll("td");
        cells[0].textContent = fmt(v.incidents);
        cells[1].querySelector("bdi").textContent = range(v.killed_min, v.killed_max);
        cells[2].querySelector("bdi").textContent = range(v.injured_min, v.injured_max);
      });
    });
    ["monthly-chart", "comparison-chart", "strikes-chart", "estimate", "declared-strikes"].forEach(function (id) {
      var e = document.getElementById(id);
      if (e) e.hidden = true;
    });
    if (totals && !document.getElementById("static-filtered")) {
      totals.parentNode.insertBefore(el("p", { id: "static-filtered", "class": "note" }, lab.filtered_note), totals.nextSibling);
    }
    document.documentElement.setAttribute("data-tallied", "1");
  }

  if (headline && form) {
    var f = readFilter(location.search);
    Object.keys(f).forEach(function (name) {
      if (name === "grades") {
        var chosen = f.grades.split(",");
        form.querySelectorAll('input[name="grades"]').forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
      } else {
        var input = form.querySelector('input[name="' + name + '"]');
        if (input) input.value = f[name];
      }
    });
    if (Object.keys(f).length) {
      getJSON("data/tally.json").then(function (data) { showTally(data, f); })
        .catch(function (e) { document.documentElement.setAttribute("data-tally-error", String(e)); });
    }
  }

  // --- name, code and place search ------------------------------------------------------
  var searchBox = document.getElementById("victim-search");
  function folder(tables) {
    var arMap = tables.ar_map, diacritics = new RegExp(tables.ar_diacritics, "gu");
    var arLetters = new RegExp(tables.ar_letters, "u"), arOther = new RegExp(tables.ar_other, "gu");
    var apostrophes = new RegExp(tables.apostrophes, "gu"), latinOther = new RegExp(tables.latin_other, "g");
    function squash(t) { return t.split(/\s+/).filter(Boolean).join(" "); }
    return function (text) {
      if (!text) return "";
      if (arLetters.test(text)) {
        var t = text.normalize("NFKC").replace(diacritics, "").split(tables.tatweel).join("");
        t = Array.from(t).map(function (c) { return arMap[c] != null ? arMap[c] : c; }).join("").split("ء").join("");
        return squash(t.replace(arOther, " "));
      }
      var l = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(apostrophes, "");
      return squash(l.replace(latinOther, " "));
    };
  }

  // A victim matches when every word typed has a key (from the index's spellings) that is
  // one of the victim's keys, or when the victim's folded names contain the text typed.
  function searchIndex(idx, q) {
    var fold = folder(idx.fold), text = fold(q);
    if (!text) return { victims: [], incidents: [] };
    var words = text.split(/[\s-]+/).filter(function (w) { return w.length > 1; });
    var wordKeys = words.map(function (w) {
      var keys = {};
      if (idx.words[w]) keys[idx.words[w]] = true;
      return keys;
    });
    var vf = idx.victim_fields, vx = {};
    vf.forEach(function (n, i) { vx[n] = i; });
    var victims = idx.victims.filter(function (v) {
      if (v[vx.text].indexOf(text) >= 0) return true;
      if (!words.length) return false;
      var mine = " " + v[vx.keys] + " ";
      return wordKeys.every(function (keys) {
        return Object.keys(keys).some(function (k) { return mine.indexOf(" " + k + " ") >= 0; });
      });
    });
    var ix = {};
    idx.incident_fields.forEach(function (n, i) { ix[n] = i; });
    var incidents = idx.incidents.filter(function (r) { return r[ix.text].indexOf(text) >= 0; });
    return { victims: victims, incidents: incidents, vx: vx, ix: ix };
  }

  function showSearch(idx, q) {
    var found = searchIndex(idx, q);
    var main = document.querySelector("main");
    var old = document.getElementById("static-search");
    if (old) old.remove();
    var list = document.getElementById("victim-list");
    var box = el("section", { id: "static-search" });
    var pager = document.querySelectorAll(".pager");
    pager.forEach(function (p) { p.hidden = true; });
    if (list) list.hidden = true;
    var empty = document.querySelector("main .empty");
    if (empty) empty.hidden = true;
    var head = list ? list.querySelector("thead").cloneNode(true) : null;
    var table = el("table", { "class": "data list", id: "search-victims" });
    if (head) table.appendChild(head);
    var body = el("tbody");
    var vx = found.vx || {};
    found.victims.slice(0, 1000).forEach(function (v) {
      var tr = el("tr");
      var name = el("td"); name.appendChild(el("bdi", { dir: "auto", "class": "victim-name" }, v[vx.name]));
      var nameAr = el("td"); if (v[vx.name_ar]) nameAr.appendChild(el("bdi", { dir: "rtl", lang: "ar", "class": "victim-name-ar" }, v[vx.name_ar]));
      tr.appendChild(name); tr.appendChild(nameAr);
      tr.appendChild(el("td")); tr.appendChild(el("td")); tr.appendChild(el("td"));
      var inc = el("td"); inc.appendChild(el("a", { href: "incidents/" + (v[vx.file] || v[vx.code]) + ".html" }, v[vx.code]));
      tr.appendChild(inc);
      var d = el("td"); d.appendChild(el("bdi", { dir: "ltr" }, v[vx.date] || "")); tr.appendChild(d);
      body.appendChild(tr);
    });
    table.appendChild(body);
    var lab = (idx.labels && (idx.labels[LANG] || idx.labels.en)) || {};
    box.appendChild(el("p", { "class": "note", id: "search-count" }, found.victims.length + " · " + found.incidents.length));
    box.appendChild(table);
    if (found.incidents.length) {
      box.appendChild(el("h2", {}, lab.matching_incidents || "Incidents"));
      var ul = el("ul", { id: "search-incidents" });
      var ix = found.ix;
      found.incidents.slice(0, 1000).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("a", { href: "incidents/" + (r[ix.file] || r[ix.code]) + ".html" }, r[ix.code]));
        li.appendChild(document.createTextNode(" · " + (r[ix.date] || "") + " · " + ((LANG === "ar" && r[ix.place_ar]) || r[ix.place] || "")));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    main.appendChild(box);
    document.documentElement.setAttribute("data-searched", String(found.victims.length));
  }

  if (searchBox && form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = searchBox.value;
      history.replaceState(null, "", "?q=" + encodeURIComponent(q));
      getJSON("search/index.json").then(function (idx) { showSearch(idx, q); });
    });
    var q0 = new URLSearchParams(location.search).get("q");
    if (q0) {
      searchBox.value = q0;
      getJSON("search/index.json").then(function (idx) { showSearch(idx, q0); });
    }
  }
})();
