// Signed referral links carry their token after "#": browsers never send the fragment, so no server
// or proxy log records it. This script posts it once, then removes it from the address bar.
(function () {
  "use strict";
  var formulaire = document.querySelector("form[data-lien-signe]");
  if (!formulaire) return;
  var jeton = window.location.hash.replace(/^#/, "");
  if (!jeton) return;
  history.replaceState(null, "", window.location.pathname);
  formulaire.querySelector("input[name=jeton]").value = decodeURIComponent(jeton);
  formulaire.submit();
})();
