/* Accessible tabs (WAI-ARIA Authoring Practices « Tabs » pattern, automatic activation), progressive
 * enhancement of a table of contents:
 *
 * <nav data-onglets aria-label="…"><ul><li><a href="#panneau-1">…</a></li>…</ul></nav>
 * <section id="panneau-1">…</section> …
 *
 * Without JavaScript the links jump to the sections, all shown one after the other. With it, the list
 * becomes a tablist, each link a tab (ArrowLeft/ArrowRight, Home/End move and select; Tab goes into the
 * panel), each section a tabpanel, only the selected one shown. The URL's #fragment (a section, or any
 * element inside one, e.g. after a redirect to #droits) selects the tab holding it; the choice is kept in
 * the URL (history.replaceState), so that a reload or the back button stays on it.
 */
(function () {
  "use strict";
  function init(nav) {
    var liste = nav.querySelector("ul, ol");
    var liens = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
    var panneaux = liens.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
    if (!liste || !liens.length || panneaux.indexOf(null) !== -1) return;
    liste.setAttribute("role", "tablist");
    if (nav.getAttribute("aria-label")) liste.setAttribute("aria-label", nav.getAttribute("aria-label"));
    Array.prototype.forEach.call(liste.children, function (li) { li.setAttribute("role", "presentation"); });
    liens.forEach(function (a, i) {
      var p = panneaux[i];
      a.id = a.id || "onglet-" + p.id;
      a.setAttribute("role", "tab");
      a.setAttribute("aria-controls", p.id);
      p.setAttribute("role", "tabpanel");
      p.setAttribute("aria-labelledby", a.id);
      p.setAttribute("tabindex", "0");
    });
    function choisir(i, focus, garder) {
      liens.forEach(function (a, j) {
        var actif = i === j;
        a.setAttribute("aria-selected", actif ? "true" : "false");
        a.setAttribute("tabindex", actif ? "0" : "-1");
        panneaux[j].hidden = !actif;
      });
      if (focus) liens[i].focus();
      if (garder && window.history && history.replaceState) history.replaceState(null, "", "#" + panneaux[i].id);
    }
    function depuisAdresse() {
      var cible = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (!cible) return -1;
      for (var i = 0; i < panneaux.length; i++) if (panneaux[i] === cible || panneaux[i].contains(cible)) return i;
      return -1;
    }
    liens.forEach(function (a, i) {
      a.addEventListener("click", function (e) { e.preventDefault(); choisir(i, true, true); });
      a.addEventListener("keydown", function (e) {
        var n = liens.length, j = null;
        if (e.key === "ArrowRight") j = (i + 1) % n;
        else if (e.key === "ArrowLeft") j = (i - 1 + n) % n;
        else if (e.key === "Home") j = 0;
        else if (e.key === "End") j = n - 1;
        else if (e.key === " ") j = i;
        if (j !== null) { e.preventDefault(); choisir(j, true, true); }
      });
    });
    var depart = depuisAdresse();
    choisir(depart === -1 ? 0 : depart, false, false);
    if (depart !== -1) {
      var cible = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (cible && cible !== panneaux[depart]) cible.scrollIntoView();
    }
    window.addEventListener("hashchange", function () {
      var i = depuisAdresse();
      if (i !== -1) choisir(i, false, false);
    });
    nav.classList.add("onglets--actifs");
  }
  document.querySelectorAll("[data-onglets]").forEach(init);
})();
