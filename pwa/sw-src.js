// Fieldbook's service worker. `build.mjs` turns this into target/site/sw.js: it puts
// the Workbox runtime (copied into the site, never from a CDN) in place of
// __WORKBOX_DIR__ and the list of files to precache in place of the manifest marker.
//
// - The site's files (hashed WASM, JS and CSS, icons, the offline page) are precached.
// - Page navigations go to the network first; after a short wait, or without a
//   network, an /app page the worker has cached is shown as last seen, any other
//   page gets the offline page.
// - Only the pages the signed-in worker's app asked for (My jobs, their jobs for
//   today and the coming days, My time) are cached, refreshed on every visit and
//   every few minutes, and deleted when they sign out or someone else signs in.
// - A new version waits until the page says "reload", so one page never mixes two.
importScripts("/__WORKBOX_DIR__/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/__WORKBOX_DIR__/", debug: false });
importScripts("/offline-queue.js");

const PAGES = "fieldbook-pages";
const OFFLINE_PAGE = "/offline.html";
const NETWORK_TIMEOUT_MS = 4000;
const MAX_PAGES = 40;

workbox.core.setCacheNameDetails({ prefix: "fieldbook" });
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.__WB_MANIFEST);

const isAppPage = (url) => url.origin === self.location.origin && url.pathname.startsWith("/app/");

function fetchWithin(request, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network too slow")), ms);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function cachedPage(url) {
  const cache = await caches.open(PAGES);
  return cache.match(url.href, { ignoreSearch: true, ignoreVary: true });
}

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  async ({ request, url }) => {
    try {
      const response = await fetchWithin(request, NETWORK_TIMEOUT_MS);
      // A page already kept for offline use is refreshed by each visit.
      if (isAppPage(url) && response.ok && !response.redirected && (await cachedPage(url))) {
        const cache = await caches.open(PAGES);
        await cache.put(url.href, response.clone());
      }
      return response;
    } catch (_) {
      const cached = isAppPage(url) ? await cachedPage(url) : undefined;
      if (cached) return cached;
      return (await workbox.precaching.matchPrecache(OFFLINE_PAGE)) ?? Response.error();
    }
  },
);

/** Fetches `pages` into the offline cache and drops every page not among them. */
async function cachePages(pages) {
  const urls = pages
    .map((page) => new URL(page, self.location.origin))
    .filter(isAppPage)
    .slice(0, MAX_PAGES);
  const cache = await caches.open(PAGES);
  await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url.href, { credentials: "same-origin", headers: { Accept: "text/html" } }).catch(
        () => null,
      );
      if (response && response.ok && !response.redirected) await cache.put(url.href, response);
    }),
  );
  const wanted = new Set(urls.map((url) => url.href));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener("message", (event) => {
  if (event.origin && event.origin !== self.location.origin) return;
  const message = event.data || {};
  if (message.type === "skip-waiting") self.skipWaiting();
  else if (message.type === "forget-pages") event.waitUntil(caches.delete(PAGES));
  else if (message.type === "cache-pages" && Array.isArray(message.pages)) event.waitUntil(cachePages(message.pages));
});

// The first version takes over the open page at once; later ones wait for "reload".
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// Background Sync: the browser wakes the worker when the connection is back, even
// with no page open. Only the signed-in user's own changes are sent.
self.addEventListener("sync", (event) => {
  if (event.tag !== "fieldbook-queue") return;
  event.waitUntil(
    (async () => {
      const response = await fetch("/offline/pages.json", { credentials: "same-origin" });
      if (!response.ok) return;
      const { user_id } = await response.json();
      await self.FieldbookQueue.replay(user_id);
      const clients = await self.clients.matchAll({ type: "window" });
      for (const client of clients) client.postMessage({ type: "synced" });
    })(),
  );
});
