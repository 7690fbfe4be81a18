/* Choropleth of the observatory (progressive enhancement: the table below holds the same values).
 * Reads the GeoJSON at data-geojson: each feature has properties {niveau, code, nom, etat, texte, couleur};
 * secret cells are hatched, « non disponible » cells grey; a click (or Enter) opens the portrait, or the
 * commune's IRIS map when its IRIS outlines are loaded (property zoom_iris).
 */
(function () {
  "use strict";
  var bloc = document.getElementById("carte-observatoire");
  if (!bloc || !window.L) return;
  var carte = L.map(bloc, { scrollWheelZoom: false, maxZoom: 14 });
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", "0"); svg.setAttribute("height", "0"); svg.setAttribute("aria-hidden", "true");
  svg.innerHTML = '<defs><pattern id="hachures-secret" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#444" stroke-width="2"/></pattern></defs>';
  document.body.appendChild(svg);
  function style(f) {
    var p = f.properties;
    var zone = "zone-" + p.niveau + "-" + p.code;
    if (p.etat === "secret") return { color: "#555", weight: 0.6, fillColor: "#ffffff", fillOpacity: 1, className: "zone-secret " + zone };
    if (p.etat === "nd" || !p.couleur) return { color: "#777", weight: 0.6, fillColor: "#d9d9d9", fillOpacity: 1, className: zone };
    return { color: "#333", weight: 0.6, fillColor: p.couleur, fillOpacity: 0.9, className: zone };
  }
  fetch(bloc.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (r) { return r.json(); })
    .then(function (d) {
      var couche = L.geoJSON(d, {
        style: style,
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(p.nom + " : " + p.texte, { sticky: true });
          l.on("click", function () {
            // A commune whose IRIS outlines are loaded zooms to its IRIS; any other territory opens its portrait.
            if (p.zoom_iris && bloc.dataset.zoom) {
              window.location.href = bloc.dataset.zoom.replace("CODE", encodeURIComponent(p.code));
              return;
            }
            window.location.href = bloc.dataset.portrait.replace("NIVEAU", p.niveau).replace("CODE", encodeURIComponent(p.code));
          });
        }
      }).addTo(carte);
      document.querySelectorAll("path.zone-secret").forEach(function (el) { el.setAttribute("fill", "url(#hachures-secret)"); });
      if (couche.getBounds().isValid()) carte.fitBounds(couche.getBounds(), { padding: [10, 10] });
      bloc.setAttribute("data-pret", "1");
    })
    .catch(function () {
      bloc.textContent = "La carte n'a pas pu être chargée ; le tableau ci-dessous contient les mêmes valeurs.";
    });
})();
