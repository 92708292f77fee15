// The parts of capture that belong to one channel: an e-mail or letter shop's sending and replies, and a
// website shop's log. Each value is saved on the phone as it is given.
import { isCorrespondence, lastDayToReply, waitPassed } from "./correspondence.js";
import { field, h, nextId, when } from "./dom.js";
import { locale, t } from "./i18n.js";
import { duration } from "./labels.js";
import * as sync from "./sync.js";

const via = () => [["email", t("By e-mail")], ["letter", t("By letter")], ["telephone", t("By telephone")]];
const covers = () => [["fully", t("It answers the question in the brief")], ["partly", t("It answers only part of it")],
  ["not_at_all", t("It does not answer it")]];
const senders = () => [["programme", t("The programme's address for shoppers")], ["own", t("My own address")]];
export const websiteProblemLabels = () => [["contrast", t("Text hard to read against its background")],
  ["text_size", t("Text too small, or it would not enlarge")], ["keyboard", t("Could not use it with the keyboard alone")],
  ["screen_reader", t("Links or buttons with no clear name")], ["pdf_only", t("The answer was only in a PDF")],
  ["captcha", t("A puzzle or captcha in the way")], ["timeout", t("The page timed out before I finished")],
  ["mobile_layout", t("Did not fit the phone's screen")]];
const pick = (pairs, value) => Object.fromEntries(pairs)[value] || "";

function radios(legend, pairs, current, onPick) {
  const name = nextId("r");
  const set = h("fieldset", { class: "question" }, h("legend", {}, legend), pairs.map(([value, text]) => {
    const id = nextId("o");
    return h("div", { class: "radio" }, h("input", { type: "radio", name, id, value, checked: current === value }), h("label", { for: id }, text));
  }));
  set.addEventListener("change", () => onPick(set.querySelector("input:checked").value));
  return set;
}

// A moment typed in a datetime-local field (the phone's clock) as ISO 8601, or null.
const fromLocal = (value) => { const d = new Date(value); return value && !Number.isNaN(d.getTime()) ? d.toISOString() : null; };
const toLocal = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

