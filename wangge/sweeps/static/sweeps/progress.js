/* A campaign's progress page keeps itself current: every data-every seconds it reads the progress API
   (the URL in data-sweep-progress) and writes the new counts into the rows it already shows,
   matched by data-row ("total", "community-<id>", "grid-<id>", "building-<id>") and
   data-field. A failed read leaves the page as it was and tries again at the next turn. */
(function () {
  "use strict";
  const root = document.querySelector("[data-sweep-progress]");
  if (!root) return;
  const every = (Number(root.dataset.every) || 15) * 1000;
  const FIELDS = ["answered", "proxy", "pending", "refused", "moved", "total", "done", "percent", "persons"];

  function fill(row, counts) {
    if (!row) return;
    FIELDS.forEach(function (name) {
      row.querySelectorAll("[data-field='" + name + "']").forEach(function (cell) {
        cell.textContent = counts[name];
      });
    });
    row.querySelectorAll("progress[data-field='bar']").forEach(function (bar) {
      bar.max = counts.total;
      bar.value = counts.done;
      bar.textContent = counts.percent + "%";
    });
  }

  function rows(kind, list) {
    list.forEach(function (counts) {
      fill(root.querySelector("[data-row='" + kind + "-" + counts.id + "']"), counts);
    });
  }

  function show(body) {
    const grid = root.dataset.sweepGrid;
    if (grid) {
      fill(root.querySelector("[data-row='total']"),
        body.grids.find(function (row) { return String(row.id) === grid; }) || body.total);
    } else {
      fill(root.querySelector("[data-row='total']"), body.total);
    }
    rows("community", body.communities);
    rows("grid", body.grids);
    rows("building", body.buildings);
    const stamp = root.querySelector("[data-updated]");
    if (stamp) stamp.textContent = new Date().toLocaleTimeString("zh-CN", { hour12: false });
  }

  function tick() {
    fetch(root.dataset.sweepProgress, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) show(body); })
      .catch(function () { /* offline for a moment: the next turn tries again */ });
  }

  window.setInterval(tick, every);
})();
