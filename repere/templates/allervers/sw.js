{% load static %}/* Repère — service worker of the outreach module (scope /aller-vers/).
 * Capture pages and their assets are cached so that contacts can be entered with no network;
 * contacts themselves are kept in the page's storage (allervers-file.js), never here.
 * Only capture pages are cached: they hold no personal data. */
const CACHE = "{{ version }}";
const STATIQUES = [
  "{% static 'css/repere.css' %}",
  "{% static 'css/allervers.css' %}",
  "{% static 'js/file-hors-ligne.js' %}",
  "{% static 'js/allervers-file.js' %}",
  "{% static 'js/allervers-saisie.js' %}",
];
const PAGE_SAISIE = /^\/aller-vers\/campagnes\/\d+\/saisie\/$/;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(STATIQUES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches.keys()
      .then((cles) => Promise.all(cles.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The capture page asks to be cached as soon as the worker controls it (first visit online).
self.addEventListener("message", (e) => {
  const d = e.data || {};
  if (d.type === "cacher" && PAGE_SAISIE.test(d.url)) {
    e.waitUntil(caches.open(CACHE).then((c) => c.add(d.url)).then(() => {
      if (e.source) e.source.postMessage({ type: "cache", url: d.url });
    }));
  }
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (STATIQUES.includes(url.pathname)) {
    // Network first, cache as fallback: assets stay fresh online and available offline.
    e.respondWith(
      fetch(req).then((rep) => {
        if (rep.ok) { const copie = rep.clone(); caches.open(CACHE).then((c) => c.put(url.pathname, copie)); }
        return rep;
      }).catch(() => caches.match(url.pathname))
    );
    return;
  }
  if (req.mode === "navigate" && PAGE_SAISIE.test(url.pathname)) {
    e.respondWith(
      fetch(req).then((rep) => {
        if (rep.ok && !rep.redirected) { const copie = rep.clone(); caches.open(CACHE).then((c) => c.put(url.pathname, copie)); }
        return rep;
      }).catch(() => caches.match(url.pathname).then((r) => r || new Response(
        "<!DOCTYPE html><html lang=fr><meta charset=utf-8><title>Hors connexion</title><p>Hors connexion : cette page de saisie n'a pas encore été ouverte sur cet appareil. Ouvrez-la une fois avec du réseau.</p>",
        { headers: { "Content-Type": "text/html; charset=utf-8" } }
      )))
    );
  }
});
