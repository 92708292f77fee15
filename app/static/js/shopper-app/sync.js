// The outbox: finished items go to POST /api/v1/sync in batches of up to 100, each settled by its own result.
// 2xx settles (moved to the receipts); 401 waits for sign-in; 5xx and network failures retry with backoff;
// any other 4xx is kept on the device with its reason, for the shopper to see and export.
import { call, NetworkError, session } from "./api.js";
import * as store from "./store.js";

const BATCH = 100;
const BATCH_BYTES = 6 * 1024 * 1024; // under the server's 8 MB body limit
const MAX_DELAY_MS = 5 * 60 * 1000;

export const state = { phase: "idle", done: 0, total: 0, message: "", needsSignIn: false, gateClosed: false, attempt: 0 };
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
    notes: composeNotes(item), commendation: item.commendation || "",
    evidence: (item.evidence || []).map(({ id, kind, content_type, data, taken_at, caption }) =>
      ({ id, kind, content_type, data, taken_at, caption: caption || "" })),
  };
}

// The call log's own measures have no field in the contract yet: they travel as a fixed line in the notes.
function composeNotes(item) {
  const log = item.callLog;
  if (!log) return item.notes || "";
  const parts = [];
  if (log.rings !== undefined && log.rings !== "") parts.push(`rings to answer: ${log.rings}`);
  if (log.recorded_message) parts.push(`recorded message: ${log.recorded_message}`);
  if (log.outcome) parts.push(`outcome: ${log.outcome}${log.outcome === "abandoned" && log.abandoned_after ? ` after ${log.abandoned_after} min` : ""}`);
  (log.transfers || []).forEach((t, i) => parts.push(`transfer ${i + 1}: ${t.to || "?"}${t.announced ? " (announced)" : ""}`));
  if (log.handle_time !== undefined && log.handle_time !== "") parts.push(`handle time: ${log.handle_time} s`);
  const line = parts.length ? `[call log] ${parts.join("; ")}` : "";
  return [line, item.notes || ""].filter(Boolean).join("\n");
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
  state.attempt += 1;
  const delay = Math.min(MAX_DELAY_MS, 2000 * 2 ** (state.attempt - 1)) * (0.75 + Math.random() / 2);
  schedule(delay);
  return delay;
}

export function sendNow() {
  if (!running) running = send().finally(() => { running = null; emit(); });
  return running;
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
  const items = await pending();
  if (!items.length) { state.phase = "idle"; state.attempt = 0; emit(); return; }
  if (state.needsSignIn) { state.phase = "waiting"; state.message = "Sign in again to send."; emit(); return; }
  state.phase = "sending"; state.done = 0; state.total = items.length; state.message = ""; emit();
  try {
    const check = await session(); // the online check: a real request that reaches the server
    if (check.status === 401) return waitForSignIn();
    if (check.status >= 500) throw new NetworkError(`server answered ${check.status}`);
    for (const batch of batches(items)) {
      const result = await call("POST", "/sync", { submissions: batch.map(toPayload) });
      if (result.status === 401) return waitForSignIn();
      if (result.status === 403 && result.data.code === "gate_incomplete") {
        state.gateClosed = true; state.phase = "waiting"; state.message = "Pass the gate again to send."; return;
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
    state.message = `Not reached the server (${error.message || "offline"}); trying again in ${Math.round(delay / 1000)} s.`;
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
  if (settled.length) await store.settle(settled);
  state.done += batch.length;
  emit();
}

function waitForSignIn() {
  state.needsSignIn = true;
  state.phase = "waiting";
  state.message = "Your session has ended. Sign in again to send: nothing is lost.";
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
    navigator.serviceWorker.addEventListener("message", (event) => { if (event.data?.type === "send-now") sendNow(); });
  }
  return sendNow();
}

// Background Sync where the browser has it (Chromium): an extra on top of the page's own triggers.
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("shopper-outbox");
  } catch { /* not available: the page's own triggers are enough */ }
}
