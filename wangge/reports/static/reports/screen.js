/* The big screen (docs/reports.md, "The big screen"). Fetches the street's data at once and then
   every minute, and updates what changed in place — text nodes, classes, ECharts' setOption merged
   into the charts drawn — so that nothing flickers and the page never reloads. The last good answer
   is kept in localStorage: a page opened while the network is down shows it, and while fetches
   fail the figures stay, under a banner that counts the minutes since they came. The stage is
   1920 × 1080, scaled to fit the window. Texts come translated in the stage's data-text-* attributes. */
(function () {
  "use strict";

  var root = document.getElementById("screen");
  if (!root) { return; }
  var WIDTH = 1920;
  var HEIGHT = 1080;
  var ZONE = "Asia/Shanghai";
  var ALARM_COLUMNS = { events_late: "is-alarm", device_alerts: "is-alarm", events_open: "is-warn", tasks_late: "is-warn" };
  var PALETTE = ["#3cc8ff", "#8f7bff", "#4ee29a", "#ffd84d"];
  var texts = root.dataset;
  var storeKey = "wangge.screen." + texts.street;
  var language = document.documentElement.lang || "zh-hans";
  var locale = language.indexOf("zh") === 0 ? "zh-CN" : language;
  var dateFormat = new Intl.DateTimeFormat(locale, { timeZone: ZONE, year: "numeric", month: "long", day: "numeric", weekday: "long" });
  var timeFormat = new Intl.DateTimeFormat(locale, { timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  var shown = null; // {at: when it arrived (ms), data: the answer} — what the screen shows
  var failure = ""; // "", "network" or "signed-out": why the last fetch failed

  function byId(id) { return document.getElementById(id); }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_whole, name) { return values[name]; });
  }

  function setText(node, value) {
    if (node.textContent !== value) { node.textContent = value; }
  }

  function setClass(node, name) {
    if (node.className !== name) { node.className = name; }
  }

  function make(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function number(value) { return value === null || value === undefined ? "—" : String(value); }

  function signed(value) { return value > 0 ? "+" + value : String(value); }

  /* a figure's day (or 实时) in a tag; a panel's reads "12-06 日报" */
  function setAsOf(node, asOf, live, panel) {
    var label = asOf && panel && !live ? fill(texts.textSnapshotDay, { day: asOf }) : asOf;
    setText(node, label || texts.textNoSnapshot);
    node.classList.toggle("is-live", Boolean(live));
  }

  /* the stage scaled to the window, centred */
  function fit() {
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    var left = (window.innerWidth - WIDTH * scale) / 2;
    var top = (window.innerHeight - HEIGHT * scale) / 2;
    root.style.transform = "translate(" + left + "px, " + top + "px) scale(" + scale + ")";
  }

  /* the key figures: one card each, rebuilt only when the set of figures changes */
  function figureCard(figure) {
    var card = make("div", "screen-figure");
    card.dataset.key = figure.key;
    card.dataset.testid = "figure-" + figure.key;
    card.appendChild(make("div", "screen-figure-label"));
    var value = make("div", "screen-figure-value");
    figure.values.forEach(function (_value, index) {
      if (index) { value.appendChild(make("span", "screen-slash", "/")); }
      value.appendChild(make("span", "screen-part-" + index));
    });
    card.appendChild(value);
    var foot = make("div", "screen-figure-foot");
    foot.appendChild(make("span", "screen-change"));
    foot.appendChild(make("span", "screen-as-of"));
    card.appendChild(foot);
    return card;
  }

  function drawFigures(figures) {
    var box = byId("figures");
    var shape = figures.map(function (f) { return f.key + ":" + f.values.length; }).join(",");
    if (box.dataset.shape !== shape) {
      box.textContent = "";
      figures.forEach(function (figure) { box.appendChild(figureCard(figure)); });
      box.dataset.shape = shape;
    }
    figures.forEach(function (figure, index) {
      var card = box.children[index];
      setText(card.querySelector(".screen-figure-label"), figure.label);
      figure.values.forEach(function (value, part) {
        setText(card.querySelector(".screen-part-" + part), number(value));
      });
      var changes = figure.changes.filter(function (c) { return c !== null; });
      setText(card.querySelector(".screen-change"),
        changes.length ? fill(texts.textChange, { change: changes.map(signed).join(" / ") }) : "");
      setAsOf(card.querySelector(".screen-as-of"), figure.as_of, figure.live);
      card.classList.toggle("is-alarm", figure.alarm);
    });
  }

  /* the map by grid: a row per community, a tile per grid */
  function drawLegend(entries) {
    var box = byId("map-legend");
    var shape = entries.map(function (e) { return e.text; }).join("|");
    if (box.dataset.shape === shape) { return; }
    box.textContent = "";
    entries.forEach(function (entry) {
      var item = make("span");
      item.appendChild(make("i", "screen-swatch level-" + entry.level));
      item.appendChild(document.createTextNode(entry.text));
      box.appendChild(item);
    });
    var red = make("span");
    red.appendChild(make("i", "screen-swatch is-red"));
    red.appendChild(document.createTextNode(texts.textRed));
    box.appendChild(red);
    box.dataset.shape = shape;
  }

  function drawMap(map) {
    setText(byId("map-title"), map.label);
    setAsOf(byId("map-as-of"), map.as_of, false, true);
    drawLegend(map.legend);
    var box = byId("map");
    var shape = map.communities.map(function (c) {
      return c.id + ":" + c.grids.map(function (g) { return g.id; }).join(".");
    }).join(",");
    var rebuilt = box.dataset.shape !== shape;
    if (rebuilt) {
      box.textContent = "";
      map.communities.forEach(function (community) {
        var row = make("div", "screen-community");
        row.appendChild(make("div", "screen-community-name"));
        var tiles = make("div", "screen-grid-tiles");
        community.grids.forEach(function () {
          var tile = make("div", "screen-tile");
          tile.appendChild(make("span", "screen-tile-name"));
          tile.appendChild(make("span", "screen-tile-value"));
          tiles.appendChild(tile);
        });
        row.appendChild(tiles);
        box.appendChild(row);
      });
      box.dataset.shape = shape;
    }
    fillMap(box, map);
    if (rebuilt) {
      /* more grids than fit: the tiles shrink to their value, in the order of their names; a
         community that still does not fit is left out whole rather than cut in half */
      box.classList.remove("is-dense");
      box.classList.toggle("is-dense", box.scrollHeight > box.clientHeight);
      Array.prototype.forEach.call(box.children, function (row) {
        row.hidden = row.offsetTop + row.offsetHeight > box.clientHeight;
      });
    }
  }

  function fillMap(box, map) {
    map.communities.forEach(function (community, index) {
      var row = box.children[index];
      setText(row.querySelector(".screen-community-name"), community.name);
      var tiles = row.querySelector(".screen-grid-tiles").children;
      community.grids.forEach(function (grid, at) {
        var tile = tiles[at];
        var level = "screen-tile level-" + (grid.level === null ? "none" : grid.level) + (grid.red ? " is-red" : "");
        setClass(tile, level);
        tile.title = grid.name;
        setText(tile.firstChild, grid.short);
        setText(tile.lastChild, number(grid.value));
      });
    });
  }

  /* the trends: one ECharts chart per group of figures, merged into on each update */
  function chartOption(chart, days) {
    var muted = "#8fa6c8";
    return {
      animation: false,
      color: PALETTE,
      textStyle: { fontSize: 24, fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
      legend: { left: 0, top: 0, itemWidth: 22, itemHeight: 12, itemGap: 12, textStyle: { fontSize: 24, color: "#e8f0ff" } },
      grid: { left: 4, right: 12, top: 48, bottom: 4, containLabel: true },
      xAxis: {
        type: "category", data: days,
        axisLabel: { fontSize: 24, color: muted },
        axisLine: { lineStyle: { color: "#1e3a66" } }, axisTick: { show: false }
      },
      yAxis: {
        type: "value", minInterval: 1,
        axisLabel: { fontSize: 24, color: muted },
        splitLine: { lineStyle: { color: "#14305a" } }
      },
      series: chart.series.map(function (s) {
        var colour = s.colour ? { color: s.colour } : undefined;
        return {
          name: s.name, type: s.type, data: s.data, connectNulls: false,
          symbolSize: 8, lineStyle: colour ? { width: 4, color: s.colour } : { width: 4 },
          itemStyle: colour, barMaxWidth: 16
        };
      })
    };
  }

  function drawTrends(trends) {
    setAsOf(byId("trends-as-of"), trends.as_of, false, true);
    if (!window.echarts) { return; }
    var box = byId("charts");
    trends.charts.forEach(function (chart) {
      var node = byId("chart-" + chart.key);
      if (!node) {
        node = make("div", "screen-chart");
        node.id = "chart-" + chart.key;
        box.appendChild(node);
      }
      var drawn = window.echarts.getInstanceByDom(node) || window.echarts.init(node);
      drawn.setOption(chartOption(chart, trends.days), { notMerge: false });
    });
  }

  /* the live counts: the street's totals, then each community, most urgent first */
  function tone(key, value) { return value ? ALARM_COLUMNS[key] || "" : "is-zero"; }

  function drawAreas(areas) {
    setAsOf(byId("areas-as-of"), areas.as_of, true, true);
    var head = byId("areas-head");
    var totals = byId("areas-total");
    var body = byId("areas-body");
    var columns = areas.columns;
    var shape = columns.map(function (c) { return c.key; }).join(",");
    if (head.dataset.shape !== shape) {
      while (head.children.length > 1) { head.removeChild(head.lastChild); }
      totals.textContent = "";
      columns.forEach(function () {
        head.appendChild(make("th"));
        var total = make("div", "screen-total");
        total.appendChild(make("span", "screen-total-label"));
        total.appendChild(make("span", "screen-total-value"));
        totals.appendChild(total);
      });
      head.dataset.shape = shape;
      body.dataset.shape = "";
    }
    columns.forEach(function (column, index) {
      setText(head.children[index + 1], column.label);
      var total = totals.children[index];
      setText(total.firstChild, column.label);
      setText(total.lastChild, number(areas.total[column.key]));
      setClass(total, "screen-total " + tone(column.key, areas.total[column.key]));
    });
    var rows = areas.rows.map(function (r) { return r.id; }).join(",");
    if (body.dataset.shape !== rows) {
      body.textContent = "";
      areas.rows.forEach(function () {
        var row = make("tr");
        row.appendChild(make("th"));
        columns.forEach(function () { row.appendChild(make("td")); });
        body.appendChild(row);
      });
      body.dataset.shape = rows;
    }
    areas.rows.forEach(function (area, index) {
      var row = body.children[index];
      setText(row.firstChild, area.name);
      columns.forEach(function (column, at) {
        var value = area.values[column.key];
        setText(row.children[at + 1], number(value));
        setClass(row.children[at + 1], tone(column.key, value));
      });
    });
  }

  function draw(data) {
    drawFigures(data.figures);
    drawMap(data.map);
    drawTrends(data.trends);
    drawAreas(data.areas);
  }

  /* the clock and the status line, every second */
  function drawStatus() {
    var updated = byId("updated");
    var stale = byId("stale");
    if (!failure) {
      stale.hidden = true;
      updated.hidden = false;
      setText(updated, shown ? fill(texts.textUpdated, { time: timeFormat.format(new Date(shown.at)) }) : "");
      return;
    }
    var minutes = shown ? Math.max(0, Math.floor((Date.now() - shown.at) / 60000)) : 0;
    var template = failure === "signed-out" ? texts.textSignedOut : texts.textStale;
    setText(stale, shown ? fill(template, { n: minutes }) : texts.textEmpty);
    stale.hidden = false;
    updated.hidden = true;
  }

  function tick() {
    var now = new Date();
    setText(byId("clock-date"), dateFormat.format(now));
    setText(byId("clock-time"), timeFormat.format(now));
    drawStatus();
  }

  /* the last good answer, kept across page loads */
  function remembered() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(storeKey));
      return kept && kept.at && kept.data ? kept : null;
    } catch (error) {
      return null;
    }
  }

  function remember(entry) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(entry));
    } catch (error) {
      /* a full or disabled storage only loses the copy for the next load */
    }
  }

  function refresh() {
    var stop = new AbortController();
    var timer = window.setTimeout(function () { stop.abort(); }, 20000);
    window.fetch(texts.url, {
      credentials: "same-origin", cache: "no-store", signal: stop.signal,
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || response.status === 403 || type.indexOf("application/json") !== 0) {
        throw new Error("signed-out");
      }
      if (!response.ok) { throw new Error("network"); }
      return response.json();
    }).then(function (data) {
      shown = { at: Date.now(), data: data };
      failure = "";
      remember(shown);
      draw(data);
    }).catch(function (error) {
      failure = error && error.message === "signed-out" ? "signed-out" : "network";
    }).then(function () {
      window.clearTimeout(timer);
      drawStatus();
      window.setTimeout(refresh, Number(texts.refresh) * 1000);
    });
  }

  function start() {
    fit();
    window.addEventListener("resize", fit);
    shown = remembered();
    if (shown) {
      try {
        draw(shown.data);
      } catch (error) {
        shown = null; /* a copy kept by an older version of this page: wait for the fetch */
      }
    }
    tick();
    window.setInterval(tick, 1000);
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
