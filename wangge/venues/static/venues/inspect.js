/* The inspection page of a phone (Wangge's own script, no third-party code inline).

   An inspection gets its client id here (the form's, renewed after each one) and goes into a queue
   in IndexedDB first — photos included, as the browser keeps files there. The queue is sent oldest
   first, one request at a time, to the API as multipart; an item leaves it only when the server has
   answered (a refusal is shown, then dropped). Offline or on a server error it waits and is sent
   again when the phone is back online or the page is opened again; the server stores a client id
   sent twice once, so a retry after a lost answer changes nothing. */
(function () {
  "use strict";

  var form = document.getElementById("inspect-form");
  if (!form || !window.indexedDB || !window.fetch) { return; }
  var texts = JSON.parse(document.getElementById("inspect-texts").textContent);
  var result = document.getElementById("result");
  var STORE = "inspections";
  var flushing = null;

  function database() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open("wangge-inspections", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function queued() { return run("readonly", function (store) { return store.getAll(); }); }
  function keep(item) { return run("readwrite", function (store) { return store.put(item); }); }
  function drop(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  function say(kind, text) {
    var box = document.createElement("p");
    box.className = "notification is-light " + kind;
    box.setAttribute("data-testid", "inspect-message");
    box.textContent = text;
    result.replaceChildren(box);
  }

  function showQueue() {
    return queued().then(function (items) {
      document.getElementById("queue-status").classList.toggle("is-hidden", items.length === 0);
      document.getElementById("queue-text").textContent = texts.queued.replace("%s", items.length);
    });
  }

  function body(item) {
    var data = new FormData();
    ["client_id", "venue", "note", "at", "second_inspector"].forEach(function (name) {
      if (item[name]) { data.append(name, item[name]); }
    });
    data.append("items", JSON.stringify(item.items));
    item.photos.forEach(function (photo) { data.append("photos", photo, photo.name); });
    return data;
  }

  function flush() {
    if (flushing) { return flushing; }
    flushing = (async function () {
      var items = (await queued()).sort(function (a, b) { return a.at < b.at ? -1 : 1; });
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var response;
        try {
          response = await window.fetch(form.dataset.api, {
            method: "POST", credentials: "same-origin", body: body(item),
            headers: { "Accept": "application/json", "X-CSRFToken": form.dataset.csrf }
          });
        } catch (e) { break; }
        if (response.status >= 500) { break; }
        if (response.status === 401 || response.status === 403) { say("is-danger", texts.signIn); break; }
        var data = await response.json().catch(function () { return {}; });
        await drop(item.client_id);
        if (response.ok) { say("is-success", texts.saved); } else { say("is-danger", texts.refused + window.Wangge.errorText(data)); }
      }
    })();
    flushing.finally(function () { flushing = null; showQueue(); });
    return flushing;
  }

  function collect() {
    var items = [];
    var complete = true;
    form.querySelectorAll("fieldset[data-item]").forEach(function (set) {
      var chosen = set.querySelector("input[type=radio]:checked");
      if (!chosen) { complete = false; return; }
      items.push({ item: Number(set.dataset.item), passed: chosen.value === "pass", note: set.querySelector("input[type=text], input:not([type])").value });
    });
    if (!complete) { return null; }
    return {
      client_id: document.getElementById("client-id").value,
      venue: form.dataset.venue,
      at: new Date().toISOString(),
      note: form.elements.note.value,
      second_inspector: form.elements.second_inspector.value,
      items: items,
      photos: Array.prototype.slice.call(form.elements.photos.files)
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var item = collect();
    if (!item) { say("is-warning", texts.missing); return; }
    keep(item).then(function () {
      form.reset();
      document.getElementById("client-id").value = window.Wangge.uuid();
      say("is-info", texts.stored);
      window.scrollTo(0, 0);
      return flush();
    }).catch(function () { form.submit(); });
  });
  document.getElementById("queue-flush").addEventListener("click", flush);
  window.addEventListener("online", flush);
  showQueue().then(flush);
}());
