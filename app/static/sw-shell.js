// The shell cache of the shopper app's service worker, shared by the module worker (/sw.js) and the classic
// fallback (/sw-classic.js) for browsers without module service workers. A plain script: no import or export,
// so both `importScripts` and `import` can load it. It expects self.SHELL = {version, urls} from /app/shell.js.
//
// Only the shell lives here (HTML, CSS, JS modules, icons). Briefs, questionnaires, drafts, the outbox and
// receipts live in IndexedDB, never in Cache Storage, so replacing a shell bucket on update can never strand work.
(() => {
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
})();
