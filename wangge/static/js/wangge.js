// Wangge's own small behaviours (no inline scripts): the navbar burger on phones.
document.addEventListener("click", (event) => {
  const burger = event.target.closest(".navbar-burger");
  if (!burger) return;
  const menu = document.getElementById(burger.dataset.target);
  const open = burger.classList.toggle("is-active");
  menu.classList.toggle("is-active", open);
  burger.setAttribute("aria-expanded", String(open));
});
