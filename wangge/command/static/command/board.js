// The command-centre board's countdowns: the server renders the seconds left each time it is
// polled; between polls this ticks them down every second. No inline script, no library.
(() => {
  const pad = (n) => String(n).padStart(2, "0");
  const format = (left) => {
    const late = left < 0;
    let s = Math.abs(left);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    s %= 60;
    const text = h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
    return (late ? `${document.documentElement.lang === "en" ? "late" : "超时"} ` : "") + text;
  };
  const tick = () => {
    const now = Date.now();
    document.querySelectorAll("[data-seconds-left]").forEach((el) => {
      if (!el.dataset.shownAt) el.dataset.shownAt = String(now);
      const left = Number(el.dataset.secondsLeft) - Math.floor((now - Number(el.dataset.shownAt)) / 1000);
      el.textContent = format(left);
      el.classList.toggle("has-text-danger", left < 0);
    });
  };
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 1000);
})();
