// The app's views other than the gate and capture: sign-in, my briefs, one brief, the outbox, the account.
import { alertBox, download, field, h, nextId, show, when, windowText } from "./dom.js";
import { kindLabel, questionTexts } from "./capture.js";
import * as decisions from "./decisions.js";
import { LANGUAGES, language, t, tn } from "./i18n.js";
import { label } from "./labels.js";
import * as store from "./store.js";

export function signInForm({ heading, intro, onSubmit }) {
  const email = h("input", { type: "email", autocomplete: "username", required: true, id: "sign-in-email" });
  const password = h("input", { type: "password", autocomplete: "current-password", required: true, id: "sign-in-password" });
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!email.value || !password.value) { errors.replaceChildren(alertBox(t("Enter your e-mail address and password."))); return; }
    const message = await onSubmit(email.value.trim(), password.value);
    if (message) { errors.replaceChildren(alertBox(message)); password.value = ""; }
  } }, errors, intro ? h("p", {}, intro) : null,
  field(t("E-mail address"), email), field(t("Password"), password),
  h("button", { type: "submit", class: "button" }, t("Sign in")));
  return h("section", { class: "sign-in" }, heading, form);
}

export function briefsView(briefs, items, onStart) {
  if (!briefs.length) return show(h("h1", {}, t("My briefs")), h("p", {}, t("You have no open briefs.")));
  const drafts = (id) => items.filter((i) => i.assignment_id === id && !decisions.isDecision(i));
  show(h("h1", {}, t("My briefs")),
    h("ul", { class: "cards" }, briefs.map((brief) => h("li", { class: "card" },
      h("h2", {}, h("a", { href: `#/brief/${brief.id}` }, brief.contact_point?.name || t("Assignment {id}", { id: brief.id }))),
      h("p", { class: "meta" }, [label("channel", brief.channel), brief.scenario?.service_area?.name].filter(Boolean).join(" · ")),
      brief.returned_report ? h("p", { class: "meta" }, t("Returned for changes: open it to see the coordinator's comment")) : null,
      h("p", {}, brief.scenario?.title || ""),
      h("p", { class: "meta" }, windowText(brief)),
      brief.state === "offered" ? h("p", { class: "meta" }, t("Offered to you: accept or decline it")) : null,
      decisions.decisionsOf(items, brief.id).map((d) => h("p", { class: "meta" }, decisions.describe(d))),
      drafts(brief.id).length ? h("p", { class: "meta" }, tn("{n} on this phone not yet sent", "{n} on this phone not yet sent", drafts(brief.id).length)) : null))));
}

export function briefView(brief, items, onStart, onOpen) {
  const mine = items.filter((i) => i.assignment_id === brief.id && !decisions.isDecision(i));
  const answers = decisions.decisionsOf(items, brief.id);
  const declined = answers.some((d) => d.decision === "decline" && d.status === "decision");
  const startLabel = { in_person: t("Start the visit"), exit_interview: t("Start a new exit interview"), telephone: t("Start the call log"),
    email: t("Start the e-mail shop"), letter: t("Start the letter shop"), website: t("Start the website shop") }[brief.channel] || t("Start");
  const returned = brief.returned_report;
  const fixing = returned && mine.find((i) => i.uuid === returned.uuid);
  const cp = brief.contact_point || {};
  show(h("h1", {}, cp.name || t("Assignment {id}", { id: brief.id })),
    h("dl", { class: "brief" },
      h("dt", {}, t("Channel")), h("dd", {}, label("channel", brief.channel)),
      h("dt", {}, t("Contact point")), h("dd", {}, [cp.name, cp.organisation?.name, cp.locator].filter(Boolean).join(" · ")),
      cp.opening_hours ? [h("dt", {}, t("Opening hours")), h("dd", {}, cp.opening_hours)] : null,
      h("dt", {}, t("Service area")), h("dd", {}, brief.scenario?.service_area?.name || ""),
      h("dt", {}, t("Scenario")), h("dd", {}, brief.scenario?.title || ""),
      brief.scenario?.persona ? [h("dt", {}, t("Persona")), h("dd", {}, brief.scenario.persona)] : null,
      h("dt", {}, t("What to ask")), h("dd", {}, brief.scenario?.question || ""),
      brief.scenario?.cross_tier ? [h("dt", {}, t("Cross-tier")), h("dd", {}, t("Yes: note whether you are redirected correctly"))] : null,
      h("dt", {}, t("Window")), h("dd", {}, windowText(brief))),
    brief.general_instructions ? h("details", {}, h("summary", {}, t("General instructions")), h("p", {}, brief.general_instructions)) : null,
    mine.length ? h("section", {}, h("h2", {}, t("On this phone")), h("ul", {}, mine.map((item) => h("li", {},
      h("a", { href: `#/item/${item.uuid}` }, t("{kind} started {when}", { kind: kindLabel(item.kind), when: when(item.started_at) })), ` – ${statusText(item)}`)))) : null,
    returned ? h("section", { class: "notice notice-warning returned-comment", "aria-labelledby": "returned-title" },
      h("h2", { id: "returned-title" }, t("Returned for changes")), h("p", {}, returned.review_comment || t("The coordinator asks you to look at it again.")),
      h("a", { class: "button", href: fixing ? `#/item/${returned.uuid}` : `#/resubmit/${returned.uuid}` },
        fixing ? t("Carry on fixing the report") : t("Fix the report and send it again"))) : null,
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
    } }, t("Dismiss")) : null);
}

