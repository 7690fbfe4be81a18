/* Search page: on a phone, bring the results into view after a search (the form fills the first screen).
 * Progressive enhancement: without it, the results are simply below the form. */
(function () {
  "use strict";
  var titre = document.getElementById("resultats");
  if (!titre || !window.location.search) return;
  if (window.matchMedia && window.matchMedia("(max-width: 48em)").matches) {
    titre.focus({ preventScroll: true });
    titre.scrollIntoView({ block: "start" });
  }
})();
