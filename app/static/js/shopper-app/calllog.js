// A telephone shop's call log: what the draft holds (every value as the shopper gave it, in item.call_log) and
// the `call_log` object the server takes (SubmissionArgs.call_log). No DOM here: sync.js imports this module,
// and sync.js also runs in the service worker.
import { t } from "./i18n.js";

export const OUTCOMES = () => [
  ["resolved", t("Resolved: my question was answered")],
  ["redirected", t("Redirected to another council, service or number")],
  ["call_back_promised", t("A call back was promised")],
  ["unresolved", t("Not resolved")],
  ["abandoned", t("Abandoned: I gave up")],
];
// Outcomes of a call someone handled: it has a handle time (talk plus hold).
export const HANDLED = new Set(["resolved", "call_back_promised", "unresolved"]);

const blank = (value) => value === undefined || value === null || value === "";
const number = (value) => (blank(value) ? null : Number(value));

// Whether the shopper has started the call log (an untouched one is not sent).
export function started(log) {
  if (!log) return false;
  return Object.entries(log).some(([key, value]) => (key === "transfers" ? (value || []).length > 0 : !blank(value)));
}

// What is missing or contradictory, as [{key, text}] for the capture's error summary (key: the field's data-key).
export function problems(log) {
  if (!started(log)) return [];
  const out = [];
  const need = (key, text) => out.push({ key: `call_log.${key}`, text });
  if (blank(log.dialled_at)) need("dialled_at", t("Call log: when you dialled"));
  if (log.answered === undefined) need("answered", t("Call log: whether a person answered"));
  else if (log.answered && blank(log.seconds_to_answer)) need("seconds_to_answer", t("Call log: seconds until a person answered"));
  if (log.message_heard === undefined) need("message_heard", t("Call log: whether you heard a recorded message"));
  if (blank(log.outcome)) need("outcome", t("Call log: the outcome of the call"));
  if (log.outcome === "abandoned" && blank(log.abandoned_after_minutes)) need("abandoned_after_minutes", t("Call log: after how many minutes you gave up"));
  if (HANDLED.has(log.outcome) && blank(log.handle_time_seconds)) need("handle_time_seconds", t("Call log: the handle time (talk plus hold)"));
  (log.transfers || []).forEach((t, i) => { if (blank(String(t.to ?? "").trim())) need(`transfer-${i}`, t("Call log: who transfer {n} put you through to", { n: i + 1 })); });
  if (log.answered === false && (log.transfers || []).length) need("answered", t("Call log: a call no one answered has no transfers"));
  if (log.answered === false && HANDLED.has(log.outcome)) need("outcome", t("Call log: a call no one answered can only be redirected (by its message) or abandoned"));
  return out;
}

// The contract's call_log for this item, or null (no call log, or one never started).
export function callLogPayload(item) {
  const log = item.call_log;
  if (!started(log)) return null;
  const dialled = new Date(log.dialled_at); // a datetime-local value: the phone's local time
  const heard = log.message_heard;
  return {
    dialled_at: Number.isNaN(dialled.getTime()) ? log.dialled_at : dialled.toISOString(),
    seconds_to_answer: log.answered === false ? null : number(log.seconds_to_answer),
    rings: number(log.rings),
    recorded_message: heard
      ? { heard: true, gave_name: !!log.gave_name, gave_hours: !!log.gave_hours, gave_alternative: !!log.gave_alternative,
          comment: log.message_comment || "" }
      : { heard },
    transfers: (log.transfers || []).map((t) => ({ to: t.to ?? "", announced: !!t.announced, seconds_waiting: number(t.seconds_waiting) })),
    outcome: log.outcome,
    abandoned_after_minutes: log.outcome === "abandoned" ? number(log.abandoned_after_minutes) : null,
    handle_time_seconds: number(log.handle_time_seconds),
  };
}

// A call captured before the call log had its own field kept its measures as a "[call log]" line in the notes
// (item.callLog): such an item, still on a phone, is sent as it was then, so that nothing it recorded is lost.
export function notesOf(item) {
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
