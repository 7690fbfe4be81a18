/* The API documentation (Swagger UI): no link nested inside the button that opens an operation
 * (axe « nested-interactive »): the path stays as text, the button opens the operation. */
(function () {
  "use strict";
  function corriger(racine) {
    racine.querySelectorAll(".opblock-summary-control a, button a").forEach(function (lien) {
      var texte = document.createElement("span");
      texte.className = lien.className;
      while (lien.firstChild) texte.appendChild(lien.firstChild);
      lien.replaceWith(texte);
    });
    racine.querySelectorAll(".opblock-summary-control [tabindex], button [tabindex]").forEach(function (e) {
      e.removeAttribute("tabindex");
    });
  }
  var racine = document.getElementById("swagger-ui");
  if (!racine) return;
  new MutationObserver(function () { corriger(racine); }).observe(racine, { childList: true, subtree: true });
  corriger(racine);
})();
