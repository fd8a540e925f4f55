/* Progressive enhancement only; every page works without it (the CSP forbids inline scripts). */
(function () {
  "use strict";
  // "Afdrukken" buttons are hidden until this script can make them work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Rule builder: show only the fields that belong to the chosen radio option
  // (<div data-when="pattern" data-values="wekelijks">). Hidden fields are still submitted;
  // the server ignores what does not apply to the chosen option.
  document.querySelectorAll("form").forEach(function (form) {
    var blocks = form.querySelectorAll("[data-when]");
    if (!blocks.length) { return; }
    function radios(name) {
      return Array.prototype.filter.call(
        form.querySelectorAll("input[type=radio]"),
        function (r) { return r.name === name || r.name.slice(-(name.length + 1)) === "-" + name; }
      );
    }
    function update() {
      blocks.forEach(function (block) {
        var chosen = radios(block.dataset.when).filter(function (r) { return r.checked; })[0];
        if (!chosen) { block.hidden = false; return; }
        block.hidden = block.dataset.values.split(" ").indexOf(chosen.value) === -1;
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