// A day as the shopper reads it ("Friday 18 December 2026").
const longDay = (iso) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(locale(),
  { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function waitText(item, brief) {
  const wait = brief?.reply_wait;
  return t("The programme waits {n} working days for a complete reply: until the end of {day}.",
    { n: wait?.working_days ?? 10, day: longDay(lastDayToReply(item.sent_at, wait, brief?.timezone)) });
}

const problemBox = (box, text) => box.replaceChildren(h("p", { class: "notice notice-error" }, text));

// Sending and replies. `redraw` draws the capture again (a reply added, the message sent).
export function correspondenceSection(item, brief, onSave, redraw) {
  const email = item.kind === "email";
  const keep = async () => { item.open_dirty = (item.open_dirty || 0) + 1; await onSave(); sync.sendNow(); };
  const problem = h("div", { role: "alert" });
  if (!item.sent_at) {
    const to = h("input", { type: "text", maxlength: "320", value: item.sent_to || "" });
    to.addEventListener("input", () => { item.sent_to = to.value; onSave(); });
    return h("fieldset", { class: "correspondence", dataset: { key: "sent_at" } }, h("legend", {}, email ? t("Sending the e-mail") : t("Posting the letter")),
      field(email ? t("Sent to (the published address)") : t("Posted to (the published address)"), to),
      email ? radios(t("Sent from"), senders(), item.sent_from, (value) => { item.sent_from = value; onSave(); }) : null,
      h("p", { class: "hint" }, email ? t("Write your e-mail in your own words, as the brief says, then record it here as you send it.")
        : t("Record it here on the day you post it.")),
      problem,
      h("button", { type: "button", class: "button", onclick: async () => {
        if (!item.sent_to?.trim()) return problemBox(problem, t("Enter the address you sent it to."));
        if (email && !item.sent_from) return problemBox(problem, t("Say which address you sent it from."));
        item.sent_at = new Date().toISOString();
        if (item.sent_at < item.started_at) item.started_at = item.sent_at;
        await keep(); redraw();
      } }, email ? t("I have sent it now") : t("I have posted it today")));
  }
  const arrived = h("input", { type: "datetime-local", value: toLocal(new Date()) });
  let how = email ? "email" : "letter";
  let covered = null;
  const role = h("input", { type: "text", maxlength: "200" });
  const summary = h("textarea", { rows: "3", maxlength: "2000" });
  const replies = item.replies || [];
  const sentLine = email && item.sent_from
    ? t("Sent {when} to {to} from {from}.", { when: when(item.sent_at), to: item.sent_to || "", from: pick(senders(), item.sent_from).toLowerCase() })
    : t("Sent {when} to {to}.", { when: when(item.sent_at), to: item.sent_to || "" });
  return h("fieldset", { class: "correspondence" }, h("legend", {}, t("Sending and replies")),
    h("p", {}, sentLine),
    h("p", { class: "hint" }, waitText(item, brief)),
    item.open_problem ? h("p", { class: "notice notice-error" }, item.open_problem) : null,
    replies.length ? h("ol", { class: "replies" }, replies.map((r, i) => h("li", {},
      h("p", {}, r.from_role
        ? t("Reply {n}: arrived {when}, {how}, from {role}.", { n: i + 1, when: when(r.received_at), how: pick(via(), r.via).toLowerCase(), role: r.from_role })
        : t("Reply {n}: arrived {when}, {how}.", { n: i + 1, when: when(r.received_at), how: pick(via(), r.via).toLowerCase() })),
      r.covers_question ? h("p", { class: "meta" }, pick(covers(), r.covers_question)) : null,
      r.summary ? h("p", { class: "meta" }, r.summary) : null))) : h("p", {}, t("No reply yet.")),
    h("details", { class: "add-reply", open: !replies.length }, h("summary", {}, t("Add a reply that arrived")),
      field(t("When it arrived"), arrived),
      radios(t("How it came"), via(), how, (value) => { how = value; }),
      field(t("Who it came from (optional)"), role, t("A role or team, such as “Council tax team”: no names.")),
      radios(t("Checked against the brief"), covers(), covered, (value) => { covered = value; }),
      field(t("What it said (optional)"), summary, t("In a sentence or two.")),
      problem,
      h("button", { type: "button", class: "button secondary", onclick: async () => {
        const at = fromLocal(arrived.value);
        if (!at) return problemBox(problem, t("Enter when the reply arrived."));
        if (at < item.sent_at) return problemBox(problem, t("A reply cannot arrive before the message was sent ({when}).", { when: when(item.sent_at) }));
        if (!covered) return problemBox(problem, t("Say whether the reply answers the question in the brief."));
        item.replies = [...replies, { received_at: at, via: how, from_role: role.value.trim(), covers_question: covered, summary: summary.value.trim() }];
        await keep(); redraw();
      } }, t("Add this reply"))));
}

// What finishing an e-mail or letter shop can be now: on its reply, or at the end of the wait.
export function finishChoices(item, brief) {
  if (!item.sent_at) return [];
  const choices = [];
  if ((item.replies || []).length) choices.push(["reply_complete", t("The reply is complete: finish and send")]);
  if (waitPassed(item, brief?.reply_wait, brief?.timezone)) {
    choices.push(["wait_limit", t("No complete reply within {n} working days: finish and send", { n: brief?.reply_wait?.working_days ?? 10 })]);
  }
  return choices;
}

function rowsList(title, rows) {
  return h("section", {}, h("h2", {}, title), h("dl", { class: "answers" }, rows.filter(([, v]) => v !== "" && v !== null && v !== undefined)
    .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
}

export function correspondenceSummary(item) {
  if (!isCorrespondence(item)) return null;
  const finished = { wait_limit: t("No complete reply within the programme's wait"), reply_complete: t("On its reply") }[item.finished_by];
  return rowsList(t("Sending and replies"), [[t("Sent"), when(item.sent_at)], [t("Sent to"), item.sent_to], [t("Sent from"), pick(senders(), item.sent_from)],
    ...(item.replies || []).map((r, i) => [t("Reply {n}", { n: i + 1 }),
      [when(r.received_at), pick(via(), r.via), r.from_role, pick(covers(), r.covers_question), r.summary].filter(Boolean).join(" · ")]),
    [t("Finished"), finished]]);
}

export function websiteSummary(item) {
  const log = item.website;
  if (!log) return null;
  const problems = Object.fromEntries(websiteProblemLabels());
  return rowsList(t("Website log"), [[t("Started at"), log.start_page], [t("Found the answer"), log.found ? t("Yes") : t("No")],
    [t("Time"), Number.isInteger(log.seconds_to_find) ? duration(log.seconds_to_find) : ""], [t("Dead ends"), String(log.dead_ends || 0)],
    [t("Accessibility problems"), (log.accessibility_problems || []).map((p) => problems[p]).join("; ") || t("No problems met")]]);
}

// A website shop: where the search started, whether the answer was found and how fast, and what got in the way.
export function websiteSection(item, onSave) {
  const log = item.website || (item.website = { start_page: "", found: undefined, dead_ends: "", accessibility_problems: [] });
  const text = (name, attrs = {}) => {
    const input = h(attrs.rows ? "textarea" : "input", { type: "text", maxlength: "2000", ...attrs });
    input.value = log[name] ?? "";
    input.addEventListener("input", () => { log[name] = input.value; onSave(); });
    return input;
  };
  const minutes = h("input", { type: "number", inputmode: "numeric", min: "0", class: "short", id: nextId("wmin"),
    value: Number.isInteger(log.seconds_to_find) ? String(Math.floor(log.seconds_to_find / 60)) : "" });
  const seconds = h("input", { type: "number", inputmode: "numeric", min: "0", max: "59", class: "short", id: nextId("wsec"),
    value: Number.isInteger(log.seconds_to_find) ? String(log.seconds_to_find % 60) : "" });
  const setTime = () => {
    log.seconds_to_find = minutes.value === "" && seconds.value === "" ? null
      : Math.max(0, Math.round((Number(minutes.value) || 0) * 60 + (Number(seconds.value) || 0)));
    onSave();
  };
  minutes.addEventListener("input", setTime); seconds.addEventListener("input", setTime);
  const deadEnds = h("input", { type: "number", inputmode: "numeric", min: "0", class: "short", value: log.dead_ends ?? "" });
  deadEnds.addEventListener("input", () => { log.dead_ends = deadEnds.value === "" ? "" : Number(deadEnds.value); onSave(); });
  const problems = h("fieldset", { class: "question" }, h("legend", {}, t("Accessibility problems you met")),
    websiteProblemLabels().map(([value, label]) => {
      const id = nextId("a");
      const box = h("input", { type: "checkbox", id, checked: (log.accessibility_problems || []).includes(value) });
      box.addEventListener("change", () => {
        const chosen = new Set(log.accessibility_problems || []);
        if (box.checked) chosen.add(value); else chosen.delete(value);
        log.accessibility_problems = websiteProblemLabels().map(([v]) => v).filter((v) => chosen.has(v));
        onSave();
      });
      return h("div", { class: "checkbox" }, box, h("label", { for: id }, label));
    }));
  const keyed = (key, node) => { node.dataset.key = `website.${key}`; return node; };
  return h("fieldset", { class: "website-log" }, h("legend", {}, t("Website log")),
    keyed("start_page", h("div", { class: "question" }, field(t("Where you started"), text("start_page"), t("The address you opened, or what you typed into a search engine.")))),
    keyed("found", radios(t("Did you find the answer?"), [["yes", t("Yes")], ["no", t("No, I gave up")]],
      log.found === undefined ? null : log.found ? "yes" : "no", (value) => { log.found = value === "yes"; onSave(); })),
    keyed("seconds_to_find", h("fieldset", { class: "question" }, h("legend", {}, t("Time to find it (or until you gave up)")),
      h("div", { class: "inline-fields" }, h("label", { for: minutes.id }, t("Minutes")), minutes, h("label", { for: seconds.id }, t("Seconds")), seconds))),
    h("div", { class: "question" }, field(t("Dead ends (pages that led nowhere)"), deadEnds)),
    h("div", { class: "question" }, field(t("About the dead ends (optional)"), text("dead_end_notes", { rows: "2" }))),
    problems,
    h("div", { class: "question" }, field(t("About the accessibility problems (optional)"), text("accessibility_notes", { rows: "2" }))));
}

// What is missing in a website log, as [{key, text}] for the capture's error summary.
export function websiteProblems(log) {
  if (!log) return [];
  const out = [];
  if (!String(log.start_page || "").trim()) out.push({ key: "website.start_page", text: t("Website log: where you started") });
  if (log.found === undefined) out.push({ key: "website.found", text: t("Website log: whether you found the answer") });
  else if (log.found && !Number.isInteger(log.seconds_to_find)) out.push({ key: "website.seconds_to_find", text: t("Website log: how long it took to find it") });
  return out;
}
