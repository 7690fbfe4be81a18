/* "Et si mon salaire change ?": fetches the curve of the session's household and draws it with
 * Chart.js (vendored). The same figures are always available as an HTML table (link in the page). */
(function () {
  "use strict";
  var bloc = document.querySelector("[data-courbe]");
  if (!bloc || typeof fetch !== "function") return;
  var statut = bloc.querySelector(".courbe__statut");
  var zone = bloc.querySelector(".courbe__graphique");
  var COULEURS = ["#1f5fbf", "#2e7d32", "#b45309", "#7b1fa2", "#00838f", "#c62828", "#5d4037", "#455a64", "#ad1457", "#33691e", "#6a1b9a", "#0277bd"];
  var euros = window.RepereGraphiques ? window.RepereGraphiques.euros
    : function (x) { return x.toLocaleString("fr-FR", { maximumFractionDigits: 0 }) + "\u00a0€"; };
  statut.textContent = "Calcul de la courbe en cours…";
  fetch(bloc.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (d) {
      if (typeof Chart === "undefined") { statut.textContent = ""; return; }
      var jeux = [{ label: "Total des ressources", data: d.total, borderColor: "#111", backgroundColor: "#111", borderWidth: 3, pointRadius: 0, tension: 0 }];
      d.prestations.forEach(function (p, i) {
        jeux.push({ label: p.libelle, data: p.montants_mensuels, borderColor: COULEURS[i % COULEURS.length], backgroundColor: COULEURS[i % COULEURS.length], borderWidth: 2, pointRadius: 0, borderDash: i % 2 ? [6, 3] : [] , tension: 0 });
      });
      zone.hidden = false;
      new Chart(document.getElementById("graphique-courbe"), {
        type: "line",
        data: { labels: d.salaires.map(euros), datasets: jeux },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          scales: { x: { title: { display: true, text: "Salaire net mensuel" } }, y: { title: { display: true, text: "€ par mois" }, beginAtZero: true, ticks: { callback: function (v) { return euros(v); } } } },
          // Legend under the chart, small boxes: on a phone, above it, it covered the curves.
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } }, tooltip: { callbacks: { label: function (c) { return c.dataset.label + " : " + euros(c.parsed.y); } } } }
        }
      });
      statut.textContent = d.falaises.length
        ? "Attention : " + d.falaises.length + " effet(s) de seuil, par exemple entre " + euros(d.falaises[0].de) + " et " + euros(d.falaises[0].a) + " de salaire (perte de " + euros(d.falaises[0].perte) + ")."
        : "Pas d'effet de seuil : vos ressources augmentent avec le salaire.";
    })
    .catch(function () { statut.textContent = "La courbe n'a pas pu être calculée ; le tableau reste disponible."; });
})();
