/* Keeps the check-in page and its scripts for a phone that loses its connection.
 *
 * Network first, the copy kept otherwise: pages under /events/admin/<id>/checkin and the
 * static files they use. Nothing else is kept, and nothing is sent from here (the page's own
 * queue sends the check-ins).
 */
"use strict";
var CACHE = "consult-checkin-v1";

function kept(url) {
  return /\/events\/admin\/\d+\/checkin(\/participants)?$/.test(url.pathname) ||
    url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !kept(url)) return;
  event.respondWith(
    fetch(event.request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(event.request).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
