// The outbox: finished items go to POST /api/v1/sync in batches of up to 100, each settled by its own result.
// 2xx settles (moved to the receipts); 401 waits for sign-in; 5xx and network failures retry with backoff;
// any other 4xx is kept on the device with its reason, for the shopper to see and export.
// This module runs in the page AND in the service worker (/sw.js sends the outbox on a Background Sync event
// with no window open): it must import nothing that touches the DOM. A window and the worker never send at once:
// every pass holds the Web Lock "shopper-outbox-send", and re-reads the outbox inside it.
import { call, NetworkError, session } from "./api.js";
import { callLogPayload, notesOf } from "./calllog.js";
import { correspondenceFields, openPayload } from "./correspondence.js";
import { t } from "./i18n.js";
import * as store from "./store.js";

const BATCH = 100;
const BATCH_BYTES = 6 * 1024 * 1024; // under the server's 8 MB body limit
const MAX_DELAY_MS = 5 * 60 * 1000;
export const SYNC_TAG = "shopper-outbox";
const LOCK = "shopper-outbox-send";

// confirmed: what this pass settled; retry: the pass ended short of the server (network, 5xx) and should run again;
// background: a send pass the service worker is running, as its messages tell an open window.
export const state = { phase: "idle", done: 0, total: 0, message: "", needsSignIn: false, gateClosed: false, attempt: 0,
  confirmed: [], retry: false, background: null, backgroundPasses: 0 };
// In the service worker: no timers (the browser retries a failed sync event itself).
export const mode = { background: false };
const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
const emit = () => listeners.forEach((fn) => fn(state));

let running = null;
let timer = null;

// The body the server takes: only the contract's fields (unknown fields are refused there).
export function toPayload(item) {
  const answers = {};
  for (const [key, value] of Object.entries(item.answers || {})) {
    if (value === "" || value === undefined) continue; // not answered: the key is left out
    answers[key] = value;
  }
  return {
    uuid: item.uuid, assignment_id: item.assignment_id, kind: item.kind,
    questionnaire_id: item.questionnaire_id, questionnaire_version: item.questionnaire_version,
    started_at: item.started_at, completed_at: item.completed_at, answers,
    notes: notesOf(item), commendation: item.commendation || "", call_log: callLogPayload(item),
    ...correspondenceFields(item),
    ...(item.finished_by ? { finished_by: item.finished_by } : {}),
    ...(item.website ? { website: websitePayload(item.website) } : {}),
    ...(item.kind === "call" && item.derived_answers && Object.keys(item.derived_answers).length ? { derived_answers: item.derived_answers } : {}),
    evidence: (item.evidence || []).map(({ id, kind, content_type, data, taken_at, caption }) =>
      ({ id, kind, content_type, data, taken_at, caption: caption || "" })),
  };
}

// A website shop's log as the server takes it (WebsiteArgs).
function websitePayload(log) {
  const whole = (value) => (value === "" || value === undefined || value === null ? null : Number(value));
  return { start_page: log.start_page || "", found: !!log.found, seconds_to_find: whole(log.seconds_to_find),
    dead_ends: whole(log.dead_ends) ?? 0, dead_end_notes: log.dead_end_notes || "",
    accessibility_problems: log.accessibility_problems || [], accessibility_notes: log.accessibility_notes || "" };
}

// E-mail and letter shops sent and waiting for a reply: each change is kept on the server too
// (PUT /open-reports), so that the reply can be added on another phone. `open_dirty` counts the changes made;
// it is cleared only if no change came while the request was out.
async function sendOpenReports() {
  const open = (await store.all("items")).filter((item) => item.status === "draft" && item.open_dirty && item.sent_at);
  for (const item of open) {
    const result = await call("PUT", `/open-reports/${item.uuid}`, openPayload(item));
    if (result.status === 401) { state.needsSignIn = true; return; }
    if (result.status >= 500 || result.status === 429) throw new NetworkError(`server answered ${result.status}`);
    const now = await store.get("items", item.uuid);
    if (!now || now.open_dirty !== item.open_dirty) continue;
    now.open_dirty = 0;
    now.open_synced = result.status === 200;
    now.open_problem = result.status === 200 ? undefined : (result.data.errors?.replies || [result.data.detail]).join(" ");
    await store.put("items", now);
  }
}

export async function pending() {
  return (await store.all("items")).filter((item) => item.status === "queued");
}

export async function unsentCount() {
  return (await store.all("items")).length;
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(() => sendNow(), delay);
}

function backoff() {
  state.retry = true;
  if (mode.background) return 0;
  requestBackgroundSync(); // should the shopper close the app before the retry, the worker sends when the network returns
  state.attempt += 1;
  const delay = Math.min(MAX_DELAY_MS, 2000 * 2 ** (state.attempt - 1)) * (0.75 + Math.random() / 2);
  schedule(delay);
  return delay;
}

export function sendNow() {
  if (!running) running = withOutboxLock(send).finally(() => { running = null; emit(); });
  return running;
}

// Run fn while no other window or worker of this app sends or clears the outbox. Without Web Locks (older
// browsers: no service-worker sending either) one window's own `running` guard is all there is.
export function withOutboxLock(fn) {
  const locks = self.navigator?.locks;
  return locks ? locks.request(LOCK, () => fn()) : fn();
}

function batches(items) {
  const out = [];
  let current = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(toPayload(item)).length;
    if (current.length && (current.length >= BATCH || size + bytes > BATCH_BYTES)) { out.push(current); current = []; size = 0; }
    current.push(item);
    size += bytes;
  }
  if (current.length) out.push(current);
  return out;
}

