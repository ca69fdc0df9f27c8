/* Charts of the five-colour pages (ECharts, served by Wangge). A chart is a <div data-chart="kind"
   data-source="id"> whose data is the JSON in <script type="application/json" id="id">. */
(function () {
  "use strict";

  var builders = {
    households: function (data) {
      return {
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.labels, inverse: true },
        series: data.series.map(function (s) {
          return {
            name: s.name, type: "bar", stack: "all", data: s.data,
            itemStyle: { color: s.colour, borderColor: "#adb5bd", borderWidth: s.colour === "#ffffff" ? 1 : 0 }
          };
        })
      };
    },
    areas: function (data) {
      return {
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: [{
          type: "bar",
          data: data.data.map(function (value, i) { return { value: value, itemStyle: { color: data.colours[i] } }; })
        }]
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
      if (box.dataset.chart === "households") {
        box.style.height = Math.max(220, 34 * data.labels.length + 70) + "px";
      }
      var chart = window.echarts.getInstanceByDom(box) || window.echarts.init(box);
      chart.setOption(build(data), true);
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = window.echarts && window.echarts.getInstanceByDom(box);
      if (chart) { chart.resize(); }
    });
  });
})();
