/* The sweep form of one building (扫楼), for a phone that may be offline (Wangge's own script).

   The page brings the building's households, their members and the campaign's form. An attempt
   gets its client id here (Wangge.uuid) and goes into a queue in localStorage first; the queue is
   sent as one batch to /api/sweeps/sync/, which answers per attempt (recorded, duplicate or
   rejected). An attempt leaves the queue only once the server has answered it; offline or on a
   server error the queue waits and is sent when the phone is back online (or the page is opened
   again). The server records a client id once, so a batch sent twice changes nothing. */
(function () {
  "use strict";

  var app = document.getElementById("sweep-app");
  if (!app || !window.fetch || !window.localStorage) { return; }
  var texts = JSON.parse(document.getElementById("sweep-texts").textContent);
  var QUEUE_KEY = "wangge.sweepQueue";
  var BATCH = 200;
  var flushing = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }

  function store(queue) {
    window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    showQueue();
  }

  function showQueue() {
    var count = load().length;
    document.getElementById("queue-status").classList.toggle("is-hidden", count === 0);
    document.getElementById("queue-text").textContent = texts.queued.replace("%s", count);
  }

  function say(kind, text) {
    var box = document.createElement("p");
    box.className = "notification is-light py-2 " + kind;
    box.setAttribute("data-testid", "sweep-message");
    box.textContent = text;
    document.getElementById("result").replaceChildren(box);
  }

  function door(visit) { return document.getElementById("door-" + visit); }

  function mark(visit, label, waiting) {
    var box = door(visit);
    if (!box) { return; }
    var tag = box.querySelector(".sweep-status");
    tag.textContent = label;
    tag.classList.toggle("is-warning", waiting);
    var form = box.querySelector("form");
    if (form) { form.classList.toggle("is-hidden", waiting); }
  }

  function value(field, kind) {
    if (!field) { return null; }
    if (kind === "yesno") { return field.value === "yes"; }
    return field.value.trim() || null;
  }

  function read(form, name, kind) {
    var fields = form.querySelectorAll("[name='" + name + "']");
    if (kind === "yesno") {
      var chosen = Array.prototype.find.call(fields, function (f) { return f.checked; });
      return chosen ? value(chosen, kind) : null;
    }
    return fields.length ? value(fields[0], kind) : null;
  }

  function asked(answers, onlyIf, member, key) {
    var present = answers["residents.present"] || {};
    if (member && key !== "residents.present" && present[member] === false) { return false; }
    if (!onlyIf) { return true; }
    var given = answers[onlyIf];
    if (given && typeof given === "object") { return member ? given[member] === true : Object.values(given).indexOf(true) >= 0; }
    return given === true;
  }

  function answersOf(form) {
    var answers = {};
    form.querySelectorAll(".sweep-question").forEach(function (question) {
      var key = question.dataset.key;
      var kind = question.dataset.kind;
      var onlyIf = question.dataset.onlyIf;
      if (question.hasAttribute("data-per-member")) {
        var values = {};
        question.querySelectorAll("[data-member]").forEach(function (row) {
          var member = row.dataset.member;
          if (!asked(answers, onlyIf, member, key)) { return; }
          var given = read(form, key + "|" + member, kind);
          if (given !== null) { values[member] = given; }
        });
        if (Object.keys(values).length) { answers[key] = values; }
      } else if (asked(answers, onlyIf, "", key)) {
        var given = read(form, key + "|", kind);
        if (given !== null) { answers[key] = given; }
      }
    });
    return answers;
  }

  /* A question that depends on a yes/no one shows only where that one is yes; a member who no
     longer lives here is asked nothing more. */
  function refresh(form) {
    var answers = answersOf(form);
    form.querySelectorAll(".sweep-question[data-per-member], .sweep-question[data-only-if]").forEach(function (question) {
      var onlyIf = question.dataset.onlyIf;
      var key = question.dataset.key;
      var rows = question.querySelectorAll(".sweep-row");
      var shown = 0;
      rows.forEach(function (row) {
        var show = asked(answers, onlyIf, row.dataset.member || "", key);
        row.classList.toggle("is-hidden", !show);
        shown += show ? 1 : 0;
      });
      question.classList.toggle("is-hidden", shown === 0);
    });
  }

  function flush() {
    if (flushing) { return flushing; }
    flushing = (async function () {
      var batch = load().slice(0, BATCH);
      if (!batch.length) { return; }
      var response;
      try {
        response = await window.fetch(app.dataset.sync, {
          method: "POST", credentials: "same-origin", body: JSON.stringify({ attempts: batch }),
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": app.dataset.csrf }
        });
      } catch (e) { return; }
      if (response.status >= 500) { return; }
      if (response.status === 401 || response.status === 403) { say("is-danger", texts.signIn); return; }
      var data = await response.json().catch(function () { return {}; });
      var answered = {};
      if (response.ok) {
        (data.results || []).forEach(function (result) { answered[result.client_id] = result; });
      } else {
        batch.forEach(function (item) { answered[item.client_id] = { status: "rejected", message: window.Wangge.errorText(data) }; });
      }
      var refusals = [];
      batch.forEach(function (item) {
        var result = answered[item.client_id];
        if (!result) { return; }
        if (result.status === "rejected") {
          refusals.push(result.message);
          mark(item.visit, texts.refused, false);
        } else {
          mark(item.visit, texts.statuses[item.result] + " · " + texts.recorded, false);
          var form = door(item.visit) && door(item.visit).querySelector("form");
          if (form && item.result !== "nobody_home") { form.remove(); }
        }
      });
      store(load().filter(function (item) { return !answered[item.client_id]; }));
      if (refusals.length) { say("is-danger", texts.refused + refusals.join("；")); }
      else { say("is-success", texts.recorded); }
    })();
    flushing.finally(function () { flushing = null; showQueue(); });
    return flushing;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".sweep-form");
    if (!form) { return; }
    event.preventDefault();
    var chosen = form.querySelector("input[name=result]:checked");
    if (!chosen) { say("is-warning", texts.chooseResult); return; }
    var result = chosen.value;
    var item = {
      visit: Number(form.dataset.visit),
      client_id: window.Wangge.uuid(),
      at: new Date().toISOString(),
      result: result,
      note: form.elements.note.value.trim()
    };
    if (result === "answered" || result === "proxy") { item.answers = answersOf(form); }
    if (result === "proxy") {
      item.proxy_name = form.elements.proxy_name.value.trim();
      item.proxy_relation = form.elements.proxy_relation.value.trim();
    }
    var queue = load();
    queue.push(item);
    store(queue);
    form.reset();
    refresh(form);
    mark(item.visit, texts.statuses[result] + " · " + texts.waiting, true);
    say("is-info", texts.stored);
    flush();
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest(".sweep-form");
    if (form) { refresh(form); }
  });
  document.querySelectorAll(".sweep-form").forEach(refresh);
  load().forEach(function (item) { mark(item.visit, texts.statuses[item.result], true); });
  document.getElementById("queue-flush").addEventListener("click", function () { flush(); });
  window.addEventListener("online", function () { flush(); });
  window.setInterval(function () { if (load().length) { flush(); } }, 20000);
  showQueue();
  flush();
})();
