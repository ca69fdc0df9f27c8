/* The charts of a page (ECharts, served by Wangge). A chart is a <div data-chart="kind"
   data-source="id"> whose data is the JSON in <script type="application/json" id="id">. A page's
   own script tells how each kind is built, and how tall it grows with its data, through
   WanggeCharts.use(builders, heights). Charts are drawn on load, redrawn when htmx swaps fresh data
   in, and follow the window's size. */
(function () {
  "use strict";

  var builders = {};
  var heights = {};

  function draw(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.dataset.source);
      var build = builders[box.dataset.chart];
      if (!source || !build) { return; }
      var data = JSON.parse(source.textContent);
      var height = heights[box.dataset.chart];
      if (height) { box.style.height = height(data) + "px"; }
      var chart = window.echarts.getInstanceByDom(box) || window.echarts.init(box);
      chart.setOption(build(data), true);
      chart.resize();
    });
  }

  window.WanggeCharts = {
    use: function (moreBuilders, moreHeights) {
      Object.assign(builders, moreBuilders);
      Object.assign(heights, moreHeights || {});
    }
  };

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:after:swap", function () { draw(document); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = window.echarts && window.echarts.getInstanceByDom(box);
      if (chart) { chart.resize(); }
    });
  });
})();
