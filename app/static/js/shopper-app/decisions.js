// A shopper's answer to an offer (accept / decline), made online or offline, never lost.
// Each answer is an item of the IndexedDB "items" store with kind "decision", so that it counts as unsent work
// (the unsent count, the sign-out refusal and the export all see it) while sync.js, which sends only items with
// status "queued", leaves it alone. This module sends them, oldest first, to
// POST /api/v1/assignments/{id}/accept|decline. The server answers a replayed answer with 200, so a decision
// sent twice (a lost response, a second tab) is harmless.
// 2xx settles (the item goes); 401, 403 gate_incomplete, 429, 5xx and network failures wait for the next try;
// any other 4xx (409 not_offered / not_declinable, 403 not_yours, 404, 422) stays on the phone, shown with why,
// until the shopper dismisses it.
import { call, NetworkError, session } from "./api.js";
import { t } from "./i18n.js";
import * as store from "./store.js";

export const KIND = "decision";
const PENDING = "decision";
const RETRY_MS = 60_000;
// The outbox's Web Lock (sync.js): a sign-out that clears the phone never runs while an answer is being settled.
const LOCK = "shopper-outbox-send";

export const isDecision = (item) => item?.kind === KIND;
export const decisionsOf = (items, assignmentId) =>
  items.filter((i) => isDecision(i) && (assignmentId === undefined || i.assignment_id === assignmentId));

let running = null;
let onSettled = () => {};
const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
const emit = () => listeners.forEach((fn) => fn());

// Queue an answer and try to send it at once. `choice`: {decision: "accept"} or
// {decision: "decline", reason_code, reason}. Resolves with the stored item (sent or not).
export async function queue(brief, choice) {
  const name = brief.contact_point?.name || t("Assignment {id}", { id: brief.id });
  const item = {
    uuid: crypto.randomUUID(), kind: KIND, status: PENDING, assignment_id: brief.id, created_at: new Date().toISOString(),
    title: (choice.decision === "accept" ? t("Accept: {name}", { name }) : t("Decline: {name}", { name })),
    decision: choice.decision, reason_code: choice.reason_code || null, reason: choice.reason || "",
  };
  await store.put("items", item);
  emit();
  sendNow();
  return item;
}

export async function dismiss(item) {
  await store.del("items", item.uuid);
  emit();
}

const pending = async () => (await store.all("items"))
  .filter((i) => isDecision(i) && i.status === PENDING)
  .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));

export function sendNow() {
  if (!running) {
    const locks = self.navigator?.locks;
    running = (locks ? locks.request(LOCK, send) : send()).catch(() => 0).finally(() => { running = null; });
  }
  return running;
}

function request(item) {
  const path = `/assignments/${item.assignment_id}/${item.decision}`;
  return call("POST", path, item.decision === "accept" ? {} : { reason_code: item.reason_code, reason: item.reason });
}

// One pass; resolves with the number settled (sent, or kept with the server's refusal).
async function send() {
  const items = await pending();
  if (!items.length) return 0;
  let settled = 0;
  try {
    const check = await session(); // reaches the server (not a cache) and refreshes the CSRF token
    if (check.status !== 200) return 0; // signed out (the app asks to sign in again) or the server is failing
    for (const queued of items) {
      const item = await store.get("items", queued.uuid); // dismissed or signed out meanwhile?
      if (!item || item.status !== PENDING) continue;
      let result = await request(item);
      if (result.status === 400 && result.data.code === "csrf_failed") { await session(); result = await request(item); }
      const { status, data } = result;
      if (status >= 200 && status < 300) {
        await store.del("items", item.uuid);
      } else if (status === 401 || status === 429 || status >= 500 || (status === 400 && data.code === "csrf_failed")
                 || (status === 403 && data.code === "gate_incomplete")) {
        break; // not now: kept, tried again later, in order
      } else {
        item.status = "rejected";
        item.problem = { status, code: data.code || "", detail: data.detail || "", errors: data.errors || null };
        await store.put("items", item);
      }
      settled += 1;
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
  }
  if (settled) { emit(); await onSettled(); }
  return settled;
}

// Send on start, when the connection returns, and on a timer; `settled` runs after any answer is settled
// (the app then reloads the briefs: a declined or withdrawn brief leaves the list).
export function start(settled) {
  onSettled = settled || onSettled;
  addEventListener("online", () => sendNow());
  setInterval(() => sendNow(), RETRY_MS);
  return sendNow();
}

// What the brief view and the outbox say about an answer on this phone.
export function describe(item) {
  const accepted = item.decision === "accept";
  if (item.status === PENDING) {
    return accepted ? t("You accepted this offer on this phone. It is sent as soon as there is a connection.")
      : t("You declined this assignment on this phone. It is sent as soon as there is a connection.");
  }
  const reason = item.problem?.detail || t("the server refused it");
  return accepted ? t("You accepted this offer, but the server did not take it ({reason}).", { reason })
    : t("You declined this assignment, but the server did not take it ({reason}).", { reason });
}
