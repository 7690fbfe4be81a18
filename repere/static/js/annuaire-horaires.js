/* Opening-hours editor (progressive enhancement of the day-by-day fields of the structure and service
 * forms). Each weekday's text field (« 9h-12h, 14h-17h30 ») becomes a list of time ranges with time
 * pickers; the field keeps the value the server reads, which writes the OSM opening_hours syntax.
 * Without JavaScript, the text fields are typed directly. */
(function () {
  "use strict";
  var bloc = document.querySelector("[data-horaires]");
  if (!bloc) return;
  var JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
  var PLAGE = /(\d{1,2})\s*[:hH]\s*(\d{2})?\s*(?:-|à)\s*(\d{1,2})\s*[:hH]?\s*(\d{2})?/g;

  function deux(n) { return (n < 10 ? "0" : "") + n; }
  function lire(texte) {
    var plages = [], m;
    PLAGE.lastIndex = 0;
    while ((m = PLAGE.exec(texte || "")) !== null) {
      plages.push([deux(parseInt(m[1], 10)) + ":" + (m[2] || "00"), deux(parseInt(m[3], 10)) + ":" + (m[4] || "00")]);
    }
    return plages;
  }
  var editeurs = [];

  function creerEditeur(conteneur, i) {
    var champ = conteneur.querySelector("input[type=text]");
    if (!champ) return;
    var nom = JOURS[i].charAt(0).toUpperCase() + JOURS[i].slice(1);
    champ.type = "hidden";
    conteneur.querySelectorAll("label[for='" + champ.id + "'], .aide").forEach(function (e) { e.hidden = true; });
    var groupe = document.createElement("fieldset");
    groupe.className = "horaires-jour";
    var legende = document.createElement("legend");
    legende.textContent = nom;
    groupe.appendChild(legende);
    var liste = document.createElement("div");
    groupe.appendChild(liste);
    var vide = document.createElement("p");
    vide.className = "discret";
    vide.textContent = "Fermé";
    groupe.appendChild(vide);
    var ajouter = document.createElement("button");
    ajouter.type = "button";
    ajouter.className = "bouton bouton--secondaire bouton--petit";
    ajouter.textContent = "Ajouter une plage le " + JOURS[i];
    groupe.appendChild(ajouter);
    conteneur.appendChild(groupe);

    function ecrire() {
      var valeurs = [];
      liste.querySelectorAll(".horaires-plage").forEach(function (ligne) {
        var t = ligne.querySelectorAll("input[type=time]");
        if (t[0].value && t[1].value) valeurs.push(t[0].value + "-" + t[1].value);
      });
      champ.value = valeurs.join(", ");
      vide.hidden = liste.children.length > 0;
    }
    function ajouterPlage(debut, fin) {
      var n = liste.children.length + 1;
      var ligne = document.createElement("div");
      ligne.className = "horaires-plage";
      [["ouverture", debut], ["fermeture", fin]].forEach(function (p) {
        var etiquette = document.createElement("label");
        var saisie = document.createElement("input");
        saisie.type = "time";
        saisie.step = 300;
        saisie.value = p[1] || "";
        saisie.setAttribute("aria-label", nom + ", plage " + n + ", " + p[0]);
        saisie.addEventListener("change", ecrire);
        saisie.addEventListener("input", ecrire);
        etiquette.appendChild(document.createTextNode(p[0] === "ouverture" ? "de " : " à "));
        etiquette.appendChild(saisie);
        ligne.appendChild(etiquette);
      });
      var retirer = document.createElement("button");
      retirer.type = "button";
      retirer.className = "bouton-lien";
      retirer.textContent = "Retirer";
      retirer.setAttribute("aria-label", "Retirer la plage " + n + " du " + JOURS[i]);
      retirer.addEventListener("click", function () { ligne.remove(); ecrire(); });
      ligne.appendChild(retirer);
      liste.appendChild(ligne);
      ecrire();
      return ligne;
    }
    function remplir(plages) {
      liste.innerHTML = "";
      plages.forEach(function (p) { ajouterPlage(p[0], p[1]); });
      ecrire();
    }
    ajouter.addEventListener("click", function () {
      var ligne = ajouterPlage("", "");
      ligne.querySelector("input").focus();
    });
    remplir(lire(champ.value));
    editeurs[i] = { remplir: remplir, plages: function () { return lire(champ.value); }, groupe: groupe };
  }

  bloc.querySelectorAll("[data-jour]").forEach(function (c) { creerEditeur(c, parseInt(c.dataset.jour, 10)); });
  if (editeurs[0]) {
    var copier = document.createElement("button");
    copier.type = "button";
    copier.className = "bouton bouton--secondaire bouton--petit";
    copier.textContent = "Mêmes horaires du mardi au vendredi que le lundi";
    copier.addEventListener("click", function () {
      var plages = editeurs[0].plages();
      for (var j = 1; j <= 4; j++) editeurs[j].remplir(plages);
    });
    editeurs[0].groupe.appendChild(copier);
  }
  // Show only the chosen way of typing the hours.
  var radios = bloc.querySelectorAll("input[name=horaires_mode]");
  function montrer() {
    var mode = (bloc.querySelector("input[name=horaires_mode]:checked") || {}).value || "grille";
    bloc.querySelectorAll("[data-mode]").forEach(function (d) { d.hidden = d.dataset.mode !== mode; });
  }
  radios.forEach(function (r) { r.addEventListener("change", montrer); });
  montrer();
})();
