/* Charts of the testing pages (ECharts, served by Wangge). A chart is a <div data-chart="kind"
   data-source="id"> whose data is the JSON in <script type="application/json" id="id">; charts are
   drawn on load and redrawn when htmx swaps fresh data in (live coverage). */
(function () {
  "use strict";

  var builders = {
    coverage: function (data) {
      return {
        grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.labels, inverse: true },
        series: [
          { name: data.names.tested, type: "bar", stack: "all", data: data.tested, itemStyle: { color: "#2f9e44" } },
          { name: data.names.untested, type: "bar", stack: "all", data: data.untested, itemStyle: { color: "#e02424" } }
        ]
      };
    },
    vaccination: function (data) {
      return {
        grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: data.names.first, type: "bar", data: data.first, itemStyle: { color: "#3e8ed0" } },
          { name: data.names.complete, type: "bar", data: data.complete, itemStyle: { color: "#2f9e44" } }
        ]
      };
    }
  };

  function draw(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.dataset.source);
      var build = builders[box.dataset.chart];
      if (!source || !build) { return; }
      var data = JSON.parse(source.textContent);
      if (box.dataset.chart === "coverage") {
        box.style.height = Math.max(200, 30 * data.labels.length + 60) + "px";
      }
      var chart = window.echarts.getInstanceByDom(box) || window.echarts.init(box);
      chart.setOption(build(data), true);
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:after:swap", function () { draw(document); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = window.echarts && window.echarts.getInstanceByDom(box);
      if (chart) { chart.resize(); }
    });
  });
})();
