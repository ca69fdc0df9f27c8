/* Charts of the testing pages, drawn by js/charts.js (redrawn when htmx swaps live coverage in). */
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

  window.WanggeCharts.use(builders, {
    coverage: function (data) { return Math.max(200, 30 * data.labels.length + 60); }
  });
})();
