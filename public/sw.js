// Kefu's service worker: precaches the app shell so Kefu starts with no network.
// The build (scripts/precache.sh, a Trunk post_build hook) fills in the file list and a
// version derived from the files' contents, so every build that changes a byte installs anew.
const BUILD_VERSION = "__KEFU_BUILD_VERSION__";
const PRECACHE = [/* KEFU_PRECACHE_LIST */];
const CACHE = `kefu-shell-${BUILD_VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// A new build waits until the user chooses "reload" (never mid-typing).
self.addEventListener("message", (event) => {
  if (event.data === "kefu-skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is never served from the cache: sync must see the real server or fail.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Every client route is the same shell.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("/index.html")).then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request)).then((cached) => cached || fetch(request)),
  );
});
