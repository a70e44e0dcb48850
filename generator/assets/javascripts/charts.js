/* Draws every chart on the page from its data-figure attribute, and makes wide tables that
 * scroll reachable by keyboard. (search-on-open.js holds back the search index.)
 *
 * Loaded on every page (it is small); plotly.js itself is fetched from this site only when a
 * chart comes near the viewport (IntersectionObserver), so a reader who never scrolls to a chart
 * never downloads it; the chart's table and text alternative are in the page either way. Runs on
 * first load and after each instant navigation (the theme's document$ observable), and redraws
 * text colours when the reader switches light/dark scheme.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = new URL("vendor/plotly-basic.min.js", script ? script.src : location.href).href;
  var exploreUrl = new URL("explore.js", script ? script.src : location.href).href;
  var exploreLoading = null;

  // The explore page's script, fetched only on that page.
  function explore() {
    if (!document.querySelector("[data-explore]")) return;
    if (window.scorecardExploreMount) { window.scorecardExploreMount(); return; }
    if (exploreLoading) return;
    exploreLoading = true;
    var tag = document.createElement("script");
    tag.src = exploreUrl;
    tag.onerror = function () { exploreLoading = null; };
    document.head.appendChild(tag);
  }
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlyUrl;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () { loading = null; reject(new Error("plotly.js failed to load")); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function foreground() {
    var value = getComputedStyle(document.body).getPropertyValue("--md-default-fg-color");
    return (value || "").trim() || "#333";
  }

  function layoutFor(figure, width) {
    var layout = JSON.parse(JSON.stringify(figure.layout || {}));
    var colour = foreground();
    layout.font = Object.assign({}, layout.font, { color: colour });
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({ gridcolor: "rgba(127,127,127,0.25)", linecolor: colour }, layout[axis]);
      // plotly centres an axis title on the plot area and clips what passes the chart's edge:
      // on a phone, long category labels push "Category score (0–100)" out of the chart.
      // There, the part in brackets goes on a line of its own.
      var title = layout[axis].title;
      if (width < 480 && title && typeof title.text === "string") {
        layout[axis].title = Object.assign({}, title, { text: title.text.replace(" (", "<br>(") });
        layout[axis].automargin = true;
      }
    });
    return layout;
  }

  function drawChart(el) {
    loadPlotly().then(function (Plotly) {
      if (!el.isConnected) return; // an instant navigation replaced the page meanwhile
      var figure = JSON.parse(el.getAttribute("data-figure"));
      Plotly.react(el, figure.data, layoutFor(figure, el.clientWidth), figure.config);
      el.setAttribute("data-drawn", "true");
    }).catch(function (error) {
      el.setAttribute("data-drawn", "failed");
      console.warn(error.message);
    });
  }

  // A chart is drawn when it comes within about a screen of the viewport: plotly.js (the
  // heaviest file of the site) is then fetched and run, not while the page's text first loads.
  var near = typeof IntersectionObserver === "function"
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          near.unobserve(entry.target);
          drawChart(entry.target);
        });
      }, { rootMargin: "600px 0px" })
    : null;

  function draw() {
    if (near) near.disconnect(); // the previous page's charts are gone
    document.querySelectorAll(".sc-chart[data-figure]").forEach(function (el) {
      // The chart's own height, kept free until plotly fills it: a reader who followed a link
      // to a section below a chart does not see the text jump when the chart is drawn. (Set
      // here, not in the page: without JavaScript no chart is drawn, and only the stylesheet's
      // small minimum is left above its caption.)
      var height = parseInt(el.getAttribute("data-height"), 10);
      if (height > 0) el.style.minHeight = height + "px";
      if (near) near.observe(el); else drawChart(el);
    });
  }

  // After a scheme switch: the charts already drawn, in the new text colour.
  function redraw() {
    document.querySelectorAll('.sc-chart[data-figure][data-drawn="true"]').forEach(drawChart);
  }

  /* The theme wraps each table in a .md-typeset__scrollwrap that scrolls sideways when the
   * table is wider than the page (on a phone, most are). A region that scrolls must be
   * reachable by keyboard (WCAG 2.1.1): while it overflows it is a focusable region named by
   * the table's caption; when it fits, it is left alone, so it adds no stop to the tab order. */
  var resized = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) {
        // All reads first, then all writes: one layout, however many tables the page has.
        var states = entries.map(function (entry) { return overflows(entry.target); });
        entries.forEach(function (entry, i) { setRegion(entry.target, states[i]); });
      })
    : null;

  function overflows(wrap) {
    return wrap.scrollWidth > wrap.clientWidth + 1;
  }

  function setRegion(wrap, overflowing) {
    if (overflowing) {
      var caption = wrap.querySelector("caption");
      var name = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name || "Table, scrolls sideways");
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  // The observer reports each table once it is laid out (and again when its size changes), so
  // the page's first layout is not forced here; without it, each table is checked once.
  function regions() {
    if (resized) resized.disconnect(); // the previous page's tables are gone
    var wraps = Array.prototype.slice.call(document.querySelectorAll(".md-typeset__scrollwrap"));
    if (resized) {
      wraps.forEach(function (wrap) { resized.observe(wrap); });
    } else {
      var states = wraps.map(overflows);
      wraps.forEach(function (wrap, i) { setRegion(wrap, states[i]); });
    }
  }

  // A <select data-filter-table="ID"> shows only the rows of table ID whose data-lab is the
  // chosen value (all rows for ""). Without JavaScript the control stays hidden and every row
  // shows; the options' values are validated slugs, compared as text.
  function filters() {
    document.querySelectorAll("select[data-filter-table]").forEach(function (select) {
      var table = document.getElementById(select.getAttribute("data-filter-table"));
      if (!table) return;
      var holder = select.closest("[hidden]");
      if (holder) holder.hidden = false;
      var apply = function () {
        table.querySelectorAll("tbody tr").forEach(function (row) {
          row.hidden = select.value !== "" && row.getAttribute("data-lab") !== select.value;
        });
      };
      select.addEventListener("change", apply);
      apply();
    });
  }

  // Tables marked data-sortable sort by any column: each column header of the last header row
  // becomes a button; the sorted column carries aria-sort. Numbers sort as numbers ("—" last),
  // other cells as text; the first click sorts descending for numbers, ascending for text.
  function cellValue(row, index) {
    var cell = row.children[index];
    var text = cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
    var number = parseFloat(text.replace(/[^0-9.+-]/g, ""));
    return { text: text, number: /^[+−-]?[0-9]/.test(text) ? number : null };
  }
  function sortable() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.getAttribute("data-sortable-ready")) return;
      table.setAttribute("data-sortable-ready", "1");
      var rows = table.tHead ? table.tHead.rows : [];
      if (!rows.length || !table.tBodies.length) return;
      var headers = Array.prototype.slice.call(rows[rows.length - 1].cells);
      headers.forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sc-sort";
        if (th.querySelector("a")) {
          // A header that is a link keeps it; a small button beside it sorts.
          button.textContent = "⇅";
          button.setAttribute("aria-label", "Sort by " + th.textContent.replace(/\s+/g, " ").trim());
          th.appendChild(document.createTextNode(" "));
        } else {
          while (th.firstChild) button.appendChild(th.firstChild);
        }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var body = table.tBodies[0];
          var list = Array.prototype.slice.call(body.rows);
          var numeric = list.some(function (r) { return cellValue(r, index).number !== null; });
          var current = th.getAttribute("aria-sort");
          var ascending = current ? current !== "ascending" : !numeric;
          list.sort(function (a, b) {
            var x = cellValue(a, index), y = cellValue(b, index), order;
            if (numeric) {
              if (x.number === null || y.number === null) return (x.number === null) - (y.number === null);
              order = x.number - y.number;
            } else {
              order = x.text.localeCompare(y.text);
            }
            return ascending ? order : -order;
          });
          list.forEach(function (r) { body.appendChild(r); });
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        });
      });
    });
  }

  function onPage() {
    draw();
    sortable();
    filters();
    explore();
    // After the theme's own subscribers have wrapped this page's tables.
    setTimeout(regions, 0);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }

  new MutationObserver(function () { if (window.Plotly) redraw(); })
    .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
