/* Repère — one offline queue for the capture pages (outreach contacts, workshop fiches).
 * Items wait in localStorage under their page's key; each one carries a UUID made on the device (its
 * idempotent submission key: sending it twice never creates a duplicate on the server). They are sent in
 * order when the network is there: 200/201 → removed; 401/403 → stop, kept (session expired);
 * 400/404/422 → kept as « refusé » with the server's French message; 5xx or no network → kept, retried.
 * API: window.FileHorsLigne.creer(options) → {lire, ajouter, retirer, attente, refus, envoyer, afficher,
 * nombre}; FileHorsLigne.uuid(), FileHorsLigne.cookie(nom).
 * options: cle (localStorage key), api (default URL), noms: [singular, plural] (« contact », « contacts »),
 * sessionExpiree (message), refusParDefaut (message), decrireRefus(element, li, file) (fills the <li> of a
 * refused item), afficherVide (say « Aucun … en attente » after a message). */
(function () {
  "use strict";

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

  function creer(options) {
    var envoiEnCours = false;
    var un = options.noms[0], plusieurs = options.noms[1];

    function lire() {
      try { return JSON.parse(localStorage.getItem(options.cle) || "[]"); } catch (e) { return []; }
    }
    function ecrire(file) { localStorage.setItem(options.cle, JSON.stringify(file)); }
    function attente() { return lire().filter(function (c) { return c.etat === "attente"; }); }
    function refus() { return lire().filter(function (c) { return c.etat === "refuse"; }); }

    function ajouter(element) {
      element.payload.cle = element.payload.cle || uuid();
      element.etat = "attente";
      element.le = element.le || new Date().toISOString();
      var file = lire();
      file.push(element);
      ecrire(file);
      return element.payload.cle;
    }
    function maj(cle, changements) {
      var file = lire();
      file.forEach(function (c) { if (c.payload.cle === cle) Object.assign(c, changements); });
      ecrire(file);
    }
    function retirer(cle) { ecrire(lire().filter(function (c) { return c.payload.cle !== cle; })); }

    function afficher(message) {
      var enAttente = attente();
      var zone = document.getElementById("file-attente");
      if (zone) {
        var texte = message ? message + " " : "";
        if (enAttente.length) {
          texte += enAttente.length + " " + (enAttente.length > 1 ? plusieurs : un) + " en attente d'envoi" +
            (navigator.onLine ? "." : " (hors connexion : envoi automatique au retour du réseau).");
        } else if (message && options.afficherVide) {
          texte += options.afficherVide;
        }
        zone.textContent = texte;
        zone.hidden = !texte;
        zone.className = "message" + (enAttente.length ? " message--warning" : " message--success");
      }
      var liste = document.getElementById("file-refus");
      if (liste) {
        liste.innerHTML = "";
        refus().forEach(function (c) {
          var li = document.createElement("li");
          li.className = "message message--error";
          options.decrireRefus(c, li, { retirer: retirer, afficher: afficher });
          liste.appendChild(li);
        });
      }
    }

    /* Send what waits; ``surEnvoi(element, reponseJson)`` is called for each item accepted.
     * Resolves with {envoyes, reponses}. */
    function envoyer(surEnvoi) {
      if (envoiEnCours) return Promise.resolve({ envoyes: 0, reponses: [] });
      var enAttente = attente();
      if (!enAttente.length) { afficher(); return Promise.resolve({ envoyes: 0, reponses: [] }); }
      envoiEnCours = true;
      var envoyes = 0, reponses = [];
      var chaine = Promise.resolve(true);
      enAttente.forEach(function (c) {
        chaine = chaine.then(function (continuer) {
          if (!continuer) return false;
          return fetch(c.api || options.api, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken"), "Accept": "application/json" },
            body: JSON.stringify(c.payload),
          }).then(function (rep) {
            if (rep.status === 200 || rep.status === 201) {
              return rep.json().catch(function () { return {}; }).then(function (d) {
                retirer(c.payload.cle); envoyes += 1; reponses.push(d);
                if (surEnvoi) surEnvoi(c, d);
                return true;
              });
            }
            if (rep.status === 401 || rep.status === 403) { afficher(options.sessionExpiree); return false; }
            if (rep.status === 422 || rep.status === 404 || rep.status === 400) {
              return rep.json().catch(function () { return {}; }).then(function (d) {
                maj(c.payload.cle, { etat: "refuse", message: d.detail || options.refusParDefaut });
                return true;
              });
            }
            return false; // 5xx: keep it, retry later
          }).catch(function () { return false; }); // network down: keep it
        });
      });
      return chaine.then(function () {
        envoiEnCours = false;
        afficher(envoyes ? (envoyes > 1 ? envoyes + " " + plusieurs + " envoyés." : "1 " + un + " envoyé.") : "");
        return { envoyes: envoyes, reponses: reponses };
      });
    }

    return {
      lire: lire, ajouter: ajouter, retirer: retirer, attente: attente, refus: refus, envoyer: envoyer,
      afficher: afficher, nombre: function () { return attente().length; },
    };
  }

  window.FileHorsLigne = { creer: creer, uuid: uuid, cookie: cookie };
})();
