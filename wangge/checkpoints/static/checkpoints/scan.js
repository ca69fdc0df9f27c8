/* The checkpoint scan page (Wangge's own script, no third-party code inline).

   - Camera: the browser's BarcodeDetector where it reads QR codes, else the barcode-detector
     polyfill (ZXing WebAssembly) served by Wangge, with its .wasm loaded from our static files
     instead of the CDN it would use by default.
   - Typed fallback: an ID number, or the last 4 digits of a phone.
   - Every scan gets a client id made here and goes into a queue in localStorage first; the queue
     is sent in scan-time order, one request at a time, and an item leaves it only when the server
     has answered. Offline, scans wait and are sent when the phone is back online; the server
     stores a scan sent twice once and answers a replay with the decision it stored.
   - A checkpoint's own code (WGC:…) clocks the staff member on or off instead.
   - A resident's code let through opens the gate's doors (门禁): the answer says 门已开, or warns
     to open by hand when a controller did not answer. */
(function () {
  "use strict";

  var app = document.getElementById("scan-app");
  if (!app) { return; }
  var QUEUE_KEY = "wangge.scanQueue";
  var texts = JSON.parse(document.getElementById("scan-texts").textContent);
  var checkpoint = Number(app.dataset.checkpoint);
  var form = document.getElementById("scan-form");
  var typed = document.getElementById("typed");
  var temperature = document.getElementById("temperature");
  var decision = document.getElementById("decision");
  var resolveBox = document.getElementById("resolve");
  var chooseBox = document.getElementById("choose-box");
  var visitorBox = document.getElementById("visitor-box");
  var visitorForm = document.getElementById("visitor-form");
  var cameraBox = document.getElementById("camera-box");
  var cameraMessage = document.getElementById("camera-message");
  var video = document.getElementById("camera-video");
  var flushing = null;
  var stream = null;
  var current = "";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }

  function store(queue) {
    window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    showQueue();
  }

  function showQueue() {
    var count = load().length;
    var box = document.getElementById("queue-status");
    box.classList.toggle("is-hidden", count === 0);
    document.getElementById("queue-text").textContent = texts.queued.replace("%s", count);
  }

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": app.dataset.csrf },
      body: JSON.stringify(body)
    });
  }

  function earliestFirst(queue) {
    return queue.slice().sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : a.scanned_at > b.scanned_at ? 1 : 0; });
  }

  /* Send the queue oldest scan first; resolves to {client_id: {status, data}} for those answered. */
  function flush() {
    if (flushing) { return flushing; }
    flushing = (async function () {
      var answered = {};
      for (;;) {
        var queue = earliestFirst(load());
        if (!queue.length) { break; }
        var item = queue[0];
        var response;
        try { response = await post(app.dataset.scanUrl, item); } catch (e) { break; }
        var data = await response.json().catch(function () { return {}; });
        var keep = response.status >= 500 || response.status === 401 || response.status === 403;
        if (keep) {
          if (response.status < 500) { showError(texts.signIn); }
          break;
        }
        answered[item.client_id] = { status: response.status, data: data };
        store(load().filter(function (other) { return other.client_id !== item.client_id; }));
        if (response.status >= 400 && item.client_id !== current) {
          showError(texts.queuedFailed + (window.Wangge.errorText(data) || texts.failed));
        }
      }
      return answered;
    })();
    flushing.finally(function () { flushing = null; refreshRecent(); });
    return flushing;
  }

  function refreshRecent() {
    window.fetch(app.dataset.recentUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { document.getElementById("recent").innerHTML = html; } })
      .catch(function () { return null; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function showError(text) {
    decision.replaceChildren(element("div", "notification is-danger is-light", text));
    decision.lastChild.setAttribute("data-testid", "scan-error");
  }

  function showOffline() {
    decision.replaceChildren(element("div", "decision verdict-offline", ""));
    var box = decision.firstChild;
    box.setAttribute("data-testid", "verdict");
    box.appendChild(element("div", "decision-verdict", texts.offline));
    box.appendChild(element("p", "", texts.offlineHint));
  }

  function showDecision(data) {
    var box = element("div", "decision verdict-" + data.verdict);
    box.setAttribute("data-testid", "verdict");
    box.setAttribute("data-verdict", data.verdict);
    box.appendChild(element("div", "decision-verdict", data.verdict_label));
    var who = element("div", "decision-who", data.subject || texts.unknown);
    if (data.code_colour) {
      who.appendChild(document.createTextNode(" "));
      who.appendChild(element("span", "tag code-" + data.code_colour, texts.colours[data.code_colour] || data.code_colour));
    }
    if (data.temperature) { who.appendChild(document.createTextNode(" " + data.temperature + "°C")); }
    box.appendChild(who);
    var list = element("ul", "decision-reasons");
    (data.reasons || []).forEach(function (reason) { list.appendChild(element("li", "", reason.label)); });
    box.appendChild(list);
    var doors = data.doors || [];
    doors.forEach(function (door) {
      var line = element("p", "decision-door door-" + door.outcome, door.message + (doors.length > 1 ? "（" + door.door + "）" : ""));
      line.setAttribute("data-testid", "door");
      line.setAttribute("data-outcome", door.outcome);
      box.appendChild(line);
    });
    if (data.next_exit_on) { box.appendChild(element("p", "decision-next", texts.nextExit.replace("%s", data.next_exit_on))); }
    if (!data.created) { box.appendChild(element("p", "is-size-7", texts.replayed)); }
    decision.replaceChildren(box);
    showResolve(data);
  }

  function showResolve(data) {
    resolveBox.classList.toggle("is-hidden", !data.needs);
    chooseBox.classList.toggle("is-hidden", data.needs !== "choice");
    visitorBox.classList.toggle("is-hidden", !data.needs);
    if (!data.needs) { return; }
    resolveBox.querySelectorAll("input[name=client_id]").forEach(function (input) { input.value = data.client_id; });
    var buttons = document.getElementById("choose-form");
    buttons.querySelectorAll("button").forEach(function (b) { b.remove(); });
    (data.candidates || []).forEach(function (candidate) {
      var button = element("button", "button is-medium", candidate.label);
      button.type = "button";
      button.addEventListener("click", function () { resolve({ client_id: data.client_id, candidate: candidate.token }); });
      buttons.appendChild(button);
    });
    if (data.needs === "visitor" && typed.dataset.last && !/^\d{4}$/.test(typed.dataset.last)) {
      document.getElementById("v-id").value = typed.dataset.last;
    }
  }

  function resolve(body) {
    post(app.dataset.resolveUrl, body).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (answer.ok) { showDecision(answer.data); visitorForm.reset(); refreshRecent(); } else { showError((window.Wangge.errorText(answer.data) || texts.failed)); }
    }).catch(function () { showError(texts.resolveOffline); });
  }

  function direction() {
    var checked = form.querySelector("input[name=direction]:checked");
    return checked ? checked.value : "in";
  }

  function submit(fields) {
    var item = Object.assign({
      client_id: window.Wangge.uuid(),
      checkpoint: checkpoint,
      direction: direction(),
      temperature: temperature.value.trim(),
      scanned_at: new Date().toISOString()
    }, fields);
    store(load().concat([item]));
    decision.replaceChildren(element("div", "decision verdict-waiting", texts.sending));
    current = item.client_id;
    typed.value = "";
    temperature.value = "";
    flush().then(function (answered) {
      var answer = answered[item.client_id];
      if (!answer) { showOffline(); return; }
      if (answer.status < 300) { showDecision(answer.data); return; }
      showError((window.Wangge.errorText(answer.data) || texts.failed));
      typed.value = item.id_number || item.phone_tail || "";
      temperature.value = item.temperature;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = typed.value.trim();
    if (!value) { showError(texts.nothing); return; }
    typed.dataset.last = value;
    submit(/^\d{4}$/.test(value) ? { phone_tail: value } : { id_number: value });
  });

  visitorForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var values = Object.fromEntries(new FormData(visitorForm).entries());
    resolve({
      client_id: values.client_id,
      visitor: {
        name: values.name, id_number: values.id_number, phone: values.phone,
        purpose: values.purpose, host_address: values.host_address, code_colour: values.code_colour
      }
    });
  });

  function clock(code) {
    var notice = document.getElementById("clock-notice");
    post(app.dataset.clockUrl, { code: code }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      notice.classList.remove("is-hidden");
      notice.textContent = answer.ok ? (answer.data.action === "on" ? texts.clockedOn : texts.clockedOff) : (window.Wangge.errorText(answer.data) || texts.failed);
    }).catch(function () { showError(texts.resolveOffline); });
  }

  function loadScript(url) {
    return new Promise(function (resolveLoad, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolveLoad;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function detector() {
    if ("BarcodeDetector" in window) {
      try {
        var formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) { return new window.BarcodeDetector({ formats: ["qr_code"] }); }
      } catch (e) { /* fall through to the polyfill */ }
    }
    await loadScript(app.dataset.polyfillUrl);
    var api = window.BarcodeDetectionAPI;
    api.prepareZXingModule({
      overrides: {
        locateFile: function (path, prefix) { return path.endsWith(".wasm") ? app.dataset.wasmUrl : prefix + path; }
      }
    });
    return new api.BarcodeDetector({ formats: ["qr_code"] });
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    cameraBox.classList.add("is-hidden");
  }

  async function startCamera() {
    cameraMessage.classList.add("is-hidden");
    if (!window.isSecureContext || !navigator.mediaDevices) {
      cameraMessage.textContent = texts.needsHttps;
      cameraMessage.classList.remove("is-hidden");
      return;
    }
    try {
      var reader = await detector();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      cameraBox.classList.remove("is-hidden");
      await video.play();
      var look = async function () {
        if (!stream) { return; }
        if (video.readyState >= 2) {
          var codes = await reader.detect(video).catch(function () { return []; });
          if (codes.length) {
            var text = codes[0].rawValue;
            stopCamera();
            if (text.indexOf("WGC:") === 0) { clock(text); } else { submit({ code: text }); }
            return;
          }
        }
        window.setTimeout(look, 250);
      };
      look();
    } catch (e) {
      stopCamera();
      cameraMessage.textContent = texts.cameraFailed;
      cameraMessage.classList.remove("is-hidden");
    }
  }

  document.getElementById("camera-start").addEventListener("click", startCamera);
  document.getElementById("camera-stop").addEventListener("click", stopCamera);
  document.getElementById("queue-flush").addEventListener("click", function () { flush(); });
  window.addEventListener("online", function () { flush(); });
  window.setInterval(function () { if (load().length) { flush(); } }, 20000);
  showQueue();
  if (load().length) { flush(); }
})();
