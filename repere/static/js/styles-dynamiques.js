/* Computed styles (map legend colours, timeline positions) given as data-css-<property> attributes and applied
   here, since the Content-Security-Policy refuses style="…" attributes. */
(function () {
  "use strict";
  function appliquer(racine) {
    racine.querySelectorAll("*").forEach(function (el) {
      for (var i = 0; i < el.attributes.length; i++) {
        var nom = el.attributes[i].name;
        if (nom.indexOf("data-css-") === 0) el.style.setProperty(nom.slice(9), el.attributes[i].value);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { appliquer(document); });
  else appliquer(document);
})();
