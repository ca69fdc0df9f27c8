/* The venue-code page. Without this script the form works as it is (type the phone, submit); with
   it the phone remembers:
   - the personal code (小区码) the residents' pages keep in localStorage "wangge.personal_code"
     ("WGP:<token>") is sent instead of a phone, with a button to use a phone instead; when the
     server refused it (revoked), the phone field shows again and both are sent;
   - a phone typed once is kept in localStorage "wangge.visit_phone" and filled in next time, so
     the next scan is one tap;
   - on the confirmation, the clock ticks, so a guard tells the live page from a screenshot. */
(() => {
  const CODE_KEY = "wangge.personal_code";
  const PHONE_KEY = "wangge.visit_phone";

  function stored(key) {
    try {
      return window.localStorage.getItem(key) || "";
    } catch (error) {
      return "";
    }
  }

  function keep(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (error) {
      /* private mode: nothing remembered, the form still works */
    }
  }

  function setUp(form) {
    const codeField = form.querySelector("[data-personal-code]");
    const held = form.querySelector("[data-code-held]");
    const phoneField = form.querySelector("[data-phone-field]");
    const phone = form.querySelector("input[name=phone]");
    const code = stored(CODE_KEY);
    if (code.startsWith("WGP:")) {
      codeField.value = code;
      // after a refusal (a revoked code) the phone is asked for: sent with the code, it counts
      if (!form.hasAttribute("data-refused")) {
        held.classList.remove("is-hidden");
        phoneField.classList.add("is-hidden");
      }
    }
    if (!phone.value) phone.value = stored(PHONE_KEY);
    form.querySelector("[data-use-phone]").addEventListener("click", () => {
      codeField.value = "";
      held.classList.add("is-hidden");
      phoneField.classList.remove("is-hidden");
      phone.focus();
    });
    form.addEventListener("submit", () => {
      const typed = !phoneField.classList.contains("is-hidden") && phone.value.trim();
      if (typed) keep(PHONE_KEY, typed);
      form.querySelector("button:not([type=button])").disabled = true;
    });
  }

  // Beijing time whatever the phone's own zone, as the recorded time above it.
  const BEIJING = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });

  function tick(clock) {
    const show = () => {
      clock.textContent = BEIJING.format(new Date());
    };
    show();
    window.setInterval(show, 1000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-visit-form]");
    if (form) setUp(form);
    const clock = document.querySelector("[data-clock]");
    if (clock) tick(clock);
  });
})();
