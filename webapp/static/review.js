/* Review page: accepting a report asks for confirmation in a dialog. Without this file the
   form shows a checkbox the server requires (webapp/review.py); with it, the checkbox is hidden
   and ticked only when the coordinator confirms the dialog. */
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      var box = form.querySelector("input[name=confirm]");
      var label = form.querySelector(".confirm-check");
      if (!box) return;
      box.required = false;
      box.checked = false;
      if (label) label.hidden = true;
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
          box.checked = false;
          return;
        }
        box.checked = true;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
