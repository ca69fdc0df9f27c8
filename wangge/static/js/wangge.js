/* Wangge's own small behaviours. Pages carry no inline scripts or on*= handlers (the
   Content-Security-Policy allows scripts from our own origin only, docs/adr/0008): a template
   asks for a behaviour with a data- attribute, and the listeners below, delegated from the
   document, give it.

   - the navbar burger on phones opens and closes the menu;
   - <select data-autosubmit> sends its form as soon as the choice changes;
   - data-confirm="question" on a submit button or on a form asks before the form is sent. */
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
