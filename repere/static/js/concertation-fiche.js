/* Repère — workshop fiche captured on a phone, offline-tolerant, on the shared queue of
 * file-hors-ligne.js (loaded before this file; the same queue as the outreach contacts).
 * Each item gets a UUID on the device: sending it twice never creates a duplicate. Items wait in
 * localStorage until the network is back; the fiche is refreshed every 10 s to show the other
 * facilitators' items. Without JavaScript, each form posts normally. */
(function () {
  "use strict";
  var file = window.FileHorsLigne.creer({
    cle: "repere-concertation-fiche-v1",
    api: "/api/v1/concertation/contributions",
    noms: ["élément", "éléments"],
    sessionExpiree: "Session expirée : reconnectez-vous, les éléments restent sur l'appareil.",
    refusParDefaut: "refusé",
    decrireRefus: function (c, li) { li.textContent = "« " + c.payload.texte + " » refusé : " + c.message; },
  });
  function rafraichir() {
    var fiche = document.getElementById("fiche");
    if (!fiche || !navigator.onLine) return Promise.resolve();
    return fetch(fiche.dataset.url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text().then(function (html) { fiche.innerHTML = html; }) : null;
    }).catch(function () {});
  }
  function envoyer() { return file.envoyer().then(rafraichir); }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-saisie-fiche]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var zone = form.querySelector("textarea");
        var texte = zone.value.trim();
        if (!texte) { zone.focus(); return; }
        file.ajouter({ payload: { atelier: parseInt(form.dataset.atelier, 10), section: form.dataset.section, texte: texte } });
        zone.value = ""; zone.focus();
        file.afficher(); envoyer();
      });
    });
    file.afficher(); if (navigator.onLine) envoyer();
    setInterval(function () { if (navigator.onLine) { envoyer(); rafraichir(); } }, 10000);
  });
  window.addEventListener("online", envoyer);
  window.addEventListener("offline", function () { file.afficher(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/concertation/sw.js", { scope: "/concertation/" }).catch(function () {});
  }
  window.FicheAtelier = { envoyer: envoyer, nombre: file.nombre };
})();
