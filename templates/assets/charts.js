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
  var MIN_PLOT = 160; // px the plot keeps however many rows the legend takes: the chart grows instead
  var TEXT_GAP = 5; // ECharts: between a legend item's symbol and its text
  var TEXT_WIDTH = 240; // px: a longer legend name wraps onto more lines (sitegen.site.legend.TEXT_WIDTH)

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

  function measurer() {
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext ? canvas.getContext("2d") : null;
    return function (text, size) {
      if (!ctx) {
        return text.length * size; // no canvas: assume every character is wide
      }
      ctx.font = size + "px sans-serif";
      return ctx.measureText(text).width;
    };
  }

  // The legend is a plain one that wraps onto rows, and no name is ever cut: a name wider than
  // maxText (or than the chart) gets that width and breaks onto more lines. Returns the legend's
  // items and height, packed as ECharts lays them out (as sitegen.site.legend.legend_height does,
  // but with the real text widths at the chart's real width).
  function layLegend(legend, width, measure) {
    var text = legend.textStyle || {};
    var size = text.fontSize || 12;
    var line = text.lineHeight || 16;
    var pad = legend.padding || 0;
    var room = width - (legend.left || 0) - (legend.right || 0) - 2 * pad;
    var maxText = Math.max(60, Math.min(TEXT_WIDTH, room - legend.itemWidth - TEXT_GAP));
    var data = [];
    var height = 0;
    var x = 0;
    var row = 0;
    for (var i = 0; i < legend.data.length; i++) {
      var name = String(legend.data[i]);
      var w = measure(name, size);
      var lines = 1;
      if (w > maxText) {
        lines = Math.ceil((w * 1.2) / maxText); // breaking between words leaves lines short: allow for it
        data.push({ name: name, textStyle: { width: maxText, overflow: "break" } });
      } else {
        data.push(name);
      }
      var itemW = legend.itemWidth + TEXT_GAP + Math.min(w, maxText);
      if (x && x + itemW > room) {
        height += row + legend.itemGap;
        x = 0;
        row = 0;
      }
      x += itemW + legend.itemGap;
      row = Math.max(row, legend.itemHeight, line * lines);
    }
    return { data: data, height: height + row + 2 * pad };
  }

  // What to change for the chart's current width: the legend's items, the room below the plot for
  // the legend, and the container's minimum height (so the plot keeps MIN_PLOT).
  function fitLegend(el, options, measure) {
    var legend = options.legend && options.legend[0];
    var grid = options.grid && options.grid[0];
    if (!legend || !legend.data || !grid) {
      return null;
    }
    var laid = layLegend(legend, el.clientWidth || 640, measure);
    var bottom = laid.height + 8;
    el.style.minHeight = (grid.top || 0) + MIN_PLOT + bottom + "px"; // CSSOM: allowed by the CSP
    return { legend: [{ data: laid.data }], grid: [{ bottom: bottom }] };
  }

  function drawAll() {
    var echarts = window.echarts;
    if (!echarts || typeof echarts.init !== "function") {
      return; // ECharts did not load: the tables already show the figures
    }
    var drawn = [];
    var measure = measurer();
    var containers = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < containers.length; i++) {
      var el = containers[i];
      try {
        var options = readOptions(el.dataset.chart);
        if (!options) {
          continue;
        }
        var fit = fitLegend(el, options, measure);
        var init = { renderer: "svg", locale: locale() };
        if (!el.clientHeight) {
          init.height = FALLBACK_HEIGHT;
        }
        var chart = echarts.init(el, THEME, init);
        chart.setOption(options);
        if (fit) {
          chart.setOption(fit);
        }
        el.setAttribute("data-rendered", "true");
        drawn.push({ chart: chart, el: el, options: options });
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
          var fit = fitLegend(drawn[j].el, drawn[j].options, measure);
          if (fit) {
            drawn[j].chart.setOption(fit);
          }
          drawn[j].chart.resize();
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
            drawn[j].chart.getZr().flush();
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
