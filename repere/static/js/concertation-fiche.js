/* Repère — workshop fiche captured on a phone, offline-tolerant (same approach as the outreach queue).
 * Each item gets a UUID on the device: sending it twice never creates a duplicate. Items wait in
 * localStorage until the network is back; the fiche is refreshed every 10 s to show the other
 * facilitators' items. Without JavaScript, each form posts normally. */
(function () {
  "use strict";
  var CLE = "repere-concertation-fiche-v1";
  var enCours = false;
  function lire() { try { return JSON.parse(localStorage.getItem(CLE) || "[]"); } catch (e) { return []; } }
  function ecrire(f) { localStorage.setItem(CLE, JSON.stringify(f)); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var o = new Uint8Array(16); crypto.getRandomValues(o);
    o[6] = (o[6] & 0x0f) | 0x40; o[8] = (o[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(o, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cookie(nom) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + nom + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function afficher(message) {
    var attente = lire().filter(function (c) { return c.etat === "attente"; });
    var refus = lire().filter(function (c) { return c.etat === "refuse"; });
    var zone = document.getElementById("file-attente");
    if (zone) {
      var t = message ? message + " " : "";
      if (attente.length) {
        t += attente.length + (attente.length > 1 ? " éléments en attente d'envoi" : " élément en attente d'envoi") +
          (navigator.onLine ? "." : " (hors connexion : envoi automatique au retour du réseau).");
      }
      zone.textContent = t; zone.hidden = !t;
      zone.className = "message" + (attente.length ? " message--warning" : " message--success");
    }
    var liste = document.getElementById("file-refus");
    if (liste) {
      liste.innerHTML = "";
      refus.forEach(function (c) {
        var li = document.createElement("li"); li.className = "message message--error";
        li.textContent = "« " + c.payload.texte + " » refusé : " + c.message; liste.appendChild(li);
      });
    }
  }
  function rafraichir() {
    var fiche = document.getElementById("fiche");
    if (!fiche || !navigator.onLine) return Promise.resolve();
    return fetch(fiche.dataset.url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text().then(function (html) { fiche.innerHTML = html; }) : null;
    }).catch(function () {});
  }
  function envoyer() {
    if (enCours) return Promise.resolve();
    var attente = lire().filter(function (c) { return c.etat === "attente"; });
    if (!attente.length) { afficher(); return Promise.resolve(); }
    enCours = true;
    var envoyes = 0, chaine = Promise.resolve(true);
    attente.forEach(function (c) {
      chaine = chaine.then(function (continuer) {
        if (!continuer) return false;
        return fetch("/api/v1/concertation/contributions", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"), "Accept": "application/json" },
          body: JSON.stringify(c.payload),
        }).then(function (rep) {
          if (rep.status === 200 || rep.status === 201) {
            ecrire(lire().filter(function (x) { return x.payload.cle !== c.payload.cle; })); envoyes += 1; return true;
          }
          if (rep.status === 401 || rep.status === 403) { afficher("Session expirée : reconnectez-vous, les éléments restent sur l'appareil."); return false; }
          if (rep.status === 422 || rep.status === 404 || rep.status === 400) {
            return rep.json().catch(function () { return {}; }).then(function (d) {
              var f = lire(); f.forEach(function (x) { if (x.payload.cle === c.payload.cle) { x.etat = "refuse"; x.message = d.detail || "refusé"; } });
              ecrire(f); return true;
            });
          }
          return false;
        }).catch(function () { return false; });
      });
    });
    return chaine.then(function () {
      enCours = false;
      afficher(envoyes ? (envoyes > 1 ? envoyes + " éléments envoyés." : "1 élément envoyé.") : "");
      return rafraichir();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-saisie-fiche]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var zone = form.querySelector("textarea");
        var texte = zone.value.trim();
        if (!texte) { zone.focus(); return; }
        var f = lire();
        f.push({ etat: "attente", payload: { cle: uuid(), atelier: parseInt(form.dataset.atelier, 10), section: form.dataset.section, texte: texte } });
        ecrire(f); zone.value = ""; zone.focus();
        afficher(); envoyer();
      });
    });
    afficher(); if (navigator.onLine) envoyer();
    setInterval(function () { if (navigator.onLine) { envoyer(); rafraichir(); } }, 10000);
  });
  window.addEventListener("online", envoyer);
  window.addEventListener("offline", function () { afficher(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/concertation/sw.js", { scope: "/concertation/" }).catch(function () {});
  }
  window.FicheAtelier = { envoyer: envoyer, nombre: function () { return lire().filter(function (c) { return c.etat === "attente"; }).length; } };
})();
