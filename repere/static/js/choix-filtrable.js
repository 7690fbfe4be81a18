/* A long multiple choice, searchable (progressive enhancement).
 *
 * <select multiple data-choix-filtrable id="besoins" name="besoins">…</select>
 * Without JavaScript the select works as it is. With it, the select is hidden (it still holds the values
 * sent with the form) and replaced by: a search field (labelled by the select's own label), the choices
 * already made as buttons « Retirer … », and the options matching what is typed as checkboxes (accents and
 * capitals ignored). Keyboard: type to filter, Tab into the list, Space ticks; a live region says how many
 * choices match. Phone-first: the list scrolls in a box as wide as the screen (css: .choix-filtrable).
 */
(function () {
  "use strict";
  function sansAccents(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function init(select) {
    var id = select.id;
    var label = document.querySelector('label[for="' + id + '"]');
    var bloc = document.createElement("div");
    bloc.className = "choix-filtrable";
    var recherche = document.createElement("input");
    recherche.type = "search";
    recherche.id = id + "-filtre";
    recherche.autocomplete = "off";
    recherche.setAttribute("aria-controls", id + "-options");
    var aide = document.createElement("span");
    aide.className = "aide";
    aide.id = id + "-filtre-aide";
    aide.textContent = "Tapez quelques lettres pour filtrer, puis cochez avec la barre d'espace.";
    recherche.setAttribute("aria-describedby", aide.id);
    if (label) { label.htmlFor = recherche.id; }
    var choisis = document.createElement("div");
    choisis.className = "choix-filtrable__choisis";
    choisis.setAttribute("aria-label", "Choix faits");
    choisis.setAttribute("role", "group");
    var liste = document.createElement("fieldset");
    liste.className = "choix-filtrable__options";
    liste.id = id + "-options";
    var legende = document.createElement("legend");
    legende.className = "sr-only";
    legende.textContent = label ? label.textContent : "Choix";
    liste.appendChild(legende);
    var statut = document.createElement("p");
    statut.className = "sr-only";
    statut.setAttribute("role", "status");
    statut.setAttribute("aria-live", "polite");
    var cases = [];
    Array.prototype.forEach.call(select.options, function (option, i) {
      var ligne = document.createElement("label");
      ligne.className = "choix";
      var c = document.createElement("input");
      c.type = "checkbox";
      c.id = id + "-option-" + i;
      c.checked = option.selected;
      c.addEventListener("change", function () { option.selected = c.checked; dessinerChoisis(); });
      ligne.appendChild(c);
      ligne.appendChild(document.createTextNode(" " + option.textContent));
      liste.appendChild(ligne);
      cases.push({ option: option, case_: c, ligne: ligne, cle: sansAccents(option.textContent + " " + option.value) });
    });
    function dessinerChoisis() {
      choisis.innerHTML = "";
      cases.forEach(function (x) {
        if (!x.option.selected) return;
        var b = document.createElement("button");
        b.type = "button";
        b.className = "bouton-lien choix-filtrable__retirer";
        b.textContent = "Retirer « " + x.option.textContent + " »";
        b.addEventListener("click", function () {
          x.option.selected = false; x.case_.checked = false; dessinerChoisis();
          statut.textContent = x.option.textContent + " retiré.";
          recherche.focus();
        });
        choisis.appendChild(b);
      });
    }
    function filtrer() {
      var mots = sansAccents(recherche.value).split(/\s+/).filter(Boolean);
      var n = 0;
      cases.forEach(function (x) {
        var ok = mots.every(function (m) { return x.cle.indexOf(m) !== -1; });
        x.ligne.hidden = !ok;
        if (ok) n += 1;
      });
      statut.textContent = n ? n + " choix correspondent." : "Aucun choix ne correspond.";
    }
    var minuteur = null;
    recherche.addEventListener("input", function () { clearTimeout(minuteur); minuteur = setTimeout(filtrer, 100); });
    recherche.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {  // Enter in the filter never submits the form: it goes to the first match
        e.preventDefault();
        var premier = cases.filter(function (x) { return !x.ligne.hidden; })[0];
        if (premier) premier.case_.focus();
      }
    });
    bloc.appendChild(recherche);
    bloc.appendChild(aide);
    bloc.appendChild(choisis);
    bloc.appendChild(liste);
    bloc.appendChild(statut);
    select.insertAdjacentElement("afterend", bloc);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    dessinerChoisis();
  }
  document.querySelectorAll("select[multiple][data-choix-filtrable]").forEach(init);
})();
