// 发放出库: show only the chooser of the recipient kind picked (the page works without this).
(function () {
  "use strict";
  const kind = document.getElementById("id_recipient_kind");
  if (!kind) {
    return;
  }
  const choosers = {
    checkpoint: ["id_checkpoint"],
    team: ["id_team"],
    household: ["id_household", "household-search"],
    other: ["id_label"],
  };
  function box(id) {
    const element = document.getElementById(id);
    return element && (element.closest(".field:not(.has-addons)") || element);
  }
  function show() {
    Object.entries(choosers).forEach(function ([value, ids]) {
      ids.forEach(function (id) {
        const element = box(id);
        if (element) {
          element.classList.toggle("is-hidden", value !== kind.value);
        }
      });
    });
  }
  kind.addEventListener("change", show);
  show();
})();
