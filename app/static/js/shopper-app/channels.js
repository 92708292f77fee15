// The parts of capture that belong to one channel: an e-mail or letter shop's sending and replies, and a
// website shop's log. Each value is saved on the phone as it is given.
import { lastDayToReply, waitPassed } from "./correspondence.js";
import { field, h, nextId, when } from "./dom.js";
import * as sync from "./sync.js";

export const VIA = [["email", "By e-mail"], ["letter", "By letter"], ["telephone", "By telephone"]];
export const COVERS = [["fully", "It answers the question in the brief"], ["partly", "It answers only part of it"],
  ["not_at_all", "It does not answer it"]];
export const SENDERS = [["programme", "The programme's address for shoppers"], ["own", "My own address"]];
export const WEBSITE_PROBLEMS = [["contrast", "Text hard to read against its background"], ["text_size", "Text too small, or it would not enlarge"],
  ["keyboard", "Could not use it with the keyboard alone"], ["screen_reader", "Links or buttons with no clear name"],
  ["pdf_only", "The answer was only in a PDF"], ["captcha", "A puzzle or captcha in the way"],
  ["timeout", "The page timed out before I finished"], ["mobile_layout", "Did not fit the phone's screen"]];
const label = (pairs, value) => Object.fromEntries(pairs)[value] || "";

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
const toLocal = (date) => { const d = new Date(date.getTime() - date.getTimezoneOffset() * 60000); return d.toISOString().slice(0, 16); };

// The last day as the shopper reads it ("Friday 18 December 2026").
export const longDay = (iso) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function waitText(item, brief) {
  const wait = brief?.reply_wait;
  const last = lastDayToReply(item.sent_at, wait, brief?.timezone);
  return `The programme waits ${wait?.working_days ?? 10} working days for a complete reply: until the end of ${longDay(last)}.`;
}

// Sending and replies. `redraw` draws the capture again (a reply added, the message sent).
export function correspondenceSection(item, brief, onSave, redraw) {
  const email = item.kind === "email";
  const keep = async () => { item.open_dirty = (item.open_dirty || 0) + 1; await onSave(); sync.sendNow(); };
  const problem = h("div", { role: "alert" });
  if (!item.sent_at) {
    const to = h("input", { type: "text", maxlength: "320", value: item.sent_to || "" });
    to.addEventListener("input", () => { item.sent_to = to.value; onSave(); });
    return h("fieldset", { class: "correspondence", dataset: { key: "sent_at" } }, h("legend", {}, email ? "Sending the e-mail" : "Posting the letter"),
      field(email ? "Sent to (the published address)" : "Posted to (the published address)", to),
      email ? radios("Sent from", SENDERS, item.sent_from, (value) => { item.sent_from = value; onSave(); }) : null,
      h("p", { class: "hint" }, email ? "Write your e-mail in your own words, as the brief says, then record it here as you send it."
        : "Record it here on the day you post it."),
      problem,
      h("button", { type: "button", class: "button", onclick: async () => {
        if (!item.sent_to?.trim()) { problem.replaceChildren(h("p", { class: "notice notice-error" }, "Enter the address you sent it to.")); return; }
        if (email && !item.sent_from) { problem.replaceChildren(h("p", { class: "notice notice-error" }, "Say which address you sent it from.")); return; }
        item.sent_at = new Date().toISOString();
        if (item.sent_at < item.started_at) item.started_at = item.sent_at;
        await keep(); redraw();
      } }, email ? "I have sent it now" : "I have posted it today"));
  }
  const arrived = h("input", { type: "datetime-local", value: toLocal(new Date()) });
  let via = email ? "email" : "letter";
  let covers = null;
  const role = h("input", { type: "text", maxlength: "200" });
  const summary = h("textarea", { rows: "3", maxlength: "2000" });
  const replies = item.replies || [];
  return h("fieldset", { class: "correspondence" }, h("legend", {}, "Sending and replies"),
    h("p", {}, `${email ? "Sent" : "Posted"} ${when(item.sent_at)}${item.sent_to ? ` to ${item.sent_to}` : ""}${email && item.sent_from ? ` from ${label(SENDERS, item.sent_from).toLowerCase()}` : ""}.`),
    h("p", { class: "hint" }, waitText(item, brief)),
    item.open_problem ? h("p", { class: "notice notice-error" }, item.open_problem) : null,
    replies.length ? h("ol", { class: "replies" }, replies.map((r, i) => h("li", {},
      h("p", {}, `Reply ${i + 1}: arrived ${when(r.received_at)}, ${label(VIA, r.via).toLowerCase()}${r.from_role ? `, from ${r.from_role}` : ""}.`),
      r.covers_question ? h("p", { class: "meta" }, label(COVERS, r.covers_question)) : null,
      r.summary ? h("p", { class: "meta" }, r.summary) : null))) : h("p", {}, "No reply yet."),
    h("details", { class: "add-reply", open: !replies.length }, h("summary", {}, "Add a reply that arrived"),
      field("When it arrived", arrived),
      radios("How it came", VIA, via, (value) => { via = value; }),
      field("Who it came from (optional)", role, "A role or team, such as “Council tax team”: no names."),
      radios("Checked against the brief", COVERS, covers, (value) => { covers = value; }),
      field("What it said (optional)", summary, "In a sentence or two."),
      problem,
      h("button", { type: "button", class: "button secondary", onclick: async () => {
        const at = fromLocal(arrived.value);
        const say = (text) => problem.replaceChildren(h("p", { class: "notice notice-error" }, text));
        if (!at) return say("Enter when the reply arrived.");
        if (at < item.sent_at) return say(`A reply cannot arrive before the message was sent (${when(item.sent_at)}).`);
        if (!covers) return say("Say whether the reply answers the question in the brief.");
        item.replies = [...replies, { received_at: at, via, from_role: role.value.trim(), covers_question: covers, summary: summary.value.trim() }];
        await keep(); redraw();
      } }, "Add this reply")));
}

