/*
 * charts.js: draws the page's charts with the site's own copy of ECharts.
 *
 * The only script that draws charts (the Content-Security-Policy allows no inline script).
 * Each chart is an element <div class="chart" data-chart="ID"> followed by
 * <script type="application/json" id="ID-options">, which holds the ECharts option object as
 * data (never executed). Every chart also has a data table and a text summary in the page,
 * so without this script, or without ECharts, the page still says everything: we then do
 * nothing and the table stays as it is.
 *
 * Plain ES2015, no modules, no network requests.
 */
(function () {
  "use strict";

  var RESIZE_DELAY_MS = 150; // redraw at most this often while the window is being resized
  var FALLBACK_HEIGHT = 360; // used only if the stylesheet gave the container no height

  function locale() {
    var lang = (document.documentElement.lang || "").toLowerCase();
    return lang.indexOf("en") === 0 ? "EN" : "ZH";
  }

  function readOptions(id) {
    var source = document.getElementById(id + "-options");
    return source ? JSON.parse(source.textContent) : null;
  }

  function drawAll() {
    var echarts = window.echarts;
    if (!echarts || typeof echarts.init !== "function") {
      return; // ECharts did not load: the tables already show the figures
    }
    var drawn = [];
    var containers = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < containers.length; i++) {
      var el = containers[i];
      try {
        var options = readOptions(el.dataset.chart);
        if (!options) {
          continue;
        }
        var init = { renderer: "svg", locale: locale() };
        if (!el.clientHeight) {
          init.height = FALLBACK_HEIGHT;
        }
        var chart = echarts.init(el, null, init);
        chart.setOption(options);
        el.setAttribute("data-rendered", "true");
        drawn.push(chart);
      } catch (err) {
        // One broken chart must not stop the others; its table is still on the page.
        if (window.console) {
          window.console.error("chart " + el.dataset.chart + ":", err);
        }
      }
    }
    if (drawn.length) {
      var timer = null;
      window.addEventListener("resize", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          for (var j = 0; j < drawn.length; j++) {
            drawn[j].resize();
          }
        }, RESIZE_DELAY_MS);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll(); // loaded late (e.g. after DOMContentLoaded): draw now
  }
})();
