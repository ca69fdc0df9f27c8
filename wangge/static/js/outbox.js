/* The outbox of a page that works offline (the venue inspection, the disinfection log): work goes
   into a queue in IndexedDB first — files included, as the browser keeps them there — and is sent
   oldest first, one request at a time, to the page's API. An item leaves the queue only when the
   server has answered (a refusal is reported, then dropped). Offline or on a server error it waits
   and is sent again when the phone is back online or the page is opened again; the server stores a
   client id sent twice once, so a retry after a lost answer changes nothing.

   Wangge.outbox({ name, url, csrf, body(item) → FormData, onCount(n), onSent(item, data),
   onRefused(item, data), onSignIn() }) answers { keep(item), flush() }; items are keyed by
   item.client_id and sent in the order of item.at. The queue is the store `name` of the database
   `wangge-<name>`, the names the inspection page has always used, so a phone's queue survives. */
window.Wangge = window.Wangge || {};
window.Wangge.outbox = function (options) {
  "use strict";
  var STORE = options.name;
  var flushing = null;

  function database() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open("wangge-" + options.name, 1);
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
  function drop(id) { return run("readwrite", function (store) { return store.delete(id); }); }
  function count() { return queued().then(function (items) { options.onCount(items.length); }); }

  function flush() {
    if (flushing) { return flushing; }
    flushing = (async function () {
      var items = (await queued()).sort(function (a, b) { return a.at < b.at ? -1 : 1; });
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var response;
        try {
          response = await window.fetch(options.url, {
            method: "POST", credentials: "same-origin", body: options.body(item),
            headers: { "Accept": "application/json", "X-CSRFToken": options.csrf }
          });
        } catch (e) { break; }
        if (response.status >= 500) { break; }
        if (response.status === 401 || response.status === 403) { options.onSignIn(); break; }
        var data = await response.json().catch(function () { return {}; });
        await drop(item.client_id);
        if (response.ok) { options.onSent(item, data); } else { options.onRefused(item, data); }
      }
    })();
    flushing.finally(function () { flushing = null; count(); });
    return flushing;
  }

  function keep(item) {
    return run("readwrite", function (store) { return store.put(item); }).then(count);
  }

  window.addEventListener("online", flush);
  count().then(flush);
  return { keep: keep, flush: flush };
};
