/* Progressive enhancement only; every page works without it (the CSP forbids inline scripts). */
(function () {
  "use strict";
  // "Afdrukken" buttons are hidden until this script can make them work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
