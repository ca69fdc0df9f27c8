/* Charts of the five-colour pages, drawn by js/charts.js. */
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

  window.WanggeCharts.use(builders, {
    households: function (data) { return Math.max(220, 34 * data.labels.length + 70); }
  });
})();