const declineReasons = () => [["not_available", t("I am not available in the window")], ["too_far", t("It is too far for me")],
  ["conflict", t("I have a conflict of interest with this organisation or service")], ["other", t("Another reason")]];

// Accept (an offer) and decline (an offer or accepted work): queued on the phone, sent when there is a connection.
function decisionForms(brief) {
  if (!["offered", "accepted"].includes(brief.state)) return null;
  const offline = navigator.onLine ? null
    : h("p", { class: "hint" }, t("You are offline: your answer is kept on this phone and sent when you are back online."));
  const after = () => { location.hash = "#/briefs"; };
  const accept = brief.state === "offered" ? h("button", { type: "button", class: "button", onclick: async () => {
    await decisions.queue(brief, { decision: "accept" });
    rerender();
  } }, t("Accept this assignment")) : null;
  const errors = h("div");
  const name = nextId("reason");
  const detail = h("textarea", { rows: "2", maxlength: "400", id: nextId("detail") });
  const reasons = h("fieldset", { class: "question" }, h("legend", {}, t("Why are you declining?")),
    declineReasons().map(([value, label]) => {
      const id = nextId("r");
      return h("div", { class: "radio" }, h("input", { type: "radio", name, id, value }), h("label", { for: id }, label));
    }));
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const code = reasons.querySelector("input:checked")?.value;
    const problems = [];
    if (!code) problems.push(t("Choose why you are declining."));
    if (code === "other" && !detail.value.trim()) problems.push(t("Say briefly why you are declining."));
    if (problems.length) {
      errors.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
        h("h2", {}, t("There is a problem")), h("ul", {}, problems.map((p) => h("li", {}, p)))));
      errors.firstChild.focus();
      return;
    }
    await decisions.queue(brief, { decision: "decline", reason_code: code, reason: detail.value });
    after();
  } }, errors, reasons,
  field(t("Anything to add (needed for ‘another reason’; for a conflict, what it is)"), detail,
    t("A conflict is recorded with this organisation and service area: other work it touches is taken off you too.")),
  h("button", { type: "submit", class: "button secondary" }, t("Decline this assignment")));
  return h("section", { class: "decision" }, h("h2", {}, brief.state === "offered" ? t("Your answer to this offer") : t("Can no longer do it?")),
    offline, accept, h("details", {}, h("summary", {}, t("Decline this assignment")), form));
}

