/* Repère — offline queue of outreach contacts (localStorage), on the shared queue of file-hors-ligne.js
 * (loaded before this file). Each contact gets a UUID on the device (its idempotent submission key):
 * sending it twice never creates a duplicate on the server. Refused contacts (closed campaign, future
 * date...) stay on the device with the French message until the volunteer removes them.
 * API: window.FileContacts.{ajouter(payload, nomCampagne), envoyer(), afficher(), nombre()}. */
(function () {
  "use strict";
  var file = window.FileHorsLigne.creer({
    cle: "repere-allervers-file-v1",
    api: "/aller-vers/contacts/envoi/",
    noms: ["contact", "contacts"],
    sessionExpiree: "Votre session a expiré : reconnectez-vous, les contacts restent sur l'appareil.",
    refusParDefaut: "contact refusé par le serveur.",
    afficherVide: "Aucun contact en attente d'envoi.",
    decrireRefus: function (c, li, f) {
      var p = document.createElement("p");
      p.textContent = "Contact du " + c.payload.date.split("-").reverse().join("/") + " (" + (c.campagneNom || "campagne") + ") refusé : " + c.message;
      var b = document.createElement("button");
      b.type = "button"; b.className = "bouton bouton--secondaire";
      b.textContent = "Retirer ce contact de l'appareil";
      b.addEventListener("click", function () { f.retirer(c.payload.cle); f.afficher(); });
      li.appendChild(p); li.appendChild(b);
    },
  });

  function ajouter(payload, campagneNom, api) {
    return file.ajouter({ payload: payload, campagneNom: campagneNom, api: api });
  }

  function envoyer() {
    return file.envoyer().then(function (r) {
      document.dispatchEvent(new CustomEvent("contacts-envoyes", { detail: r.reponses }));
    });
  }

  window.FileContacts = { ajouter: ajouter, envoyer: envoyer, afficher: file.afficher, uuid: window.FileHorsLigne.uuid,
    cookie: window.FileHorsLigne.cookie, nombre: file.nombre };

  window.addEventListener("online", function () { envoyer(); });
  window.addEventListener("offline", function () { file.afficher(); });
  setInterval(function () { if (navigator.onLine) envoyer(); }, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/aller-vers/sw.js", { scope: "/aller-vers/" }).catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () { file.afficher(); if (navigator.onLine) envoyer(); });
})();
