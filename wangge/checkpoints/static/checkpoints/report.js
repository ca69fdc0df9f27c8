/* The street-wide hourly chart of the checkpoint report (ECharts, served by Wangge): passages in
   and out as bars side by side, denials as a line. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("hourly-chart");
    if (!box || !window.echarts) { return; }
    var data = JSON.parse(document.getElementById(box.dataset.source).textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.hours },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.names["in"], type: "bar", data: data["in"], itemStyle: { color: "#3e8ed0" } },
        { name: data.names.out, type: "bar", data: data.out, itemStyle: { color: "#7950f2" } },
        { name: data.names.denied, type: "line", data: data.denied, itemStyle: { color: "#e02424" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
