// The app's views other than the gate and capture: sign-in, my briefs, one brief, the outbox, the account.
import { alertBox, download, field, h, nextId, show, when, windowText } from "./dom.js";
import { kindLabel, questionTexts } from "./capture.js";
import * as decisions from "./decisions.js";
import * as store from "./store.js";

// One wording for each state of a report, and for each flag, as the coordinator's pages say it.
export const STATE_LABEL = { submitted: "Sent, waiting for review", in_review: "Being reviewed", approved: "Approved",
  returned: "Returned for changes", rejected: "Rejected" };
const FLAG_LABEL = { assignment_withdrawn: "the assignment had been withdrawn", assignment_cancelled: "the assignment had been cancelled",
  assignment_declined: "the assignment had been declined", second_report: "a second report for this assignment",
  clock_skew: "the phone's clock was ahead", late: "finished after the window closed", early: "started before the window opened",
  imported: "brought in from a file by a coordinator" };
const stateText = (r) => [STATE_LABEL[r.state] || "Received", ...(r.flags || []).map((f) => FLAG_LABEL[f]).filter(Boolean)].join("; ");

const CHANNEL = { in_person: "In person", exit_interview: "Exit interviews", telephone: "Telephone",
  email: "E-mail", letter: "Letter", website: "Website" };

export function signInForm({ heading, intro, onSubmit }) {
  const email = h("input", { type: "email", autocomplete: "username", required: true, id: "sign-in-email" });
  const password = h("input", { type: "password", autocomplete: "current-password", required: true, id: "sign-in-password" });
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!email.value || !password.value) { errors.replaceChildren(alertBox("Enter your e-mail address and password.")); return; }
    const message = await onSubmit(email.value.trim(), password.value);
    if (message) { errors.replaceChildren(alertBox(message)); password.value = ""; }
  } }, errors, intro ? h("p", {}, intro) : null,
  field("E-mail address", email), field("Password", password),
  h("button", { type: "submit", class: "button" }, "Sign in"));
  return h("section", { class: "sign-in" }, heading, form);
}

export function briefsView(briefs, items, onStart) {
  if (!briefs.length) return show(h("h1", {}, "My briefs"), h("p", {}, "You have no open briefs."));
  const drafts = (id) => items.filter((i) => i.assignment_id === id && !decisions.isDecision(i));
  show(h("h1", {}, "My briefs"),
    h("ul", { class: "cards" }, briefs.map((brief) => h("li", { class: "card" },
      h("h2", {}, h("a", { href: `#/brief/${brief.id}` }, brief.contact_point?.name || `Assignment ${brief.id}`)),
      h("p", { class: "meta" }, [CHANNEL[brief.channel], brief.scenario?.service_area?.name].filter(Boolean).join(" · ")),
      brief.returned_report ? h("p", { class: "meta" }, "Returned for changes: open it to see the coordinator's comment") : null,
      h("p", {}, brief.scenario?.title || ""),
      h("p", { class: "meta" }, windowText(brief)),
      brief.state === "offered" ? h("p", { class: "meta" }, "Offered to you: accept or decline it") : null,
      decisions.decisionsOf(items, brief.id).map((d) => h("p", { class: "meta" }, decisions.describe(d))),
      drafts(brief.id).length ? h("p", { class: "meta" }, `${drafts(brief.id).length} on this phone not yet sent`) : null))));
}

