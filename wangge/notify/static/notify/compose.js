/* The compose form of a message: the value field offers the choices of the chosen audience kind,
   the variable buttons insert their placeholder at the cursor, the template picker fills the text.
   Each change is an input event, so the htmx preview follows. */
(function () {
  "use strict";
  function changed(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function offerValues(form) {
    var kind = form.querySelector("[name=audience_kind]");
    var value = form.querySelector("[name=audience_value]");
    if (!kind || !value) { return; }
    value.setAttribute("list", "audience-" + kind.value);
    value.setAttribute("autocomplete", "off");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compose-form");
    if (!form) { return; }
    offerValues(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "audience_kind") { offerValues(form); }
    });
    form.querySelectorAll("[data-insert]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.into);
        var start = text.selectionStart || 0;
        var end = text.selectionEnd || 0;
        text.value = text.value.slice(0, start) + button.dataset.insert + text.value.slice(end);
        text.focus();
        text.selectionStart = text.selectionEnd = start + button.dataset.insert.length;
        changed(text);
      });
    });
    var picker = document.getElementById("template-picker");
    if (picker) {
      picker.addEventListener("change", function () {
        var option = picker.options[picker.selectedIndex];
        if (!option.value) { return; }
        var text = document.getElementById(picker.dataset.fills);
        text.value = option.dataset.text;
        var kind = form.querySelector("[name=kind]");
        if (kind && option.dataset.kind) { kind.value = option.dataset.kind; }
        changed(text);
      });
    }
  });
})();
