/* Charts of the supplies dashboard, drawn by js/charts.js: units issued per day per item (a line
   per item) and each item's days of cover (bars; an item issued of late has none, shown as ∞). */
(function () {
  "use strict";

  var builders = {
    burn: function (data) {
      var burn = data.burn;
      return {
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: burn.days },
        yAxis: { type: "value", minInterval: 1 },
        series: burn.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, showSymbol: false };
        })
      };
    },
    cover: function (data) {
      var cover = data.cover;
      return {
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: cover.items, inverse: true },
        series: [{
          name: cover.names.cover,
          type: "bar",
          data: cover.cover.map(function (days) {
            if (days === null) {
              return { value: 0, label: { show: true, position: "right", formatter: "∞ " + cover.names.none } };
            }
            return {
              value: days,
              itemStyle: { color: days < 3 ? "#e02424" : days < 7 ? "#f59f00" : "#3e8ed0" },
              label: { show: true, position: "right" }
            };
          })
        }]
      };
    }
  };

  window.WanggeCharts.use(builders, {
    burn: function () { return 320; },
    cover: function (data) { return Math.max(220, 30 * data.cover.items.length + 40); }
  });
})();
