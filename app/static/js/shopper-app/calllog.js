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
  return Object.entries(log).some(([key, value]) => (key === "transfers" || key === "taps" ? (value || []).length > 0 : !blank(value)));
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
    taps: (log.taps || []).map(({ event, at }) => ({ event, at })),
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

// A call log as the server keeps it (callLogPayload's shape), as the capture's fields hold it: a returned report
// fixed on a phone that never held its draft.
export function draftCallLog(log) {
  const message = log.recorded_message || {};
  return {
    dialled_at: log.dialled_at, answered: log.seconds_to_answer !== null, seconds_to_answer: log.seconds_to_answer ?? "",
    rings: log.rings ?? "", message_heard: message.heard, gave_name: message.gave_name, gave_hours: message.gave_hours,
    gave_alternative: message.gave_alternative, message_comment: message.comment || "",
    transfers: (log.transfers || []).map((t) => ({ ...t, seconds_waiting: t.seconds_waiting ?? "" })),
    outcome: log.outcome, abandoned_after_minutes: log.abandoned_after_minutes ?? "", handle_time_seconds: log.handle_time_seconds ?? "",
  };
}

// The call screen: one tap per moment of the call, timestamped on the phone. What the taps say is derived here,
// so that waiting, talk time, transfers and giving up come from the clock, not from memory.
export const tapLabels = () => [
  ["dialled", t("Dialled")], ["answered_person", t("A person answered")], ["answered_message", t("A recorded message answered")],
  ["transferred", t("Transferred")], ["hold", t("Put on hold")], ["resumed", t("Back from hold")],
  ["resolved", t("Resolved")], ["gave_up", t("Gave up")], ["ended", t("Call ended")],
];
export const tapLabel = (event) => Object.fromEntries(tapLabels())[event] || t("A moment of the call");

const seconds = (from, to) => Math.max(0, Math.round((new Date(to) - new Date(from)) / 1000));

// What the taps tell: the call log's measures, and the answers they give (by question key: the keys the
// programme's telephone questionnaires use).
export function fromTaps(taps) {
  const dialled = taps.find((t) => t.event === "dialled");
  if (!dialled) return null;
  const after = taps.slice(taps.indexOf(dialled));
  const person = after.find((t) => t.event === "answered_person");
  const end = after.find((t) => t.event === "ended") || after[after.length - 1];
  let hold = 0, holdFrom = null;
  for (const tap of after) {
    if (tap.event === "hold" && holdFrom === null) holdFrom = tap.at;
    else if ((tap.event === "resumed" || tap.event === "ended") && holdFrom !== null) { hold += seconds(holdFrom, tap.at); holdFrom = null; }
  }
  const transfers = after.map((tap, i) => [tap, i]).filter(([tap]) => tap.event === "transferred").map(([tap, i]) => {
    const next = after.slice(i + 1).find((t) => t.event === "answered_person");
    return { seconds_waiting: next ? seconds(tap.at, next.at) : "" };
  });
  const gaveUp = after.find((t) => t.event === "gave_up");
  const log = {
    dialled_at: dialled.at, answered: !!person, seconds_to_answer: person ? seconds(dialled.at, person.at) : "",
    message_heard: after.some((t) => t.event === "answered_message"), transfers,
  };
  if (gaveUp) Object.assign(log, { outcome: "abandoned", abandoned_after_minutes: Math.max(1, Math.ceil(seconds(dialled.at, gaveUp.at) / 60)) });
  else if (after.some((t) => t.event === "resolved")) log.outcome = "resolved";
  const handle = person && end !== person ? seconds(person.at, end.at) : null;
  if (handle !== null && !gaveUp) log.handle_time_seconds = handle;
  const answers = {
    answer_wait: person ? seconds(dialled.at, person.at) : undefined,
    call_result: person ? "person" : log.message_heard ? "voicemail" : gaveUp ? "gave_up" : "no_answer",
    transfers: transfers.length,
    hold_time: person ? hold : undefined,
    talk_time: handle !== null ? Math.max(0, handle - hold) : undefined,
  };
  return { log, answers: Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined)) };
}
