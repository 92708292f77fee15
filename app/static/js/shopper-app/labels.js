// The words for every code the server sends (states, channels, kinds, flags, call outcomes) and durations as
// minutes and seconds: the same wording as the coordinator's pages (app/labels.py), in the shopper's language.
import { t } from "./i18n.js";

const tables = () => ({
  channel: { in_person: t("In person"), exit_interview: t("Exit interview"), telephone: t("Telephone"),
    email: t("E-mail"), letter: t("Letter"), website: t("Website") },
  kind: { visit: t("In-person visit"), exit_interview: t("Exit interview"), call: t("Telephone shop"),
    email: t("E-mail shop"), letter: t("Letter shop"), website: t("Website check"), decision: t("Answer to an offer") },
  assignment_state: { offered: t("Offered"), accepted: t("Accepted"), submitted: t("Submitted"),
    in_review: t("Being reviewed"), approved: t("Approved"), returned: t("Returned for changes"),
    declined: t("Declined"), withdrawn: t("Withdrawn"), cancelled: t("Cancelled") },
  submission_state: { submitted: t("Submitted"), in_review: t("Being reviewed"), approved: t("Approved"),
    returned: t("Returned for changes"), rejected: t("Rejected") },
  flag: {
    late: t("Late: completed after the assignment's window closed"),
    early: t("Early: started before the assignment's window opened"),
    assignment_withdrawn: t("The assignment had been withdrawn"),
    assignment_cancelled: t("The assignment had been cancelled"),
    assignment_declined: t("The assignment had been declined"),
    second_report: t("A second report for the same assignment"),
    clock_skew: t("The device clock was far from the server's"),
    imported: t("Imported by a coordinator from the shopper's file of unsent work"),
  },
  outcome: { resolved: t("Resolved"), redirected: t("Redirected"), call_back_promised: t("Call back promised"),
    unresolved: t("Not resolved"), abandoned: t("Abandoned (the shopper gave up)") },
});

export const NONE = "—";

// A code with no entry reads as its words ("new_thing" -> "New thing"), never as the raw code.
const words = (code) => {
  const text = String(code).replaceAll("_", " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : NONE;
};

export function label(table, code) {
  if (code === null || code === undefined || code === "") return NONE;
  return tables()[table]?.[code] || words(code);
}

// "45 s", "4 min 05 s", "1 h 03 min" (two digits after the first unit, so "4 min 5 s" is not read as 4.5).
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return NONE;
  const whole = Math.round(Number(seconds));
  if (whole < 0) return "-" + duration(-whole);
  const two = (n) => String(n).padStart(2, "0");
  if (whole >= 3600) return t("{h} h {min} min", { h: Math.floor(whole / 3600), min: two(Math.floor((whole % 3600) / 60)) });
  if (whole >= 60) return t("{min} min {s} s", { min: Math.floor(whole / 60), s: two(whole % 60) });
  return t("{s} s", { s: whole });
}
