// The shopper app's service worker (a module worker: register("/sw.js", {type: "module"})).
// 1. The shell cache (/static/sw-shell.js, shared with the classic fallback /sw-classic.js).
// 2. Background sending: on a Background Sync or Periodic Background Sync event (Chromium only) this worker sends
//    the outbox itself with the page's own code (sync.js, decisions.js, store.js, api.js: none of them may touch
//    the DOM, tests/shopper_app/test_worker.py checks), so work captured offline reaches the
//    server when the network returns even if the shopper has closed the app. The page's queue stays the main
//    path (SPEC §3.5): start, `online`, a timer, "Send now"; browsers without these events lose nothing.
// /app/shell.js sets self.SHELL = {version, urls}; a changed version makes the browser install this worker anew.
import "/app/shell.js";
import "/static/sw-shell.js";
import * as decisions from "/static/js/shopper-app/decisions.js";
import * as store from "/static/js/shopper-app/store.js";
import * as sync from "/static/js/shopper-app/sync.js";

sync.mode.background = true;
// What the worker sent while no window was showing: read (and dismissed) by the page the next time it opens.
const REPORT = "backgroundReport";

async function windows() {
  return self.clients.matchAll({ type: "window" });
}

async function tell(message) {
  (await windows()).forEach((client) => client.postMessage(message));
}

sync.onChange((state) => {
  if (state.phase === "sending") tell({ type: "outbox-progress", progress: { done: state.done, total: state.total } });
});

// Add what was confirmed to the report, in one transaction so two passes never lose each other's lines. Two events
// that arrive during one pass share it (sync.sendNow), so both report the same items: each is listed once.
function remember(confirmed) {
  return store.tx(["meta"], "readwrite", (s) => new Promise((resolve, reject) => {
    const request = s.meta.get(REPORT);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const earlier = request.result?.confirmed || [];
      const listed = new Set(earlier.map((line) => line.uuid));
      const fresh = confirmed.filter((line) => !listed.has(line.uuid));
      s.meta.put({ at: new Date().toISOString(), confirmed: [...earlier, ...fresh] }, REPORT);
      resolve();
    };
  }));
}

// One pass under the outbox lock (sync.sendNow takes it). The CSRF token comes from GET /api/v1/session inside
// the pass; the session cookie goes with every same-origin fetch. 401: everything stays queued and the page asks
// for sign-in when it next opens. A pass that did not reach the server fails the event, so the browser retries.
async function sendInBackground(lastChance) {
  Object.assign(sync.state, { needsSignIn: false, gateClosed: false, attempt: 0 });
  let failed = null;
  try {
    await sync.sendNow();
    await decisions.sendNow(); // answers to offers queued offline: same lock, same session
  } catch (error) {
    failed = error; // storage full or missing: nothing was marked sent; the page says why when it opens
  }
  const { confirmed, retry, needsSignIn, gateClosed } = sync.state;
  const open = await windows();
  if (confirmed.length && !open.some((client) => client.visibilityState === "visible")) await remember(confirmed);
  await tell({ type: "outbox-sent", confirmed: confirmed.length, needsSignIn, gateClosed });
  if (failed) throw failed;
  if (retry && !lastChance) throw new Error("The outbox did not reach the server; the browser will try again.");
}

self.addEventListener("sync", (event) => {
  if (event.tag === sync.SYNC_TAG) event.waitUntil(sendInBackground(event.lastChance));
});

self.addEventListener("periodicsync", (event) => {
  if (event.tag === sync.SYNC_TAG) event.waitUntil(sendInBackground(true));
});