// What finishing an e-mail or letter shop can be now: on its reply, or at the end of the wait.
export function finishChoices(item, brief) {
  if (!item.sent_at) return [];
  const choices = [];
  if ((item.replies || []).length) choices.push(["reply_complete", "The reply is complete: finish and send"]);
  if (waitPassed(item, brief?.reply_wait, brief?.timezone)) {
    choices.push(["wait_limit", `No complete reply within ${brief?.reply_wait?.working_days ?? 10} working days: finish and send`]);
  }
  return choices;
}

export const finishedByText = (value, item) => (value === "wait_limit" ? "Finished: no complete reply within the programme's wait"
  : value === "reply_complete" ? `Finished on its reply (${(item.replies || []).length} received)` : "");

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
  const problems = h("fieldset", { class: "question" }, h("legend", {}, "Accessibility problems you met"),
    WEBSITE_PROBLEMS.map(([value, text]) => {
      const id = nextId("a");
      const box = h("input", { type: "checkbox", id, checked: (log.accessibility_problems || []).includes(value) });
      box.addEventListener("change", () => {
        const chosen = new Set(log.accessibility_problems || []);
        if (box.checked) chosen.add(value); else chosen.delete(value);
        log.accessibility_problems = WEBSITE_PROBLEMS.map(([v]) => v).filter((v) => chosen.has(v));
        onSave();
      });
      return h("div", { class: "checkbox" }, box, h("label", { for: id }, text));
    }));
  const keyed = (key, node) => { node.dataset.key = `website.${key}`; return node; };
  return h("fieldset", { class: "website-log" }, h("legend", {}, "Website log"),
    keyed("start_page", h("div", { class: "question" }, field("Where you started", text("start_page"), "The address you opened, or what you typed into a search engine."))),
    keyed("found", radios("Did you find the answer?", [["yes", "Yes"], ["no", "No, I gave up"]],
      log.found === undefined ? null : log.found ? "yes" : "no", (value) => { log.found = value === "yes"; onSave(); })),
    keyed("seconds_to_find", h("fieldset", { class: "question" }, h("legend", {}, "Time to find it (or until you gave up)"),
      h("div", { class: "inline-fields" }, h("label", { for: minutes.id }, "Minutes"), minutes, h("label", { for: seconds.id }, "Seconds"), seconds))),
    h("div", { class: "question" }, field("Dead ends (pages that led nowhere)", deadEnds)),
    h("div", { class: "question" }, field("About the dead ends (optional)", text("dead_end_notes", { rows: "2" }))),
    problems,
    h("div", { class: "question" }, field("About the accessibility problems (optional)", text("accessibility_notes", { rows: "2" }))));
}

// What is missing in a website log, as [{key, text}] for the capture's error summary.
export function websiteProblems(log) {
  if (!log) return [];
  const out = [];
  if (!String(log.start_page || "").trim()) out.push({ key: "website.start_page", text: "Website log: where you started" });
  if (log.found === undefined) out.push({ key: "website.found", text: "Website log: whether you found the answer" });
  else if (log.found && !Number.isInteger(log.seconds_to_find)) out.push({ key: "website.seconds_to_find", text: "Website log: how long it took to find it" });
  return out;
}
