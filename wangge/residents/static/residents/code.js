/* The code page: the clock ticks each second (a screenshot's stands still), the state's age counts
   up, and every 60 s the state is fetched again (no-store) and written into the page; the QR never
   changes. The account's own code goes to localStorage "wangge.personal_code" ("WGP:<token>"),
   which the venue-code page reads, so a venue visit is one tap. */
(() => {
  const root = document.querySelector("[data-code]");
  if (!root) return;
  const clock = root.querySelector("[data-clock]");
  const age = root.querySelector("[data-age]");
  const band = root.querySelector("[data-state-band]");
  const zone = root.dataset.tz || undefined;
  const offset = Date.parse(root.dataset.at) - Date.now();
  let stateAt = Date.parse(root.dataset.at);
  const format = new Intl.DateTimeFormat("zh-CN", {
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: zone,
  });

  if (root.dataset.ownCode) {
    try {
      window.localStorage.setItem("wangge.personal_code", root.dataset.ownCode);
    } catch (error) {
      /* private mode: the venue page asks for the phone instead */
    }
  }

  function tick() {
    const now = Date.now() + offset;
    clock.textContent = format.format(new Date(now));
    age.textContent = String(Math.max(0, Math.round((now - stateAt) / 1000)));
  }

  function show(state) {
    Object.keys(state.text).forEach((key) => {
      root.querySelectorAll(`[data-state="${key}"]`).forEach((node) => {
        node.textContent = state.text[key];
      });
    });
    band.className = `band ${state.verdict}`;
    stateAt = Date.parse(state.at);
    tick();
  }

  function refresh() {
    fetch(root.dataset.stateUrl, { cache: "no-store", credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((state) => state && show(state))
      .catch(() => { /* a bad line: the age keeps counting, so the old state shows its age */ });
  }

  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, 60000);
})();