async function send() {
  state.confirmed = []; state.retry = false;
  state.background = null; // holding the lock now: no worker pass is running (even one that died without a word)
  if (!state.needsSignIn) {
    try { await sendOpenReports(); } catch (error) { if (!(error instanceof NetworkError)) throw error; }
  }
  const items = await pending();
  if (!items.length) { state.phase = "idle"; state.attempt = 0; emit(); return; }
  if (state.needsSignIn) { state.phase = "waiting"; state.message = t("Sign in again to send."); emit(); return; }
  state.phase = "sending"; state.done = 0; state.total = items.length; state.message = ""; emit();
  try {
    const check = await session(); // the online check: a real request that reaches the server
    if (check.status === 401) return waitForSignIn();
    if (check.status >= 500) throw new NetworkError(`server answered ${check.status}`);
    const owner = await store.getMeta("owner");
    if (check.status === 200 && owner !== undefined && check.data.user?.id !== owner) {
      // Someone else's session in this browser: their account must not send this shopper's work.
      state.phase = "waiting"; state.message = t("Signed in as someone else: this phone's work waits for its shopper."); return;
    }
    for (const batch of batches(items)) {
      const result = await call("POST", "/sync", { submissions: batch.map(toPayload) });
      if (result.status === 401) return waitForSignIn();
      if (result.status === 403 && result.data.code === "gate_incomplete") {
        state.gateClosed = true; state.phase = "waiting"; state.message = t("Pass the gate again to send."); return;
      }
      if (result.status === 413) { await sendOneByOne(batch); continue; }
      if (result.status >= 500 || result.status === 429) throw new NetworkError(`server answered ${result.status}`);
      if (result.status !== 200) throw new NetworkError(`server answered ${result.status} ${result.data.code || ""}`);
      await applyResults(batch, result.data.results || []);
      if (state.needsSignIn) return waitForSignIn();
    }
    state.attempt = 0;
    const left = await pending();
    state.phase = left.length ? "waiting" : "sent";
    state.message = "";
    if (left.length) backoff();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    state.phase = "waiting";
    const delay = backoff();
    state.message = t("Not reached the server; trying again in {s} s.", { s: Math.round(delay / 1000) });
  }
}

async function sendOneByOne(batch) {
  for (const item of batch) {
    const result = await call("PUT", `/submissions/${item.uuid}`, toPayload(item));
    if (result.status === 401) { state.needsSignIn = true; return; }
    if (result.status >= 500) throw new NetworkError(`server answered ${result.status}`);
    await applyResults([item], [{ uuid: item.uuid, status: result.status, code: result.data.code, detail: result.data.detail,
      errors: result.data.errors, submission: result.status < 300 ? result.data : undefined }]);
  }
}

async function applyResults(batch, results) {
  const settled = [];
  for (let i = 0; i < batch.length; i += 1) {
    const item = batch[i];
    const result = results[i] || {};
    if (result.status >= 200 && result.status < 300) settled.push({ item, submission: result.submission || {} });
    else if (result.status === 401) state.needsSignIn = true;
    else if (!result.status || result.status >= 500 || result.status === 429) { /* stays queued: retried */ }
    else {
      item.status = "rejected";
      item.problem = { status: result.status, code: result.code || "", detail: result.detail || "", errors: result.errors || null };
      await store.put("items", item);
    }
  }
  if (settled.length) {
    await store.settle(settled);
    settled.forEach(({ item, submission }) => state.confirmed.push({ uuid: item.uuid, kind: item.kind, title: item.title || "",
      received_at: submission.received_at }));
  }
  state.done += batch.length;
  emit();
}

function waitForSignIn() {
  state.needsSignIn = true;
  state.phase = "waiting";
  state.message = t("Your session has ended. Sign in again to send: nothing is lost.");
  clearTimeout(timer);
}

export function signedInAgain() {
  state.needsSignIn = false;
  state.gateClosed = false;
  state.attempt = 0;
  return sendNow();
}

export function start() {
  addEventListener("online", () => { state.attempt = 0; sendNow(); });
  // A periodic look even without failures: a phone that never fires `online` still sends.
  setInterval(() => { if (!running && state.phase !== "sending") pending().then((p) => p.length && sendNow()); }, 60_000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type === "send-now") sendNow();
      // The worker's own pass: shown in this window while it runs; its end redraws the counts and the outbox.
      else if (data.type === "outbox-progress") { state.background = data.progress; emit(); }
      else if (data.type === "outbox-sent") { state.background = null; state.backgroundPasses += 1; emit(); }
    });
  }
  // A phone put away with work still queued: the worker may send it once the network is back.
  addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") pending().then((p) => p.length && requestBackgroundSync()).catch(() => {});
  });
  registerPeriodicSync();
  return sendNow();
}

// Background Sync where the browser has it (Chromium): an extra on top of the page's own triggers.
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(SYNC_TAG);
  } catch { /* not available: the page's own triggers are enough */ }
}

// Periodic Background Sync (Chromium, an installed app with the permission): a look at the outbox twice a day.
async function registerPeriodicSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    if (!registration?.periodicSync) return;
    const permission = await navigator.permissions.query({ name: "periodic-background-sync" });
    if (permission.state === "granted") await registration.periodicSync.register(SYNC_TAG, { minInterval: 12 * 3600 * 1000 });
  } catch { /* not offered: nothing lost, the other triggers remain */ }
}
