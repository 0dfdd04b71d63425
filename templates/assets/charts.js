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

  // Defaults for what the options leave unset (an ECharts theme). ECharts' HTML tooltip writes
  // markup with style="" attributes, which the Content-Security-Policy (style-src 'self') refuses:
  // draw the tooltip inside the SVG instead, and keep it within the chart, where it can be seen.
  var THEME = {
    tooltip: {
      renderMode: "richText",
      position: function (point, params, dom, rect, size) {
        var width = size.contentSize[0];
        var height = size.contentSize[1];
        var x = point[0] + 12 + width <= size.viewSize[0] ? point[0] + 12 : point[0] - 12 - width;
        var y = point[1] - height / 2;
        return [
          Math.max(0, Math.min(x, size.viewSize[0] - width)),
          Math.max(0, Math.min(y, size.viewSize[1] - height))
        ];
      }
    }
  };

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
        var chart = echarts.init(el, THEME, init);
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
      var resizeAll = function () {
        for (var j = 0; j < drawn.length; j++) {
          drawn[j].resize();
        }
      };
      var timer = null;
      window.addEventListener("resize", function () {
        clearTimeout(timer);
        timer = setTimeout(resizeAll, RESIZE_DELAY_MS);
      });
      // Printing lays the page out again at the paper's size: redraw to fit it, and back after.
      // The browser prints at once, so paint now rather than at the next animation frame.
      var print = window.matchMedia ? window.matchMedia("print") : null;
      if (print && print.addEventListener) {
        print.addEventListener("change", function () {
          resizeAll();
          for (var j = 0; j < drawn.length; j++) {
            drawn[j].getZr().flush();
          }
        });
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll(); // loaded late (e.g. after DOMContentLoaded): draw now
  }
})();
