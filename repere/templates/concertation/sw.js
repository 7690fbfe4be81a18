{% load static %}/* Repère — service worker of the workshop capture (scope /concertation/).
 * Capture pages and their assets are cached so that a fiche can be filled with no network; the items
 * themselves wait in the page's storage (concertation-fiche.js). */
const CACHE = "{{ version }}";
const STATIQUES = ["{% static 'css/repere.css' %}", "{% static 'js/file-hors-ligne.js' %}", "{% static 'js/concertation-fiche.js' %}"];
const PAGE_SAISIE = /^\/concertation\/ateliers\/\d+\/saisie\/$/;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(STATIQUES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys().then((cles) => Promise.all(cles.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (STATIQUES.includes(url.pathname) || (req.mode === "navigate" && PAGE_SAISIE.test(url.pathname))) {
    e.respondWith(
      fetch(req).then((rep) => {
        if (rep.ok && !rep.redirected) { const copie = rep.clone(); caches.open(CACHE).then((c) => c.put(url.pathname, copie)); }
        return rep;
      }).catch(() => caches.match(url.pathname).then((r) => r || new Response(
        "<!DOCTYPE html><html lang=fr><meta charset=utf-8><title>Hors connexion</title><p>Hors connexion : ouvrez une fois cette fiche avec du réseau.</p>",
        { headers: { "Content-Type": "text/html; charset=utf-8" } })))
    );
  }
});
