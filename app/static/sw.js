// The shopper app's service worker: caches the shell only (HTML, CSS, JS modules, icons).
// Briefs, questionnaires, drafts, the outbox and receipts live in IndexedDB, never here,
// so replacing a shell bucket on update can never strand work.
// /app/shell.js sets self.SHELL = {version, urls}; a changed version makes the browser install this worker anew.
importScripts("/app/shell.js");

const PREFIX = "shopper-shell-";
const BUCKET = PREFIX + self.SHELL.version;
const SHELL_URLS = new Set(self.SHELL.urls);

self.addEventListener("install", (event) => {
  // The new bucket is filled completely before this worker may take over; a failed fetch fails the install
  // and the old worker (and its bucket) stays in charge.
  event.waitUntil((async () => {
    const cache = await caches.open(BUCKET);
    await cache.addAll(self.SHELL.urls.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== BUCKET).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const isShellPage = request.mode === "navigate" && url.pathname === "/app";
  if (!isShellPage && !SHELL_URLS.has(url.pathname)) return; // the API and server pages: network only
  event.respondWith((async () => {
    const cache = await caches.open(BUCKET);
    const cached = await cache.match(isShellPage ? "/app" : url.pathname);
    return cached || fetch(request);
  })());
});

// Background Sync (Chromium only) is an extra: the page's own queue sends on start, on `online`, on a timer
// and from "Send now". Here an open app window is asked to send.
self.addEventListener("sync", (event) => {
  if (event.tag !== "shopper-outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => {
    clients.forEach((client) => client.postMessage({ type: "send-now" }));
  }));
});
