// E-mail and letter shops between sending and finishing: what the phone sends to keep the open report on the
// server (so the reply can be added on any phone), and the programme's wait for a reply in working days.
// No DOM here: sync.js imports this module, and sync.js also runs in the service worker.

export const isCorrespondence = (item) => item.kind === "email" || item.kind === "letter";

// The body of PUT /open-reports/<uuid> (OpenReportArgs): the draft without what only a finished report has.
export function openPayload(item) {
  const answers = {};
  for (const [key, value] of Object.entries(item.answers || {})) if (value !== "" && value !== undefined) answers[key] = value;
  return {
    uuid: item.uuid, assignment_id: item.assignment_id, kind: item.kind,
    questionnaire_id: item.questionnaire_id, questionnaire_version: item.questionnaire_version,
    started_at: item.started_at, answers, notes: item.notes || "", commendation: item.commendation || "",
    evidence: (item.evidence || []).map(({ id, kind, content_type, data, taken_at, caption }) =>
      ({ id, kind, content_type, data, taken_at, caption: caption || "" })),
    ...correspondenceFields(item),
  };
}

// The fields of an e-mail or letter shop, as SubmissionArgs takes them.
export function correspondenceFields(item) {
  if (!isCorrespondence(item)) return {};
  return {
    sent_at: item.sent_at || null,
    sent_to: item.sent_to || null,
    sent_from: item.kind === "email" ? item.sent_from || null : null,
    replies: (item.replies || []).map(({ received_at, via, summary, from_role, covers_question }) =>
      ({ received_at, via, summary: summary || "", from_role: from_role || "", covers_question: covers_question || null })),
  };
}

// A day as "YYYY-MM-DD" on the programme's clock (the phone's if the zone is unknown).
export function dayIn(moment, timeZone) {
  const date = new Date(moment);
  try { return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date); } catch {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }
}

// The last day a reply is in time: the Nth working day (Monday to Friday, not a bank holiday) after the day
// it was sent. As app/programmes/calendar.py counts it.
export function lastDayToReply(sentAt, wait, timeZone) {
  const holidays = new Set(wait?.bank_holidays || []);
  let left = wait?.working_days ?? 10;
  const day = new Date(`${dayIn(sentAt, timeZone)}T12:00:00Z`);
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && !holidays.has(iso)) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}

export const waitPassed = (item, wait, timeZone, now = new Date()) =>
  !!item.sent_at && dayIn(now, timeZone) > lastDayToReply(item.sent_at, wait, timeZone);
