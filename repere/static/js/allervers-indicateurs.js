/* Repère — charts of the indicators report (Chart.js, vendored). The tables next to each chart
 * carry the same figures for screen readers and print. */
(function () {
  "use strict";
  var source = document.getElementById("donnees-graphiques");
  if (!source || typeof Chart === "undefined") return;
  var d = JSON.parse(JSON.parse(source.textContent));
  var couleurs = ["#1c4f8a", "#7a4b00", "#1d6b38", "#b3261e"];
  var entiers = window.RepereGraphiques ? window.RepereGraphiques.entiers : { beginAtZero: true, ticks: { precision: 0 } };
  var b = document.getElementById("graphique-besoins");
  if (b && d.besoins && d.besoins.libelles.length) {
    new Chart(b, { type: "bar", data: { labels: d.besoins.libelles, datasets: [{ label: "Contacts", data: d.besoins.valeurs, backgroundColor: couleurs[0] }] },
      options: { indexAxis: "y", scales: { x: entiers }, plugins: { legend: { display: false } } } });
  }
  var r = document.getElementById("graphique-droits");
  if (r && d.droits && d.droits.libelles.length) {
    new Chart(r, { type: "bar", data: { labels: d.droits.libelles,
      datasets: d.droits.series.map(function (s, i) { return { label: s.nom, data: s.valeurs, backgroundColor: couleurs[i % 4] }; }) },
      options: { scales: { y: entiers } } });
  }
})();
