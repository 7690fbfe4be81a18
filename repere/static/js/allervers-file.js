/* Repère — offline queue of outreach contacts (localStorage).
 * Each contact gets a UUID on the device (its idempotent submission key): sending it twice never
 * creates a duplicate on the server. Refused contacts (closed campaign, future date...) stay on
 * the device with the French message until the volunteer removes them.
 * API: window.FileContacts.{ajouter(payload, nomCampagne), envoyer(), afficher(), nombre()}. */
(function () {
  "use strict";
  var CLE = "repere-allervers-file-v1";
  var envoiEnCours = false;

  function lire() {
    try { return JSON.parse(localStorage.getItem(CLE) || "[]"); } catch (e) { return []; }
  }
  function ecrire(file) { localStorage.setItem(CLE, JSON.stringify(file)); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var o = new Uint8Array(16);
    crypto.getRandomValues(o);
    o[6] = (o[6] & 0x0f) | 0x40; o[8] = (o[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(o, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function cookie(nom) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + nom + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  function afficher(message) {
    var file = lire();
    var attente = file.filter(function (c) { return c.etat === "attente"; });
    var refus = file.filter(function (c) { return c.etat === "refuse"; });
    var zone = document.getElementById("file-attente");
    if (zone) {
      var texte = message ? message + " " : "";
      if (attente.length) {
        texte += attente.length + (attente.length > 1 ? " contacts en attente d'envoi" : " contact en attente d'envoi") +
          (navigator.onLine ? "." : " (hors connexion : envoi automatique au retour du réseau).");
      } else if (message) {
        texte += "Aucun contact en attente d'envoi.";
      }
      zone.textContent = texte;
      zone.hidden = !texte;
      zone.className = "message" + (attente.length ? " message--warning" : " message--success");
    }
    var liste = document.getElementById("file-refus");
    if (liste) {
      liste.innerHTML = "";
      refus.forEach(function (c) {
        var li = document.createElement("li");
        li.className = "message message--error";
        var p = document.createElement("p");
        p.textContent = "Contact du " + c.payload.date.split("-").reverse().join("/") + " (" + (c.campagneNom || "campagne") + ") refusé : " + c.message;
        var b = document.createElement("button");
        b.type = "button"; b.className = "bouton bouton--secondaire";
        b.textContent = "Retirer ce contact de l'appareil";
        b.addEventListener("click", function () {
          ecrire(lire().filter(function (x) { return x.payload.cle !== c.payload.cle; }));
          afficher();
        });
        li.appendChild(p); li.appendChild(b); liste.appendChild(li);
      });
    }
  }

  function ajouter(payload, campagneNom, api) {
    payload.cle = payload.cle || uuid();
    var file = lire();
    file.push({ payload: payload, etat: "attente", campagneNom: campagneNom, api: api, le: new Date().toISOString() });
    ecrire(file);
    return payload.cle;
  }

  function maj(cle, changements) {
    var file = lire();
    file.forEach(function (c) { if (c.payload.cle === cle) Object.assign(c, changements); });
    ecrire(file);
  }
  function retirer(cle) { ecrire(lire().filter(function (c) { return c.payload.cle !== cle; })); }

  function envoyer() {
    if (envoiEnCours) return Promise.resolve();
    var attente = lire().filter(function (c) { return c.etat === "attente"; });
    if (!attente.length) { afficher(); return Promise.resolve(); }
    envoiEnCours = true;
    var envoyes = 0, reponses = [];
    var chaine = Promise.resolve(true);
    attente.forEach(function (c) {
      chaine = chaine.then(function (continuer) {
        if (!continuer) return false;
        return fetch(c.api || "/aller-vers/contacts/envoi/", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"), "Accept": "application/json" },
          body: JSON.stringify(c.payload),
        }).then(function (rep) {
          if (rep.status === 200 || rep.status === 201) {
            return rep.json().then(function (d) { retirer(c.payload.cle); envoyes += 1; reponses.push(d); return true; });
          }
          if (rep.status === 401 || rep.status === 403) {
            afficher("Votre session a expiré : reconnectez-vous, les contacts restent sur l'appareil.");
            return false;
          }
          if (rep.status === 422 || rep.status === 404 || rep.status === 400) {
            return rep.json().catch(function () { return {}; }).then(function (d) {
              maj(c.payload.cle, { etat: "refuse", message: d.detail || "contact refusé par le serveur." });
              return true;
            });
          }
          return false; // 5xx: keep it, retry later
        }).catch(function () { return false; }); // network down: keep it
      });
    });
    return chaine.then(function () {
      envoiEnCours = false;
      afficher(envoyes ? (envoyes > 1 ? envoyes + " contacts envoyés." : "1 contact envoyé.") : "");
      document.dispatchEvent(new CustomEvent("contacts-envoyes", { detail: reponses }));
    });
  }

  window.FileContacts = { ajouter: ajouter, envoyer: envoyer, afficher: afficher, uuid: uuid, cookie: cookie,
    nombre: function () { return lire().filter(function (c) { return c.etat === "attente"; }).length; } };

  window.addEventListener("online", function () { envoyer(); });
  window.addEventListener("offline", function () { afficher(); });
  setInterval(function () { if (navigator.onLine) envoyer(); }, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/aller-vers/sw.js", { scope: "/aller-vers/" }).catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () { afficher(); if (navigator.onLine) envoyer(); });
})();