export function statusText(item) {
  if (item.status === "draft" && item.sent_at && !item.completed_at) return t("sent, waiting for the reply");
  if (item.status === "draft") return t("draft, not finished");
  if (item.status === "queued") return t("finished, waiting to send");
  const seeOutbox = t("see the outbox");
  if (item.status === "rejected") return t("not accepted: {reason}", { reason: item.problem?.detail || seeOutbox });
  return label("submission_state", item.status);
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
  const noReason = t("no reason given");
  const problemOf = (item) => item.problem && h("div", { class: "notice notice-error" },
    h("p", {}, t("The server did not accept this: {reason}", { reason: item.problem.detail || noReason })),
    item.problem.errors ? h("ul", {}, errorLines(item.problem.errors, questions[item.uuid]).map((line) => h("li", {}, line))) : null,
    h("button", { type: "button", class: "button secondary", onclick: () => download(`shopper-item-${item.uuid}.json`, { request: sync.toPayload(item), problem: item.problem }) }, t("Export this item")),
    h("button", { type: "button", class: "button secondary", onclick: async () => {
      delete item.problem; item.status = "queued"; await store.put("items", item); sync.sendNow();
    } }, t("Try again")));
  show(h("h1", {}, t("Outbox")),
    h("button", { type: "button", class: "button", id: "send-now", onclick: () => { sync.sendNow(); decisions.sendNow(); } }, t("Send now")),
    answers.length ? [h("h2", {}, t("Answers to offers not yet sent ({n})", { n: answers.length })),
      h("ul", { class: "outbox" }, answers.map((d) => h("li", { class: `item item-${d.status}` }, h("p", {}, d.title), decisionNotice(d))))] : null,
    h("h2", {}, t("Not yet sent ({n})", { n: items.length })),
    items.length ? h("ul", { class: "outbox" }, items.map((item) => h("li", { class: `item item-${item.status}` },
      h("a", { href: `#/item/${item.uuid}` }, `${kindLabel(item.kind)}: ${item.title}`), h("p", { class: "meta" }, statusText(item)), problemOf(item))))
      : h("p", {}, t("Nothing waiting.")),
    h("h2", {}, t("Confirmed by the server ({n})", { n: receipts.length })),
    receipts.length ? h("table", { class: "receipts" }, h("caption", {}, t("What the server has received from this phone")),
      h("thead", {}, h("tr", {}, [t("What"), t("Received"), t("Revision"), t("State")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, receipts.map((r) => h("tr", {},
        h("th", { scope: "row" }, `${kindLabel(r.kind)}: ${r.title}`), h("td", {}, r.received_at ? when(r.received_at) : t("From another phone")),
        h("td", {}, r.revision ? String(r.revision) : "—"),
        h("td", {}, label("submission_state", r.state),
          (r.flags || []).length ? h("ul", { class: "flags" }, r.flags.map((f) => h("li", {}, label("flag", f)))) : null,
          r.state === "returned" && r.review_comment ? h("p", { class: "returned" }, t("Returned by the coordinator: {comment}", { comment: r.review_comment })) : null,
          r.state === "returned" ? h("a", { href: `#/resubmit/${r.uuid}` }, t("Edit and resubmit")) : null)))))
      : h("p", {}, t("Nothing confirmed yet.")));
}

export async function accountView({ user, persisted, onSignOut, onLanguage }) {
  const items = await store.all("items");
  const result = h("div");
  show(h("h1", {}, t("Account")),
    h("p", {}, t("Signed in as {name} ({email}).", { name: user.display_name, email: user.email })),
    h("p", { id: "storage-state" }, persisted
      ? t("Storage: this phone has agreed to keep the app's data (persistent storage granted).")
      : t("Storage: the browser did not grant persistent storage, so it may clear the app's data when space runs low. Add the app to your home screen and send your work often.")),
    languageChoice(onLanguage),
    h("h2", {}, t("Conflicts of interest")),
    h("p", {}, t("Where you or close family work or have a case, you are never given work."), " ",
      h("a", { href: "#/conflicts" }, t("See or declare conflicts of interest"))),
    h("h2", {}, t("Sign out")),
    // The export lives in the sign-out view: one file format (PUT bodies), and the confirmation that goes with it.
    items.length ? h("p", {}, tn("{n} item on this phone is not yet sent.", "{n} items on this phone are not yet sent.", items.length), " ",
      h("a", { href: "#/sign-out" }, t("Export them to a file"))) : null,
    result,
    h("button", { type: "button", class: "button", id: "sign-out", onclick: async () => {
      const message = await onSignOut();
      if (message) result.replaceChildren(alertBox(message, "error"));
    } }, t("Sign out")));
}

// The app's language: the choice is kept for this user (on every phone) and takes effect at once.
function languageChoice(onLanguage) {
  const name = nextId("language");
  return h("fieldset", { class: "question" }, h("legend", {}, h("h2", {}, t("Language"))),
    Object.entries(LANGUAGES).map(([code, own]) => {
      const id = nextId("lang");
      return h("div", { class: "radio" },
        h("input", { type: "radio", name, id, value: code, checked: code === language(), onchange: () => onLanguage(code) }),
        h("label", { for: id, lang: code }, own));
    }));
}
