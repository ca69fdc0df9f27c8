/* Wangge's own small behaviours. Pages carry no inline scripts or on*= handlers (the
   Content-Security-Policy allows scripts from our own origin only, docs/adr/0008): a template
   asks for a behaviour with a data- attribute, and the listeners below, delegated from the
   document, give it.

   - the navbar burger on phones opens and closes the menu;
   - <select data-autosubmit> sends its form as soon as the choice changes;
   - data-confirm="question" on a submit button or on a form asks before the form is sent.

   Wangge.uuid() and Wangge.errorText(data) serve the pages that queue work offline (the
   checkpoint scan, the venue inspection): a client id made on the phone (crypto.randomUUID needs
   HTTPS, which a street's intranet may not have), and the messages of an API error as one line. */
window.Wangge = {
  uuid() {
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => (b + 0x100).toString(16).slice(1)).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  },
  errorText(data) {
    return Object.keys(data || {})
      .filter((key) => key !== "code")
      .flatMap((key) => (Array.isArray(data[key]) ? data[key] : [String(data[key])]))
      .join("；");
  },
};

document.addEventListener("click", (event) => {
  const burger = event.target.closest(".navbar-burger");
  if (!burger) return;
  const menu = document.getElementById(burger.dataset.target);
  const open = burger.classList.toggle("is-active");
  menu.classList.toggle("is-active", open);
  burger.setAttribute("aria-expanded", String(open));
});

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm], input[type=submit][data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
