/* Repère — French defaults for every Chart.js chart (vendored), loaded right after chart.umd.js:
 * numbers written the French way (« 4 000 », « 0,5 »), no animation. ``RepereGraphiques.entiers``
 * is the axis option for counts (people, rights): whole numbers only, never « 0,2 0,4 0,6 ». */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  Chart.defaults.locale = "fr-FR";
  Chart.defaults.animation = false;
  window.RepereGraphiques = {
    entiers: { beginAtZero: true, ticks: { precision: 0 } },
    euros: function (x) { return x.toLocaleString("fr-FR", { maximumFractionDigits: 0 }) + "\u00a0€"; }
  };
})();
