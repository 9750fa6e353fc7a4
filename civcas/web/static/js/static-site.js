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
    var filesReady = getJSON("map.json").then(function (d) {
      var ix = d.fields.indexOf("code"), fx = d.fields.indexOf("file");
      files = {};
      d.points.forEach(function (p) { files[p[ix]] = p[fx]; });
      return files;
    });
    document.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a.open-incident") : null;
      if (!a) return;
      var m = /\/incidents\/([^?#]*)/.exec(a.getAttribute("href") || "");
      if (!m) return;
      var code = decodeURIComponent(m[1]);
      if (files) {
        if (files[code]) a.setAttribute("href", "incidents/" + files[code] + ".html");
        return;
      }
      // a click before the file names arrived: follow the link once they have
      ev.preventDefault();
      filesReady.then(function (f) {
        if (f[code]) window.location.href = "incidents/" + f[code] + ".html";
      });
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
  var BREAKDOWNS = ["injured", "children_killed", "women_killed", "men_killed"];
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
  function ratio(likely, conceded) {
    function q(a, b) { return b ? Math.round(a / b * 100) / 100 : null; }
    return { min: q(likely.killed_min, conceded.deaths_min), max: q(likely.killed_max, conceded.deaths_max) };
  }
  function coverage(inScope, known) { return inScope ? Math.round(known / inScope * 10000) / 10000 : null; }
  function partyMatch(bel, key) { return key === bel || key.indexOf(bel) >= 0; }

  // The figures of civcas.tally.tally for one filter, named as `civcas tally --json` names
  // them: totals, breakdowns, by grade and assessment, likely, the named party's
  // concessions and coverage, and each assessing party's comparison (by_belligerent).
  function tally(data, f) {
    var fields = data.fields, match = matcher(f, data.km_per_deg);
    var likelySet = {};
    data.likely_grades.forEach(function (g) { likelySet[g] = true; });
    var bel = f.belligerent ? f.belligerent.toLowerCase() : null;
    var s = zero(), byGrade = {}, byAssessment = {}, likely = zero(), parties = {};
    var breakdowns = {};
    BREAKDOWNS.forEach(function (b) { breakdowns[b] = { min: 0, max: 0, incidents_with_figure: 0 }; });
    var conceded = bel ? { belligerent: f.belligerent, incidents_credible: 0, deaths_min: 0, deaths_max: 0,
      incidents_in_scope: 0, incidents_with_assessment: 0 } : null;
    data.rows.forEach(function (row) {
      var r = {};
      fields.forEach(function (name, i) { r[name] = row[i]; });
      if (!match(r)) return;
      add(s, r);
      BREAKDOWNS.forEach(function (b, i) {
        breakdowns[b].min += r[b + "_min"];
        breakdowns[b].max += r[b + "_max"];
        if (r.given & (1 << i)) breakdowns[b].incidents_with_figure += 1;
      });
      var g = r.grade || "Ungraded", a = r.assessment || "none";
      add(byGrade[g] = byGrade[g] || zero(), r);
      add(byAssessment[a] = byAssessment[a] || zero(), r);
      var isLikely = !!likelySet[r.grade];
      if (isLikely) add(likely, r);
      if (conceded) {
        var cred = false, known = false, scope = false;
        r.belligerents.forEach(function (b) {
          if (!partyMatch(bel, b[0])) return;
          scope = true;
          if (b[2] !== "none") known = true;
          if (b[2] === "credible") {
            cred = true;
            conceded.deaths_min += b[3];
            conceded.deaths_max += b[4];
          }
        });
        if (cred) conceded.incidents_credible += 1;
        if (scope) conceded.incidents_in_scope += 1;
        if (known) conceded.incidents_with_assessment += 1;
      }
      var per = {};
      r.belligerents.forEach(function (b) {
        var p = per[b[0]] = per[b[0]] || { name: b[1], assessed: 0, answered: 0, credible: 0, c_min: 0, c_max: 0 };
        if (b[1] < p.name) p.name = b[1];
        if (b[2] !== "none") p.assessed = 1;
        // listed when it answered (civcas.store.tally_parts.ANSWERED): "not yet assessed" alone lists no one
        if (b[2] !== "none" && b[2] !== "not_yet_assessed") p.answered = 1;
        if (b[2] === "credible") { p.credible = 1; p.c_min += b[3]; p.c_max += b[4]; }
      });
      Object.keys(per).forEach(function (key) {
        var p = per[key];
        var t = parties[key] = parties[key] || { name: p.name, any: false, incidents_in_scope: 0,
          incidents_with_assessment: 0, incidents_credible: 0, deaths_min: 0, deaths_max: 0,
          likely: { incidents: 0, killed_min: 0, killed_max: 0 } };
        if (p.name < t.name) t.name = p.name;
        if (p.answered) t.any = true;
        t.incidents_in_scope += 1;
        t.incidents_with_assessment += p.assessed;
        t.incidents_credible += p.credible;
        t.deaths_min += p.c_min;
        t.deaths_max += p.c_max;
        if (isLikely) { t.likely.incidents += 1; t.likely.killed_min += r.killed_min; t.likely.killed_max += r.killed_max; }
      });
    });
    s.breakdowns = breakdowns;
    s.by_grade = byGrade;
    s.by_assessment = byAssessment;
    s.likely = likely;
    s.likely.grades = data.likely_grades;
    if (conceded) conceded.coverage = coverage(conceded.incidents_in_scope, conceded.incidents_with_assessment);
    s.conceded = conceded;
    s.ratio_likely_to_conceded = conceded ? ratio(likely, conceded) : null;
    s.by_belligerent = Object.keys(parties).sort().filter(function (k) { return parties[k].any; }).map(function (k) {
      var t = parties[k];
      var c = { incidents_credible: t.incidents_credible, deaths_min: t.deaths_min, deaths_max: t.deaths_max,
        incidents_in_scope: t.incidents_in_scope, incidents_with_assessment: t.incidents_with_assessment };
      return { belligerent: t.name, likely: t.likely, conceded: c, ratio_likely_to_conceded: ratio(t.likely, c),
        coverage: coverage(c.incidents_in_scope, c.incidents_with_assessment) };
    });
    return s;
  }
  function pyFloat(x) {
    if (x == null) return "None";
    return Number.isInteger(x) ? x.toFixed(1) : String(x);
  }
  function range(a, b) { return fmt(a) + "–" + fmt(b); }
  function ratioText(r, lab) { return r && r.min != null ? pyFloat(r.min) + "×–" + pyFloat(r.max) + "×" : lab.ratio_none; }
  function bdi(text, attrs) {
    var b = el("bdi", Object.assign({ dir: "ltr" }, attrs || {}), text);
    return b;
  }

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
    var likelyFig = document.querySelector(".figure.likely");
    var likelySub = likelyFig && likelyFig.querySelector(".sub");
    if (likelySub) {
      var gl = s.likely.grades.map(function (g) { return lab[g] || g; }).join(" + ");
      likelySub.textContent = fill(lab.likely_note, { grades: gl }) + " · " + fill(lab.incidents_count, { n: fmt(s.likely.incidents) }) +
        (s.conceded ? "" : " · " + lab.likely_any_party);
    }
    var c = s.conceded;
    document.querySelectorAll(".figure.conceded, .figure.ratio, #coverage").forEach(function (e) { e.remove(); });
    var single = document.getElementById("no-single-party");
    if (single) single.hidden = !!c;
    if (c && likelyFig) {
      var r = s.ratio_likely_to_conceded;
      var cf = el("div", { "class": "figure conceded" });
      cf.appendChild(el("h2", {}, fill(lab.conceded_deaths, { who: c.belligerent })));
      cf.appendChild(el("p", { "class": "big" })).appendChild(bdi(range(c.deaths_min, c.deaths_max), { id: "conceded-deaths", "data-min": c.deaths_min, "data-max": c.deaths_max }));
      cf.appendChild(el("p", { "class": "sub" }, fill(lab.credible_count, { n: fmt(c.incidents_credible) })));
      var rf = el("div", { "class": "figure ratio" });
      rf.appendChild(el("h2", {}, lab.ratio));
      rf.appendChild(el("p", { "class": "big ratio-value" })).appendChild(bdi(ratioText(r, lab), { id: "ratio", "data-min": pyFloat(r.min), "data-max": pyFloat(r.max) }));
      rf.appendChild(el("p", { "class": "sub" }, fill(lab.ratio_known, { k: fmt(c.incidents_with_assessment), n: fmt(c.incidents_in_scope) })));
      likelyFig.parentNode.insertBefore(rf, likelyFig.nextSibling);
      likelyFig.parentNode.insertBefore(cf, likelyFig.nextSibling);
      if (c.coverage != null && c.coverage < 1 && headline) {
        headline.parentNode.insertBefore(el("p", { "class": "coverage", id: "coverage" },
          fill(lab.coverage_sentence, { who: c.belligerent, k: fmt(c.incidents_with_assessment), n: fmt(c.incidents_in_scope) })), headline.nextSibling);
      }
    }
    set("named-victims", fmt(s.named_victims), { "data-value": s.named_victims });
    // each assessing party's row (a filter only ever removes parties)
    var partyTable = document.querySelector("#by-belligerent table");
    if (partyTable) {
      var got = {};
      s.by_belligerent.forEach(function (p) { got[p.belligerent] = p; });
      partyTable.querySelectorAll("tr.party").forEach(function (tr) {
        var p = got[tr.getAttribute("data-party")];
        tr.hidden = !p;
        if (!p) return;
        var pc = p.conceded, cells = tr.querySelectorAll("td bdi");
        tr.setAttribute("data-known", pc.incidents_with_assessment);
        tr.setAttribute("data-in-scope", pc.incidents_in_scope);
        var texts = [range(p.likely.killed_min, p.likely.killed_max), range(pc.deaths_min, pc.deaths_max),
          ratioText(p.ratio_likely_to_conceded, lab), fill(lab.known_of, { k: fmt(pc.incidents_with_assessment), n: fmt(pc.incidents_in_scope) })];
        for (var i = 0; i < cells.length && i < texts.length; i++) cells[i].textContent = texts[i];
      });
      document.querySelectorAll("#by-belligerent .coverage-note").forEach(function (e) { e.remove(); });
      var after = partyTable;
      s.by_belligerent.forEach(function (p) {
        var pc = p.conceded;
        if (pc.incidents_with_assessment >= pc.incidents_in_scope) return;
        var note = el("p", { "class": "coverage-note" }, fill(lab.coverage_sentence, { who: p.belligerent, k: fmt(pc.incidents_with_assessment), n: fmt(pc.incidents_in_scope) }));
        after.parentNode.insertBefore(note, after.nextSibling);
        after = note;
      });
    }
    var totals = document.getElementById("totals");
    if (totals) {
      var b = totals.querySelectorAll(":scope > bdi");
      if (b[0]) b[0].textContent = fmt(s.incidents);
      if (b[1]) b[1].textContent = range(s.killed_min, s.killed_max);
      if (b.length > 2) b[b.length - 1].textContent = fmt(s.incidents_unknown_count);
      BREAKDOWNS.forEach(function (key) {
        var span = document.getElementById("breakdown-" + key), v = s.breakdowns[key];
        if (!span) return;
        span.setAttribute("data-incidents", v.incidents_with_figure);
        span.textContent = lab[key] + " ";
        span.appendChild(bdi(range(v.min, v.max)));
        span.appendChild(document.createTextNode(" (" + fill(lab.with_figure, { n: fmt(v.incidents_with_figure) }) + ")"));
      });
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
    window.civcasTally = s;
    document.documentElement.setAttribute("data-tallied", "1");
  }

  if (headline && form) {
    var f = readFilter(location.search);
    Object.keys(f).forEach(function (name) {
      if (name === "grades") {
        var chosen = f.grades.split(",");
        form.querySelectorAll('input[name="grades"]').forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
      } else {
        var input = form.querySelector('[name="' + name + '"]');  // an input or a list (issue 19)
        if (input && input.tagName === "SELECT" && !Array.prototype.some.call(input.options, function (o) { return o.value === f[name]; })) {
          input.appendChild(el("option", { value: f[name] }, f[name]));  // a value typed in the URL stays shown
        }
        if (input) input.value = f[name];
      }
    });
    if (Object.keys(f).length) {
      // the title names the whole record's scope: a filtered view says what it shows (issue 19)
      var title = document.getElementById("scope-title"), note = document.getElementById("scope-filtered");
      if (title && note) { title.hidden = true; note.hidden = false; }
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
