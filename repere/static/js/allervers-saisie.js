/* Repère — capture form, progressive enhancement: with JavaScript, a contact is first kept on the
 * device (allervers-file.js) then sent; without it, the form posts normally. */
(function () {
  "use strict";
  var form = document.getElementById("form-contact");
  if (!form) return;
  var LIBELLES = { probable: "Probable", possible: "Possible, à vérifier" };

  function valeurs() {
    var fd = new FormData(form);
    var entier = function (n) { var v = fd.get(n); return v === null || v === "" ? null : parseInt(v, 10); };
    var reponses = {};
    if (fd.get("pr_age") || fd.get("pr_logement") || fd.get("pr_activite") || fd.get("pr_revenus")) {
      reponses = {
        age: entier("pr_age"), en_couple: fd.get("pr_en_couple") === "on", enfants: entier("pr_enfants") || 0,
        logement: fd.get("pr_logement") || null, loyer: entier("pr_loyer") || 0, revenus: entier("pr_revenus"),
        activite: fd.get("pr_activite") || null, handicap: fd.get("pr_handicap") === "on",
      };
      Object.keys(reponses).forEach(function (k) { if (reponses[k] === null) delete reponses[k]; });
    }
    return {
      campagne: parseInt(form.dataset.campagne, 10),
      date: fd.get("date"), canal: fd.get("canal"), secteur: fd.get("secteur") || "", commune: fd.get("commune") || "",
      situations: fd.getAll("situations"), besoins: fd.getAll("besoins"), reponses: reponses,
      orientation_proposee: fd.get("orientation_proposee") || "", suivi_souhaite: fd.get("suivi_souhaite") === "on",
      recontact: fd.get("suivi_souhaite") === "on" ? {
        prenom: fd.get("recontact_prenom") || "", telephone: fd.get("recontact_telephone") || "",
        courriel: fd.get("recontact_courriel") || "", accord: fd.get("recontact_accord") === "on",
      } : {},
      obstacles: fd.getAll("obstacles"), type_non_recours: fd.get("type_non_recours") || "", organisme: fd.get("organisme") || "",
    };
  }

  // Who to call back: shown (and asked) only when the person wants to be contacted again.
  var suivi = form.elements.suivi_souhaite, blocRecontact = document.getElementById("recontact");
  function majRecontact() {
    if (!suivi || !blocRecontact) return;
    blocRecontact.hidden = !suivi.checked;
    blocRecontact.querySelectorAll("input").forEach(function (i) { i.disabled = !suivi.checked; });
  }
  if (suivi) { suivi.addEventListener("change", majRecontact); majRecontact(); }
  var statutEnvoi = document.getElementById("statut-envoi");

  function afficherDroits(zone, d) {
    zone.innerHTML = "";
    var titre = document.createElement("p");
    if (!d.droits.length) {
      titre.textContent = "Aucun droit probable avec ces réponses.";
      zone.appendChild(titre);
      return;
    }
    titre.innerHTML = "<strong>Droits probables</strong>";
    zone.appendChild(titre);
    var ul = document.createElement("ul");
    ul.className = "droits-reperes";
    d.droits.forEach(function (x) {
      var li = document.createElement("li");
      var montant = x.montant_mensuel ? " — environ " + Math.round(x.montant_mensuel) + " € par mois" : "";
      li.textContent = x.libelle + montant + " ";
      var b = document.createElement("span");
      b.className = "badge " + (x.certitude === "probable" ? "badge--succes" : "badge--info");
      b.textContent = LIBELLES[x.certitude] || x.certitude;
      li.appendChild(b);
      ul.appendChild(li);
    });
    zone.appendChild(ul);
    if (d.incertitude) {
      var p = document.createElement("p"); p.className = "discret"; p.textContent = d.incertitude; zone.appendChild(p);
    }
  }

  var bouton = document.getElementById("bouton-prereperage");
  var zone = document.getElementById("resultat-prereperage");
  if (bouton) {
    bouton.hidden = false;
    bouton.addEventListener("click", function () {
      var v = valeurs();
      if (!navigator.onLine) { zone.textContent = "Hors connexion : le pré-repérage sera calculé à l'envoi du contact."; return; }
      zone.textContent = "Calcul en cours…";
      fetch(form.dataset.prereperage, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": FileContacts.cookie("csrftoken") },
        body: JSON.stringify({ campagne: v.campagne, commune: v.commune, date: v.date, reponses: v.reponses }),
      }).then(function (rep) {
        return rep.json().then(function (d) {
          if (rep.ok) afficherDroits(zone, d);
          else zone.textContent = d.detail || "Pré-repérage impossible.";
        });
      }).catch(function () { zone.textContent = "Hors connexion : le pré-repérage sera calculé à l'envoi du contact."; });
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = valeurs();
    if (!v.date) { FileContacts.afficher("Indiquez la date du contact."); return; }
    if (v.suivi_souhaite && (!v.recontact.prenom || !(v.recontact.telephone || v.recontact.courriel) || !v.recontact.accord)) {
      statutEnvoi.textContent = "Pour la recontacter : lisez la phrase d'accord, cochez-la, puis notez son prénom et un téléphone ou un e-mail.";
      (v.recontact.accord ? (v.recontact.prenom ? form.elements.recontact_telephone : form.elements.recontact_prenom) : form.elements.recontact_accord).focus();
      return;
    }
    FileContacts.ajouter(v, form.dataset.campagneNom, form.dataset.api);
    // Keep date, place and channel for the next door; clear the rest.
    var garder = { date: v.date, canal: v.canal, secteur: v.secteur, commune: v.commune };
    form.reset();
    Object.keys(garder).forEach(function (k) { if (form.elements[k]) form.elements[k].value = garder[k]; });
    if (zone) zone.innerHTML = "";
    majRecontact();
    FileContacts.afficher("Contact enregistré sur l'appareil.");
    // The page stays where it is: the confirmation is read out next to the button.
    statutEnvoi.textContent = "Contact enregistré sur l'appareil. Vous pouvez saisir le suivant.";
    FileContacts.envoyer();
  });

  // Make this page available offline: ask the service worker to cache it.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (e) {
      if (e.data && e.data.type === "cache") form.dataset.horsLigne = "pret";
    });
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: "cacher", url: location.pathname });
    });
  }

  document.addEventListener("contacts-envoyes", function (e) {
    var dernier = e.detail && e.detail[e.detail.length - 1];
    if (dernier && zone && dernier.droits && dernier.droits.length) {
      afficherDroits(zone, { droits: dernier.droits, incertitude: "Pré-repérage du dernier contact envoyé : à confirmer par une simulation complète." });
    }
  });
})();
