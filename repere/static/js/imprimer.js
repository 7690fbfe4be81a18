/* "Imprimer" buttons (data-imprimer): window.print() without an inline handler (Content-Security-Policy). */
(function () {
  "use strict";
  document.querySelectorAll("[data-imprimer]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