export function briefView(brief, items, onStart, onOpen) {
  const mine = items.filter((i) => i.assignment_id === brief.id && !decisions.isDecision(i));
  const answers = decisions.decisionsOf(items, brief.id);
  const declined = answers.some((d) => d.decision === "decline" && d.status === "decision");
  const startLabel = { in_person: "Start the visit", exit_interview: "Start a new exit interview", telephone: "Start the call log",
    email: "Start the e-mail shop", letter: "Start the letter shop", website: "Start the website shop" }[brief.channel] || "Start";
  const returned = brief.returned_report;
  const fixing = returned && mine.find((i) => i.uuid === returned.uuid);
  const cp = brief.contact_point || {};
  show(h("h1", {}, cp.name || `Assignment ${brief.id}`),
    h("dl", { class: "brief" },
      h("dt", {}, "Channel"), h("dd", {}, CHANNEL[brief.channel] || ""),
      h("dt", {}, "Contact point"), h("dd", {}, [cp.name, cp.organisation?.name, cp.locator].filter(Boolean).join(" · ")),
      cp.opening_hours ? [h("dt", {}, "Opening hours"), h("dd", {}, cp.opening_hours)] : null,
      h("dt", {}, "Service area"), h("dd", {}, brief.scenario?.service_area?.name || ""),
      h("dt", {}, "Scenario"), h("dd", {}, brief.scenario?.title || ""),
      brief.scenario?.persona ? [h("dt", {}, "Persona"), h("dd", {}, brief.scenario.persona)] : null,
      h("dt", {}, "What to ask"), h("dd", {}, brief.scenario?.question || ""),
      brief.scenario?.cross_tier ? [h("dt", {}, "Cross-tier"), h("dd", {}, "Yes: note whether you are redirected correctly")] : null,
      h("dt", {}, "Window"), h("dd", {}, windowText(brief))),
    brief.general_instructions ? h("details", {}, h("summary", {}, "General instructions"), h("p", {}, brief.general_instructions)) : null,
    mine.length ? h("section", {}, h("h2", {}, "On this phone"), h("ul", {}, mine.map((item) => h("li", {},
      h("a", { href: `#/item/${item.uuid}` }, `${kindLabel(item.kind)} started ${when(item.started_at)}`), ` – ${statusText(item)}`)))) : null,
    returned ? h("section", { class: "notice notice-warning returned-comment", "aria-labelledby": "returned-title" },
      h("h2", { id: "returned-title" }, "Returned for changes"), h("p", {}, returned.review_comment || "The coordinator asks you to look at it again."),
      h("a", { class: "button", href: fixing ? `#/item/${returned.uuid}` : `#/resubmit/${returned.uuid}` }, fixing ? "Carry on fixing the report" : "Fix the report and send it again")) : null,
    answers.map((d) => decisionNotice(d)),
    (declined || returned || ["submitted", "in_review"].includes(brief.state) || (brief.channel !== "exit_interview" && mine.some((i) => i.status === "draft"))) ? null
      : h("button", { type: "button", class: "button", onclick: () => onStart(brief) }, startLabel),
    answers.some((d) => d.status === "decision") ? null : decisionForms(brief));
}

// Draw the current view again (main.js routes on hashchange), showing an answer just queued or dismissed.
const rerender = () => dispatchEvent(new HashChangeEvent("hashchange"));

function decisionNotice(item) {
  return h("div", { class: `notice ${item.status === "rejected" ? "notice-error" : "notice-info"}`, role: "status" },
    h("p", {}, decisions.describe(item)),
    item.status === "rejected" ? h("button", { type: "button", class: "button secondary", onclick: async () => {
      await decisions.dismiss(item); rerender();
    } }, "Dismiss") : null);
}

const DECLINE_REASONS = [["not_available", "I am not available in the window"], ["too_far", "It is too far for me"],
  ["conflict", "I have a conflict of interest with this organisation or service"], ["other", "Another reason"]];

// Accept (an offer) and decline (an offer or accepted work): queued on the phone, sent when there is a connection.
function decisionForms(brief) {
  if (!["offered", "accepted"].includes(brief.state)) return null;
  const offline = navigator.onLine ? null
    : h("p", { class: "hint" }, "You are offline: your answer is kept on this phone and sent when you are back online.");
  const after = () => { location.hash = "#/briefs"; };
  const accept = brief.state === "offered" ? h("button", { type: "button", class: "button", onclick: async () => {
    await decisions.queue(brief, { decision: "accept" });
    rerender();
  } }, "Accept this assignment") : null;
  const errors = h("div");
  const name = nextId("reason");
  const detail = h("textarea", { rows: "2", maxlength: "400", id: nextId("detail") });
  const reasons = h("fieldset", { class: "question" }, h("legend", {}, "Why are you declining?"),
    DECLINE_REASONS.map(([value, label]) => {
      const id = nextId("r");
      return h("div", { class: "radio" }, h("input", { type: "radio", name, id, value }), h("label", { for: id }, label));
    }));
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const code = reasons.querySelector("input:checked")?.value;
    const problems = [];
    if (!code) problems.push("Choose why you are declining.");
    if (code === "other" && !detail.value.trim()) problems.push("Say briefly why you are declining.");
    if (problems.length) {
      errors.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
        h("h2", {}, "There is a problem"), h("ul", {}, problems.map((p) => h("li", {}, p)))));
      errors.firstChild.focus();
      return;
    }
    await decisions.queue(brief, { decision: "decline", reason_code: code, reason: detail.value });
    after();
  } }, errors, reasons,
  field("Anything to add (needed for ‘another reason’; for a conflict, what it is)", detail,
    "A conflict is recorded with this organisation and service area: other work it touches is taken off you too."),
  h("button", { type: "submit", class: "button secondary" }, "Decline this assignment"));
  return h("section", { class: "decision" }, h("h2", {}, brief.state === "offered" ? "Your answer to this offer" : "Can no longer do it?"),
    offline, accept, h("details", {}, h("summary", {}, "Decline this assignment"), form));
}

export function statusText(item) {
  if (item.status === "draft" && item.sent_at && !item.completed_at) return "sent, waiting for the reply";
  if (item.status === "draft") return "draft, not finished";
  if (item.status === "queued") return "finished, waiting to send";
  if (item.status === "rejected") return `not accepted: ${item.problem?.detail || "see the outbox"}`;
  return "on this phone";
}

