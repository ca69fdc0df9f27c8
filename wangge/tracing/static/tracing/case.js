/* A case's trace page (ECharts, served by Wangge): the contact graph, fetched as JSON from the
   URL in #contact-graph's data-url and drawn as a force-directed graph, where clicking an
   aggregate node (one per hop and place, when the graph is large) fetches the graph again with
   that aggregate expanded and [data-graph-reset] folds it back; and the case person's timeline,
   places by time of day (x) and day (y), from the JSON of #timeline-data. */
(function () {
  "use strict";

  var SIZES = { case: 36, person: 14 };

  function nodeSize(node) {
    if (node.id === "case") { return SIZES["case"]; }
    if (node.key) { return Math.min(60, 16 + 6 * Math.log2(1 + node.value)); }
    return SIZES.person;
  }

  function drawGraph(box, chart, expand) {
    var url = box.dataset.url + (expand ? "?expand=" + encodeURIComponent(expand) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.nodes.forEach(function (node) {
          node.symbolSize = nodeSize(node);
          node.draggable = true;
          if (node.id === "case") { node.label = { show: true }; }
        });
        chart.setOption({
          tooltip: {
            formatter: function (params) {
              return params.dataType === "edge" ? params.data.label : params.data.name;
            }
          },
          legend: [{ data: data.categories.map(function (c) { return c.name; }) }],
          series: [{
            type: "graph",
            layout: "force",
            roam: true,
            categories: data.categories,
            data: data.nodes,
            links: data.links,
            label: { show: data.nodes.length <= 60, position: "right" },
            force: { repulsion: 120, edgeLength: [40, 120] },
            lineStyle: { opacity: 0.6 }
          }]
        }, true);
      });
  }

  function initGraph() {
    var box = document.getElementById("contact-graph");
    if (!box || !window.echarts) { return; }
    var chart = window.echarts.init(box);
    drawGraph(box, chart, "");
    chart.on("click", function (params) {
      if (params.dataType === "node" && params.data.key) { drawGraph(box, chart, params.data.key); }
    });
    document.querySelectorAll("[data-graph-reset]").forEach(function (button) {
      button.addEventListener("click", function () { drawGraph(box, chart, ""); });
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function initTimeline() {
    var box = document.getElementById("timeline-chart");
    if (!box || !window.echarts) { return; }
    var data = JSON.parse(document.getElementById(box.dataset.source).textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      grid: { left: 8, right: 16, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        formatter: function (params) {
          return params.data.time + " " + params.data.kind + " " + params.data.place;
        }
      },
      xAxis: { type: "value", name: data.names.hour, min: 0, max: 24, interval: 2 },
      yAxis: { type: "category", name: data.names.day, data: data.days },
      series: [{
        type: "scatter",
        symbolSize: 10,
        data: data.points,
        label: { show: data.points.length <= 40, position: "right", formatter: function (p) { return p.data.place; } }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initGraph();
    initTimeline();
  });
})();
