// Register the service worker from the site root so its scope covers every page.
// /sw.js is a module worker: it sends the outbox itself on a Background Sync event. A browser without module
// service workers (Firefox before 147, Safari before 15) rejects it (it either refuses the type or fails on the
// `import`); it gets the classic /sw-classic.js instead, which caches the shell and leaves sending to the page.
// updateViaCache "none": the worker's imported scripts are always checked against the server, never the HTTP cache.
if ("serviceWorker" in navigator) {
  const options = { scope: "/", updateViaCache: "none" };
  navigator.serviceWorker.register("/sw.js", { ...options, type: "module" })
    .catch(() => navigator.serviceWorker.register("/sw-classic.js", options))
    .catch((error) => console.warn("Service worker not registered:", error));
}
