/* The commander's home charts (ECharts, served by Wangge): today's scans per hour, and the trends
   of the last days — red/orange/yellow households, measures with missed check-ins and fevers,
   scans with new events. The data is the page's #situation-data JSON. */
(function () {
  "use strict";
  function base(labels) {
    return {
      grid: { left: 4, right: 8, top: 26, bottom: 4, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: labels, axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 10 } }
    };
  }
  function bar(name, data, color) {
    return { name: name, type: "bar", data: data, itemStyle: { color: color } };
  }
  function line(name, data, color, axis) {
    return { name: name, type: "line", data: data, yAxisIndex: axis || 0, symbolSize: 4, itemStyle: { color: color } };
  }
  function options(kind, d) {
    var n = d.names, o;
    if (kind === "hourly") {
      o = base(d.hours);
      o.series = [bar(n["in"], d.hourly["in"], "#3e8ed0"), bar(n.out, d.hourly.out, "#7950f2"),
        line(n.denied, d.hourly.denied, "#e02424")];
    } else if (kind === "colours") {
      o = base(d.days);
      o.series = d.colours.map(function (s) { return line(s.name, s.data, s.colour); });
    } else if (kind === "measures") {
      o = base(d.days);
      o.yAxis = [o.yAxis, { type: "value", minInterval: 1, axisLabel: { fontSize: 10 } }];
      o.series = [line(n.measures, d.measures, "#3e8ed0"), bar(n.missed, d.missed, "#f08c00"),
        bar(n.fevers, d.fevers, "#e02424")];
      o.series[1].yAxisIndex = 1;
      o.series[2].yAxisIndex = 1;
    } else {
      o = base(d.days);
      o.yAxis = [o.yAxis, { type: "value", minInterval: 1, axisLabel: { fontSize: 10 } }];
      o.series = [bar(n.scans, d.scans, "#3e8ed0"), line(n.events, d.events, "#7950f2", 1)];
    }
    return o;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("situation-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = window.echarts.init(box);
      chart.setOption(options(box.dataset.chart, data));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