// The server's field errors as lines a shopper can read. They nest (answers → question key → messages): each
// answer's line names its question as the shopper saw it, other fields by their path.
function errorLines(errors, questions = {}, path = []) {
  return Object.entries(errors).flatMap(([key, value]) => {
    if (value && typeof value === "object" && !Array.isArray(value)) return errorLines(value, questions, [...path, key]);
    const name = path.length === 1 && path[0] === "answers" ? questions[key] || key : [...path, key].join(" › ");
    return [`${name}: ${[].concat(value).join(" ")}`];
  });
}

export async function outboxView(sync) {
  const everything = await store.all("items");
  const items = everything.filter((i) => !decisions.isDecision(i));
  const answers = decisions.decisionsOf(everything);
  const receipts = (await store.all("receipts")).sort((a, b) => String(b.received_at).localeCompare(String(a.received_at)));
  const questions = {};
  for (const item of items.filter((i) => i.problem?.errors)) {
    questions[item.uuid] = questionTexts(await store.questionnaire(item.questionnaire_id, item.questionnaire_version));
  }
  const problemOf = (item) => item.problem && h("div", { class: "notice notice-error" },
    h("p", {}, `The server did not accept this: ${item.problem.detail || "it answered with an error"}`),
    item.problem.errors ? h("ul", {}, errorLines(item.problem.errors, questions[item.uuid]).map((line) => h("li", {}, line))) : null,
    h("button", { type: "button", class: "button secondary", onclick: () => download(`shopper-item-${item.uuid}.json`, { request: sync.toPayload(item), problem: item.problem }) }, "Export this item"),
    h("button", { type: "button", class: "button secondary", onclick: async () => {
      delete item.problem; item.status = "queued"; await store.put("items", item); sync.sendNow();
    } }, "Try again"));
  show(h("h1", {}, "Outbox"),
    h("button", { type: "button", class: "button", id: "send-now", onclick: () => { sync.sendNow(); decisions.sendNow(); } }, "Send now"),
    answers.length ? [h("h2", {}, `Answers to offers not yet sent (${answers.length})`),
      h("ul", { class: "outbox" }, answers.map((d) => h("li", { class: `item item-${d.status}` }, h("p", {}, d.title), decisionNotice(d))))] : null,
    h("h2", {}, `Not yet sent (${items.length})`),
    items.length ? h("ul", { class: "outbox" }, items.map((item) => h("li", { class: `item item-${item.status}` },
      h("a", { href: `#/item/${item.uuid}` }, `${kindLabel(item.kind)}: ${item.title}`), h("p", { class: "meta" }, statusText(item)), problemOf(item))))
      : h("p", {}, "Nothing waiting."),
    h("h2", {}, `Confirmed by the server (${receipts.length})`),
    receipts.length ? h("table", { class: "receipts" }, h("caption", {}, "What the server has received from this phone"),
      h("thead", {}, h("tr", {}, ["What", "Received", "Revision", "State"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, receipts.map((r) => h("tr", {},
        h("th", { scope: "row" }, `${kindLabel(r.kind)}: ${r.title}`), h("td", {}, r.received_at ? when(r.received_at) : "From another phone"),
        h("td", {}, String(r.revision ?? 1)),
        h("td", {}, stateText(r),
          r.state === "returned" ? h("p", { class: "returned" }, `Returned by the coordinator: ${r.review_comment || ""}`) : null,
          r.state === "returned" ? h("a", { href: `#/resubmit/${r.uuid}` }, "Edit and resubmit") : null)))))
      : h("p", {}, "Nothing confirmed yet."));
}

export async function accountView({ user, persisted, onSignOut }) {
  const items = await store.all("items");
  const result = h("div");
  show(h("h1", {}, "Account"),
    h("p", {}, `Signed in as ${user.display_name} (${user.email}).`),
    h("p", { id: "storage-state" }, persisted
      ? "Storage: this phone has agreed to keep the app's data (persistent storage granted)."
      : "Storage: the browser did not grant persistent storage, so it may clear the app's data when space runs low. Add the app to your home screen and send your work often."),
    h("h2", {}, "Conflicts of interest"),
    h("p", {}, "Where you or close family work or have a case, you are never given work. ",
      h("a", { href: "#/conflicts" }, "See or declare conflicts of interest")),
    h("h2", {}, "Sign out"),
    // The export lives in the sign-out view: one file format (PUT bodies), and the confirmation that goes with it.
    items.length ? h("p", {}, `${items.length} item(s) on this phone are not yet sent. `,
      h("a", { href: "#/sign-out" }, "Export them to a file")) : null,
    result,
    h("button", { type: "button", class: "button", id: "sign-out", onclick: async () => {
      const message = await onSignOut();
      if (message) result.replaceChildren(alertBox(message, "error"));
    } }, "Sign out"));
}
