// Service worker placeholder: registers, takes control, caches nothing yet.
// The shopper app issue fills this in; briefs and drafts will live in IndexedDB, not here.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
