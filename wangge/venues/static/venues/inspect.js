/* The inspection page of a phone (Wangge's own script, no third-party code inline).

   An inspection gets its client id here (the form's, renewed after each one) and goes into the
   page's outbox (js/outbox.js), photos included; the outbox sends it to the API as multipart when
   the phone is online, and again after a lost answer, which the server stores once. */
(function () {
  "use strict";

  var form = document.getElementById("inspect-form");
  if (!form || !window.indexedDB || !window.fetch) { return; }
  var texts = JSON.parse(document.getElementById("inspect-texts").textContent);
  var result = document.getElementById("result");

  function say(kind, text) {
    var box = document.createElement("p");
    box.className = "notification is-light " + kind;
    box.setAttribute("data-testid", "inspect-message");
    box.textContent = text;
    result.replaceChildren(box);
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

  var outbox = window.Wangge.outbox({
    name: "inspections",
    url: form.dataset.api,
    csrf: form.dataset.csrf,
    body: body,
    onCount: function (n) {
      document.getElementById("queue-status").classList.toggle("is-hidden", n === 0);
      document.getElementById("queue-text").textContent = texts.queued.replace("%s", n);
    },
    onSent: function () { say("is-success", texts.saved); },
    onRefused: function (item, data) { say("is-danger", texts.refused + window.Wangge.errorText(data)); },
    onSignIn: function () { say("is-danger", texts.signIn); }
  });

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
    outbox.keep(item).then(function () {
      form.reset();
      document.getElementById("client-id").value = window.Wangge.uuid();
      say("is-info", texts.stored);
      window.scrollTo(0, 0);
      return outbox.flush();
    }).catch(function () { form.submit(); });
  });
  document.getElementById("queue-flush").addEventListener("click", outbox.flush);
}());
