/* The daily report's trend chart, drawn by js/charts.js: one line per figure over the days of the
   snapshots (a day without a snapshot is a gap). */
(function () {
  "use strict";

  window.WanggeCharts.use({
    trends: function (data) {
      return {
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: false };
        })
      };
    }
  }, { trends: function () { return 360; } });
})();
