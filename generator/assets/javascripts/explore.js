/* The explore page: the scorecard recomputed with a reader's weights, exactly as the
 * generator's score.py computes it, and kept in the page's address.
 *
 * Arithmetic is exact: points and weights are fractions of BigInts, never floats. A category
 * score is 100 × Σ(weight × points) / Σ(weight) over its applicable criteria; the overall score
 * is Σ(category weight × category score) / Σ(category weight) over categories with a score; a
 * weight of 0 leaves its part out of both sums. Scores are rounded once, to one decimal place,
 * half away from zero; labs rank by the rounded score, ties by slug, a lab with no score last;
 * the grade is the first whose minimum is at or below the rounded score.
 *
 * Loaded by charts.js on a page with [data-explore]. Every text shown comes from the page's data
 * or from this file, and is set with textContent: a value from the address is only ever read
 * as a number or matched against the data's own ids.
 */
(function () {
  "use strict";

  // -- exact fractions ----------------------------------------------------------------------
  function gcd(a, b) {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) { var t = a % b; a = b; b = t; }
    return a;
  }
  function frac(n, d) {
    if (d === undefined) d = 1n;
    if (d < 0n) { n = -n; d = -d; }
    var g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  }
  function parseRatio(text) { // "n/d", as the page's data writes them
    var parts = String(text).split("/");
    return frac(BigInt(parts[0]), BigInt(parts[1] || "1"));
  }
  var DECIMAL = /^(\d{1,4})(?:\.(\d{1,4}))?$/;
  function parseDecimal(text) { // a weight as a reader types it: "2", "0.5"; null if not one
    var m = DECIMAL.exec(String(text).trim());
    if (!m) return null;
    var decimals = m[2] || "";
    return frac(BigInt(m[1] + decimals), 10n ** BigInt(decimals.length));
  }
  function add(a, b) { return frac(a.n * b.d + b.n * a.d, a.d * b.d); }
  function mul(a, b) { return frac(a.n * b.n, a.d * b.d); }
  function div(a, b) { return frac(a.n * b.d, a.d * b.n); }
  function isZero(a) { return a.n === 0n; }
  function text(a) { // a fraction back as the shortest decimal a reader would type
    if (a.d === 1n) return a.n.toString();
    var scaled = (a.n * 10000n) / a.d;
    var s = (Number(scaled) / 10000).toString();
    return s;
  }

  function weightedMean(pairs) { // [[weight, value]] -> fraction or null
    var total = frac(0n), weights = frac(0n);
    pairs.forEach(function (p) { total = add(total, mul(p[0], p[1])); weights = add(weights, p[0]); });
    return isZero(weights) ? null : div(total, weights);
  }

  // One decimal place, half away from zero, decided on the fraction: the tenths as a BigInt.
  function roundTenths(value) {
    var negative = value.n < 0n;
    var n = negative ? -value.n : value.n;
    var scaled = n * 10n;
    var whole = scaled / value.d, remainder = scaled % value.d;
    if (2n * remainder >= value.d) whole += 1n;
    return negative ? -whole : whole;
  }
  function tenthsText(tenths) {
    var negative = tenths < 0n;
    var t = negative ? -tenths : tenths;
    return (negative ? "-" : "") + (t / 10n).toString() + "." + (t % 10n).toString();
  }

  function compute(data, categoryWeights, criterionWeights) {
    var results = data.labs.map(function (lab) {
      var categories = data.categories.map(function (category) {
        var pairs = [];
        category.criteria.forEach(function (criterion) {
          var points = lab.points[criterion.id];
          if (points === null || points === undefined) return; // not applicable
          pairs.push([criterionWeights[criterion.id], parseRatio(points)]);
        });
        var mean = weightedMean(pairs);
        return [categoryWeights[category.id], mean === null ? null : mul(frac(100n), mean)];
      });
      var overall = weightedMean(categories.filter(function (c) { return c[1] !== null; }));
      var tenths = overall === null ? null : roundTenths(overall);
      return { lab: lab, tenths: tenths };
    });
    results.sort(function (a, b) {
      if ((a.tenths === null) !== (b.tenths === null)) return a.tenths === null ? 1 : -1;
      if (a.tenths !== null && a.tenths !== b.tenths) return a.tenths > b.tenths ? -1 : 1;
      return a.lab.slug < b.lab.slug ? -1 : a.lab.slug > b.lab.slug ? 1 : 0;
    });
    results.forEach(function (r, i) {
      r.rank = i + 1;
      r.score = r.tenths === null ? null : tenthsText(r.tenths);
      r.grade = null;
      if (r.tenths !== null) {
        for (var g = 0; g < data.grades.length; g++) {
          var min = parseRatio(data.grades[g].min); // min <= tenths / 10
          if (min.n * 10n <= r.tenths * min.d) { r.grade = data.grades[g].grade; break; }
        }
      }
    });
    return results;
  }

  // -- weights: published, a preset, the address ---------------------------------------------
  function published(data) {
    var categories = {}, criteria = {};
    data.categories.forEach(function (c) {
      categories[c.id] = parseRatio(c.weight);
      c.criteria.forEach(function (k) { criteria[k.id] = parseRatio(k.weight); });
    });
    return { categories: categories, criteria: criteria };
  }
  function equal(data) {
    var weights = published(data);
    Object.keys(weights.categories).forEach(function (id) { weights.categories[id] = frac(1n); });
    Object.keys(weights.criteria).forEach(function (id) { weights.criteria[id] = frac(1n); });
    return weights;
  }
  function preset(data, found) {
    var weights = published(data);
    Object.keys(found.categories || {}).forEach(function (id) {
      weights.categories[id] = parseRatio(found.categories[id]);
    });
    Object.keys(found.criteria || {}).forEach(function (id) {
      weights.criteria[id] = parseRatio(found.criteria[id]);
    });
    return weights;
  }
  function presets(data) {
    var list = [
      { id: "published", title: "Published weights", build: function () { return published(data); } },
      { id: "equal", title: "Equal weights", build: function () { return equal(data); } },
    ];
    data.presets.forEach(function (p) {
      list.push({ id: p.id, title: p.title, description: p.description, build: function () { return preset(data, p); } });
    });
    return list;
  }

  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  // The address: #preset=ID, then cat.ID=W and crit.ID=W for weights that differ from it.
  function fromAddress(data, hash) {
    var list = presets(data);
    var weights = published(data), chosen = "published", base = "published", ignored = [];
    var params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    var name = params.get("preset");
    if (name !== null) {
      var found = list.filter(function (p) { return p.id === name; })[0];
      if (found) { weights = found.build(); chosen = base = found.id; } else ignored.push("preset");
    }
    params.forEach(function (value, key) {
      if (key === "preset") return;
      var m = /^(cat|crit)\.(.+)$/.exec(key);
      var table = m ? (m[1] === "cat" ? weights.categories : weights.criteria) : null;
      var weight = parseDecimal(value);
      if (!m || !ID.test(m[2]) || !(m[2] in table) || weight === null) { ignored.push(key); return; }
      table[m[2]] = weight;
      chosen = "custom";
    });
    return { weights: weights, preset: chosen, base: base, ignored: ignored };
  }
  // The weights as an address: the preset they start from, and every weight that differs.
  function toAddress(data, weights, base) {
    if (!presets(data).some(function (p) { return p.id === base; })) base = "published";
    var reference = presets(data).filter(function (p) { return p.id === base; })[0].build();
    var params = new URLSearchParams();
    if (base !== "published") params.set("preset", base);
    [["cat", "categories"], ["crit", "criteria"]].forEach(function (pair) {
      Object.keys(weights[pair[1]]).forEach(function (id) {
        var w = weights[pair[1]][id], r = reference[pair[1]][id];
        if (w.n * r.d !== r.n * w.d) params.set(pair[0] + "." + id, text(w));
      });
    });
    var s = params.toString();
    return s ? "#" + s : "";
  }

  // -- the page ------------------------------------------------------------------------------
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function mount(root) {
    if (root.getAttribute("data-explore-ready")) return;
    root.setAttribute("data-explore-ready", "1");
    var data = JSON.parse(root.getAttribute("data-explore"));
    var state = fromAddress(data, location.hash);
    var controls = root.querySelector(".sc-explore-controls");
    var note = root.querySelector(".sc-explore-note");
    var body = root.querySelector(".sc-explore-results tbody");
    var caption = root.querySelector(".sc-explore-results caption");
    root.querySelector(".sc-explore-needs-js").hidden = true;

    var list = presets(data);
    var select = element("select", { id: "sc-preset" });
    list.forEach(function (p) {
      var option = element("option", { value: p.id });
      option.textContent = p.title;
      select.append(option);
    });
    var custom = element("option", { value: "custom" });
    custom.textContent = "Your own weights";
    select.append(custom);
    var label = element("label", { for: "sc-preset" });
    label.textContent = "Emphasis ";
    var description = element("p", { class: "sc-meta" });
    controls.append(element("p", {}, [label, select]), description);

    var inputs = {};
    function input(kind, id, title) {
      var field = element("input", { type: "text", inputmode: "decimal", size: "5", id: "sc-w-" + kind + "-" + id, "aria-describedby": "sc-weight-help" });
      var name = element("label", { for: field.id });
      name.textContent = title + " ";
      inputs[kind + "." + id] = field;
      field.addEventListener("change", function () {
        var weight = parseDecimal(field.value);
        if (weight === null) { field.value = text(state.weights[kind === "cat" ? "categories" : "criteria"][id]); return; }
        state.weights[kind === "cat" ? "categories" : "criteria"][id] = weight;
        state.preset = "custom";
        update(true);
      });
      return element("li", {}, [name, field]);
    }
    var help = element("p", { id: "sc-weight-help", class: "sc-meta" });
    help.textContent = "A weight is a number from 0 to 9999 with up to four decimals; 0 leaves the part out.";
    controls.append(help);
    controls.append(element("ul", { class: "sc-weights" }, data.categories.map(function (c) { return input("cat", c.id, c.title); })));
    var details = element("details", {});
    var summary = element("summary", {});
    summary.textContent = "Weights of the criteria within each category";
    details.append(summary);
    data.categories.forEach(function (c) {
      var heading = element("p", {});
      heading.textContent = c.title;
      details.append(heading, element("ul", { class: "sc-weights" }, c.criteria.map(function (k) { return input("crit", k.id, k.title); })));
    });
    controls.append(details);
    controls.hidden = false;

    select.addEventListener("change", function () {
      var found = list.filter(function (p) { return p.id === select.value; })[0];
      if (!found) return;
      state.weights = found.build();
      state.preset = state.base = found.id;
      update(true);
    });

    var publishedScores = {};
    compute(data, published(data).categories, published(data).criteria).forEach(function (r) { publishedScores[r.lab.slug] = r; });

    function update(write) {
      select.value = state.preset;
      var found = list.filter(function (p) { return p.id === state.preset; })[0];
      description.textContent = found && found.description ? found.description : "";
      Object.keys(inputs).forEach(function (key) {
        var parts = key.split(".");
        inputs[key].value = text(state.weights[parts[0] === "cat" ? "categories" : "criteria"][parts[1]]);
      });
      var results = compute(data, state.weights.categories, state.weights.criteria);
      body.replaceChildren.apply(body, results.map(function (r) {
        var before = publishedScores[r.lab.slug];
        var link = element("a", { href: r.lab.href });
        link.textContent = r.lab.name;
        var changed = r.tenths !== before.tenths || r.rank !== before.rank;
        var cells = [String(r.rank), null, r.score === null ? "—" : r.score, r.grade || "—", r.lab.published,
          r.tenths === null || before.tenths === null ? "—" : (r.tenths - before.tenths >= 0n ? "+" : "") + tenthsText(r.tenths - before.tenths)];
        var row = element("tr", changed ? { class: "sc-changed" } : {});
        cells.forEach(function (value, i) {
          var cell = element(i === 1 ? "th" : "td", i === 1 ? { scope: "row" } : (i >= 2 && i !== 3 ? { class: "sc-num" } : {}));
          if (i === 1) { cell.append(link); if (changed) { var mark = element("span", { class: "sc-meta" }); mark.textContent = " (changed)"; cell.append(mark); } }
          else cell.textContent = value;
          row.append(cell);
        });
        return row;
      }));
      caption.textContent = "The ranking with the weights above (" + (found ? found.title : "your own weights") + "). “Published” is the score on the leaderboard; “(changed)” marks a lab whose score or rank moved.";
      if (state.ignored.length && !write) {
        note.hidden = false;
        note.textContent = "Some values in this page's address were not understood and were ignored: " + state.ignored.length + ".";
      } else {
        note.hidden = true;
      }
      if (write) state.ignored = [];
      if (write) history.replaceState(null, "", location.pathname + location.search + toAddress(data, state.weights, state.base));
    }
    update(false);
  }

  window.scorecardExplore = { compute: compute, parseRatio: parseRatio, parseDecimal: parseDecimal, fromAddress: fromAddress, toAddress: toAddress, published: published };
  window.scorecardExploreMount = function () { document.querySelectorAll("[data-explore]").forEach(mount); };
  window.scorecardExploreMount();
})();
