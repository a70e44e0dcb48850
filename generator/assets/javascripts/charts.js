/* Draws every chart on the page from its data-figure attribute.
 *
 * Loaded on every page (it is tiny); plotly.js itself is fetched from this site only when the
 * page has a chart. Runs on first load and after each instant navigation (the theme's
 * document$ observable), and redraws text colours when the reader switches light/dark scheme.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = new URL("vendor/plotly-basic.min.js", script ? script.src : location.href).href;
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

  function layoutFor(figure) {
    var layout = JSON.parse(JSON.stringify(figure.layout || {}));
    var colour = foreground();
    layout.font = Object.assign({}, layout.font, { color: colour });
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({ gridcolor: "rgba(127,127,127,0.25)", linecolor: colour }, layout[axis]);
    });
    return layout;
  }

  function draw() {
    var charts = document.querySelectorAll(".sc-chart[data-figure]");
    if (!charts.length) return;
    loadPlotly().then(function (Plotly) {
      charts.forEach(function (el) {
        var figure = JSON.parse(el.getAttribute("data-figure"));
        Plotly.react(el, figure.data, layoutFor(figure), figure.config);
        el.setAttribute("data-drawn", "true");
      });
    }).catch(function (error) {
      charts.forEach(function (el) { el.setAttribute("data-drawn", "failed"); });
      console.warn(error.message);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(draw);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }

  new MutationObserver(function () { if (window.Plotly) draw(); })
    .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
