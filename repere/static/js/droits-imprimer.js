/* Printable summary: the "print" button (the page itself works without JavaScript). */
(function () {
  "use strict";
  document.querySelectorAll("[data-imprimer]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
