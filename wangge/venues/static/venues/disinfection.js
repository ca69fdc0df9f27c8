/* The disinfection log of a phone (Wangge's own script, no third-party code inline).

   A log keeps the client id the form was given (renewed after each one) and goes into the page's
   outbox (js/outbox.js), photo included; the outbox sends it to the API as multipart when the phone
   is online, and again after a lost answer, which the server stores once. Without IndexedDB the
   form is posted as it is. */
(function () {
  "use strict";

  var form = document.getElementById("disinfection-form");
  if (!form || !window.indexedDB || !window.fetch) { return; }
  var texts = JSON.parse(document.getElementById("disinfection-texts").textContent);
  var result = document.getElementById("result");
  var FIELDS = ["client_id", "building", "venue", "place", "location", "agent", "done_at", "done_by_name"];

  function say(kind, text) {
    var box = document.createElement("p");
    box.className = "notification is-light " + kind;
    box.setAttribute("data-testid", "disinfection-message");
    box.textContent = text;
    result.replaceChildren(box);
  }

  function body(item) {
    var data = new FormData();
    FIELDS.forEach(function (name) { if (item[name]) { data.append(name, item[name]); } });
    if (item.photo) { data.append("photo", item.photo, item.photo.name); }
    return data;
  }

  var outbox = window.Wangge.outbox({
    name: "disinfection",
    url: form.dataset.api,
    csrf: form.dataset.csrf,
    body: body,
    onCount: function (n) {
      document.getElementById("queue-status").classList.toggle("is-hidden", n === 0);
      document.getElementById("queue-text").textContent = texts.queued.replace("%s", n);
    },
    onSent: function (item) { say("is-success", texts.saved + (item.agent || "")); },
    onRefused: function (item, data) { say("is-danger", texts.refused + window.Wangge.errorText(data)); },
    onSignIn: function () { say("is-danger", texts.signIn); }
  });

  function now() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }

  function collect() {
    var item = { at: new Date().toISOString() };
    FIELDS.forEach(function (name) { item[name] = form.elements[name].value.trim(); });
    var photos = form.elements.photo.files;
    item.photo = photos.length ? photos[0] : null;
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var item = collect();
    if (!item.agent) { say("is-warning", texts.noAgent); return; }
    if (!item.building === !item.venue) { say("is-warning", texts.oneWhere); return; }
    outbox.keep(item).then(function () {
      var where = { building: form.elements.building.value, venue: form.elements.venue.value };
      form.reset();
      form.elements.building.value = where.building;
      form.elements.venue.value = where.venue;
      form.elements.done_at.value = now();
      form.elements.client_id.value = window.Wangge.uuid();
      say("is-info", texts.stored);
      window.scrollTo(0, 0);
      return outbox.flush();
    }).catch(function () { form.submit(); });
  });
  document.getElementById("queue-flush").addEventListener("click", outbox.flush);
}());
