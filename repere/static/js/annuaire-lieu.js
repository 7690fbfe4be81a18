/* Structure and service forms: place the reception point on a Leaflet map (progressive enhancement:
 * without it, the address and commune are enough and the commune's centre is used).
 * Reads/writes the hidden inputs id_latitude / id_longitude; follows the address and commune choices
 * of the autocompletes ("autocomplete:choix" events); draws the commune's outline when it is stored. */
(function () {
  "use strict";
  var bloc = document.querySelector("[data-lieu]");
  var noeud = document.getElementById("carte-lieu");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var code = document.getElementById("id_code_insee");
  var etat = document.getElementById("carte-lieu-etat");
  if (!bloc || !noeud || !lat || !lon || !window.L) return;
  var carte = null, repere = null, contour = null;

  function ecrire(point) {
    lat.value = point.lat.toFixed(6);
    lon.value = point.lng.toFixed(6);
    etat.textContent = "Point placé.";
  }
  function placer(point, centrer) {
    if (!carte) return;
    if (!repere) {
      repere = L.marker(point, { draggable: true, keyboard: true, title: "Lieu d'accueil", alt: "Lieu d'accueil" }).addTo(carte);
      repere.on("dragend", function () { ecrire(repere.getLatLng()); });
    } else {
      repere.setLatLng(point);
    }
    if (centrer) carte.setView(point, Math.max(carte.getZoom(), 15));
  }
  function dessinerCommune(codeInsee) {
    if (!carte || !codeInsee) return;
    fetch("/api/v1/territoires/commune/" + encodeURIComponent(codeInsee) + "/contour")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        if (contour) carte.removeLayer(contour);
        contour = L.geoJSON(d, { style: { color: "#1c4f8a", weight: 2, fillOpacity: 0.1 }, interactive: false }).addTo(carte);
        if (!lat.value) carte.fitBounds(contour.getBounds());
      })
      .catch(function () {});
  }
  function initialiser() {
    if (carte) return;
    carte = L.map(noeud, { scrollWheelZoom: false, maxZoom: 19 });
    if (bloc.dataset.tuiles) L.tileLayer(bloc.dataset.tuiles, { attribution: bloc.dataset.attribution || "", maxZoom: 19 }).addTo(carte);
    if (lat.value && lon.value) {
      carte.setView([parseFloat(lat.value), parseFloat(lon.value)], 15);
      placer([parseFloat(lat.value), parseFloat(lon.value)], false);
    } else {
      carte.setView([46.6, 2.4], 5);
    }
    dessinerCommune(code && code.value);
    carte.on("click", function (e) { placer(e.latlng, false); ecrire(e.latlng); });
  }
  var details = noeud.closest("details");
  if (details) {
    details.addEventListener("toggle", function () { if (details.open) { initialiser(); carte.invalidateSize(); } });
    if (details.open) initialiser();
  } else {
    initialiser();
  }
  document.addEventListener("autocomplete:choix", function (e) {
    var t = e.detail || {};
    if (t.latitude !== undefined && t.latitude !== null) {
      if (details && !details.open) details.open = true;
      initialiser();
      placer([t.latitude, t.longitude], true);
      etat.textContent = "Point placé à l'adresse choisie ; déplacez-le si besoin.";
    } else if (t.type === "commune") {
      dessinerCommune(t.code);
    }
  });
})();
