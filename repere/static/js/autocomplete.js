/* Accessible territory autocomplete (ARIA 1.2 combobox pattern), progressive enhancement.
 *
 * <div data-autocomplete data-url="/api/v1/territoires/recherche" [data-cible="id_champ"] [data-aller]
 *      [data-types="commune"] [data-valeur="id_hidden"]>
 *   <label for="x">…</label><input id="x">
 * </div>
 * On choice: data-multiple="list id" (with data-nom) → appends to that list a checked box named data-nom,
 * value "type:code", labelled by the territory's name (untick to remove; the input is emptied for the next
 * one); data-cible → appends "type:code" as a line of that textarea (with data-cible-nom: the
 * territory's name as people read it, « Angers (49000) », which the server reads back); data-valeur → sets that
 * input's value to the code; data-aller → goes to /territoires/<type>/<code>/.
 * Other sources (the address suggestions): data-remplir='{"key": "input id", …}' copies those keys of
 * the chosen item into those inputs; data-commune="input id" adds &commune=<its value> to the query.
 * Every choice is announced to the page as an "autocomplete:choix" event (detail: the item).
 */
(function () {
  "use strict";
  function init(bloc) {
    var input = bloc.querySelector("input[type=text], input[type=search]");
    if (!input) return;
    var liste = document.createElement("ul");
    var id = input.id + "-liste";
    liste.id = id;
    liste.setAttribute("role", "listbox");
    liste.hidden = true;
    var statut = document.createElement("div");
    statut.className = "sr-only";
    statut.setAttribute("role", "status");
    statut.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", liste);
    bloc.appendChild(statut);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var resultats = [], actif = -1, minuteur = null, requete = 0;

    function fermer() {
      liste.hidden = true; liste.innerHTML = ""; actif = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function marquer(i) {
      var options = liste.querySelectorAll("[role=option]");
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      actif = i;
      if (i >= 0 && options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }
    function choisir(i) {
      var t = resultats[i];
      if (!t) return;
      if (bloc.dataset.multiple) {
        var choisis = document.getElementById(bloc.dataset.multiple);
        var valeur = t.type + ":" + t.code;
        var deja = Array.prototype.filter.call(choisis.querySelectorAll("input[type=checkbox]"), function (c) { return c.value === valeur; })[0];
        if (deja) {
          deja.checked = true;
          statut.textContent = t.libelle + " est déjà choisi.";
        } else {
          var li = document.createElement("li");
          var boite = document.createElement("input");
          boite.type = "checkbox"; boite.name = bloc.dataset.nom; boite.value = valeur; boite.checked = true;
          boite.id = bloc.dataset.multiple + "_" + choisis.children.length + "_" + Date.now();
          var etiquette = document.createElement("label");
          etiquette.htmlFor = boite.id; etiquette.textContent = t.libelle;
          li.appendChild(boite); li.appendChild(document.createTextNode(" ")); li.appendChild(etiquette);
          choisis.appendChild(li);
          statut.textContent = t.libelle + " ajouté aux territoires choisis.";
        }
        choisis.hidden = false;
        input.value = "";
      } else if (bloc.dataset.cible) {
        var cible = document.getElementById(bloc.dataset.cible);
        var parNom = bloc.dataset.cibleNom !== undefined;
        var jeton = parNom ? t.libelle : t.type + ":" + t.code;
        var lignes = cible.value.split(parNom ? /\n+/ : /\s+/).map(function (l) { return l.trim(); }).filter(Boolean);
        if (lignes.indexOf(jeton) === -1) lignes.push(jeton);
        cible.value = lignes.join("\n");
        input.value = "";
        statut.textContent = t.libelle + " ajouté.";
      } else if (bloc.dataset.remplir) {
        var cibles = JSON.parse(bloc.dataset.remplir);
        Object.keys(cibles).forEach(function (cle) {
          var champ = document.getElementById(cibles[cle]);
          if (champ && t[cle] !== undefined && t[cle] !== null) champ.value = t[cle];
        });
        statut.textContent = t.libelle + " choisie.";
      } else if (bloc.dataset.valeur) {
        document.getElementById(bloc.dataset.valeur).value = t.code;
        input.value = t.libelle;
        statut.textContent = t.libelle + " choisi.";
      }
      fermer();
      bloc.dispatchEvent(new CustomEvent("autocomplete:choix", { detail: t, bubbles: true }));
      if (bloc.dataset.aller !== undefined) {
        window.location.href = "/territoires/" + t.type + "/" + encodeURIComponent(t.code) + "/";
      }
    }
    function afficher(donnees) {
      resultats = donnees; liste.innerHTML = "";
      donnees.forEach(function (t, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = t.libelle;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choisir(i); });
        liste.appendChild(li);
      });
      var ouvert = donnees.length > 0;
      liste.hidden = !ouvert;
      input.setAttribute("aria-expanded", ouvert ? "true" : "false");
      statut.textContent = donnees.length ? donnees.length + " résultat(s), flèches haut et bas pour choisir." : "Aucun résultat.";
      actif = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(minuteur);
      // the text no longer is the territory chosen: forget its code (the server reads the name then)
      if (bloc.dataset.valeur && document.getElementById(bloc.dataset.valeur)) document.getElementById(bloc.dataset.valeur).value = "";
      var q = input.value.trim();
      if (q.length < 2) { fermer(); return; }
      minuteur = setTimeout(function () {
        var n = ++requete;
        var url = bloc.dataset.url + "?limite=10&q=" + encodeURIComponent(q);
        if (bloc.dataset.types) bloc.dataset.types.split(",").forEach(function (t) { url += "&type=" + t; });
        var commune = bloc.dataset.commune && document.getElementById(bloc.dataset.commune);
        if (commune && commune.value) url += "&commune=" + encodeURIComponent(commune.value);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (d) { if (n === requete) afficher(d); })
          .catch(function () { fermer(); });
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (liste.hidden) return;
      var n = resultats.length;
      if (e.key === "ArrowDown") { e.preventDefault(); marquer((actif + 1) % n); }
      else if (e.key === "ArrowUp") { e.preventDefault(); marquer((actif - 1 + n) % n); }
      else if (e.key === "Enter") { if (actif >= 0) { e.preventDefault(); choisir(actif); } }
      else if (e.key === "Escape") { fermer(); }
    });
    input.addEventListener("blur", function () { setTimeout(fermer, 150); });
  }
  document.querySelectorAll("[data-autocomplete]").forEach(init);
})();
