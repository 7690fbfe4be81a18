/* Map of the directory's results (progressive enhancement: the list holds the same information).
 * Reads the JSON of <script id="donnees-carte">: {points: [{id, nom, structure, lat, lon, url, distance}],
 * contours: [{nom, role, geometrie}], tuiles: "" or a tile URL template, attribution, centre: [lat, lon]}.
 * Without a tile URL, the commune and EPCI outlines stored in Repère are the background.
 */
(function () {
  "use strict";
  var noeud = document.getElementById("donnees-carte");
  var bloc = document.getElementById("carte-annuaire");
  if (!noeud || !bloc || !window.L) return;
  var d = JSON.parse(noeud.textContent);
  var carte = L.map(bloc, { scrollWheelZoom: false, maxZoom: 18 });
  if (d.tuiles) {
    L.tileLayer(d.tuiles, { attribution: d.attribution || "", maxZoom: 19 }).addTo(carte);
  }
  var limites = L.latLngBounds([]);
  (d.contours || []).forEach(function (c) {
    var couche = L.geoJSON(c.geometrie, {
      style: c.role === "epci"
        ? { color: "#4a5361", weight: 1, fillColor: "#f4f6f8", fillOpacity: 0.6, dashArray: "4 4" }
        : { color: "#1c4f8a", weight: 2, fillColor: "#e6eef7", fillOpacity: 0.5 },
      interactive: false
    }).addTo(carte);
    limites.extend(couche.getBounds());
  });
  var groupe = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
  (d.points || []).forEach(function (p) {
    var m = L.marker([p.lat, p.lon], { title: p.nom, alt: p.nom, keyboard: true });
    var contenu = document.createElement("div");
    var lien = document.createElement("a");
    lien.href = p.url;
    lien.textContent = p.nom;
    contenu.appendChild(lien);
    var info = document.createElement("div");
    info.textContent = p.structure + (p.distance !== null ? " — " + String(p.distance).replace(".", ",") + " km" : "");
    contenu.appendChild(info);
    m.bindPopup(contenu);
    groupe.addLayer(m);
    limites.extend([p.lat, p.lon]);
  });
  if (limites.isValid()) {
    carte.fitBounds(limites, { padding: [20, 20], maxZoom: 14 });
  } else if (d.centre) {
    carte.setView(d.centre, 11);
  } else {
    carte.setView([46.6, 2.4], 5);
  }
  groupe.addTo(carte); // after the view is set: the cluster group needs a zoom level
})();
