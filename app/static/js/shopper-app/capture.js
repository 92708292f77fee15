// Capture, rendered from the questionnaire version: every answer is written to IndexedDB as it is given.
// A finished item is read-only; it waits in the outbox until the server confirms it.
import { callLogPayload, fromTaps, OUTCOMES, problems as callLogProblems, TAP_LABEL, TAPS } from "./calllog.js";
import { COVERS, correspondenceSection, finishChoices, finishedByText, SENDERS, VIA, websiteProblems, websiteSection, WEBSITE_PROBLEMS } from "./channels.js";
import { isCorrespondence } from "./correspondence.js";
import { alertBox, field, h, nextId, show, when } from "./dom.js";
import { compress } from "./photo.js";
import * as store from "./store.js";

export const KIND_FOR_CHANNEL = { in_person: "visit", exit_interview: "exit_interview", telephone: "call",
  email: "email", letter: "letter", website: "website" };
const KIND_LABEL = { visit: "In-person visit", exit_interview: "Exit interview", call: "Telephone shop", email: "E-mail shop",
  letter: "Letter shop", website: "Website shop", decision: "Answer to an offer" };
export const kindLabel = (kind) => KIND_LABEL[kind] || "Report";

// A number of seconds as a person says it: "1 min 5 s", "45 s".
export function duration(seconds) {
  if (!Number.isInteger(seconds)) return "";
  const minutes = Math.floor(seconds / 60);
  return minutes ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

export async function startItem(brief) {
  const item = {
    uuid: crypto.randomUUID(), assignment_id: brief.id, kind: KIND_FOR_CHANNEL[brief.channel],
    questionnaire_id: brief.questionnaire_id, questionnaire_version: brief.questionnaire_version,
    started_at: new Date().toISOString(), completed_at: null, answers: {}, notes: "", commendation: "",
    evidence: [], status: "draft", title: `${brief.contact_point?.name || "Assignment " + brief.id}`,
    call_log: brief.channel === "telephone" ? { transfers: [] } : undefined,
  };
  if (brief.channel === "email" || brief.channel === "letter") {
    Object.assign(item, { sent_at: null, replies: [], sent_to: brief.contact_point?.locator || "", sent_from: null });
  }
  if (brief.channel === "website") item.website = { start_page: brief.contact_point?.locator || "", dead_ends: "", accessibility_problems: [] };
  await store.put("items", item);
  return item;
}

const save = (item) => store.put("items", item);

function choiceGroup(question, item, options, multi, onSave) {
  const name = nextId(question.key);
  const current = item.answers[question.key];
  const inputs = options.map(({ value, label }) => {
    const id = nextId("o");
    const checked = multi ? Array.isArray(current) && current.includes(value) : current === value;
    return h("div", { class: multi ? "checkbox" : "radio" },
      h("input", { type: multi ? "checkbox" : "radio", name, id, checked, dataset: { value: JSON.stringify(value) } }),
      h("label", { for: id }, label));
  });
  const set = h("fieldset", { class: "question", dataset: { key: question.key } },
    h("legend", {}, question.text), question.help_text ? h("p", { class: "hint" }, question.help_text) : null, inputs);
  set.addEventListener("change", () => {
    const picked = [...set.querySelectorAll("input:checked")].map((i) => JSON.parse(i.dataset.value));
    if (multi) {
      const na = picked.includes(null);
      item.answers[question.key] = na ? null : picked;
    } else item.answers[question.key] = picked.length ? picked[0] : undefined;
    onSave();
  });
  return set;
}

function naBox(question, item, onSave, input) {
  if (!question.na_allowed) return null;
  const id = nextId("na");
  const box = h("input", { type: "checkbox", id, checked: item.answers[question.key] === null });
  box.addEventListener("change", () => {
    item.answers[question.key] = box.checked ? null : undefined;
    if (input) input.disabled = box.checked;
    onSave();
  });
  return h("div", { class: "checkbox" }, box, h("label", { for: id }, "Not applicable"));
}

function questionInput(question, item, onSave) {
  const key = question.key;
  const value = item.answers[key];
  const na = question.na_allowed ? [{ value: null, label: "Not applicable" }] : [];
  switch (question.type) {
    case "yes_no":
      return choiceGroup(question, item, [{ value: true, label: "Yes" }, { value: false, label: "No" }, ...na], false, onSave);
    case "scale": {
      const low = question.scale_min ?? 1; const high = question.scale_max ?? 5;
      const options = Array.from({ length: high - low + 1 }, (_, i) => ({ value: low + i, label: String(low + i) }));
      const group = choiceGroup(question, item, [...options, ...na], false, onSave);
      group.classList.add("scale");
      return group;
    }
    case "single_choice":
      return choiceGroup(question, item, [...(question.options || []), ...na], false, onSave);
    case "multi_choice":
      return choiceGroup(question, item, [...(question.options || []), ...na], true, onSave);
    case "duration": {
      const total = Number.isInteger(value) ? value : null;
      const minutes = h("input", { type: "number", inputmode: "numeric", min: "0", id: nextId("min"), class: "short",
        value: total === null ? "" : String(Math.floor(total / 60)) });
      const seconds = h("input", { type: "number", inputmode: "numeric", min: "0", max: "59", id: nextId("sec"), class: "short",
        value: total === null ? "" : String(total % 60) });
      const update = () => {
        if (minutes.value === "" && seconds.value === "") item.answers[key] = undefined;
        else item.answers[key] = Math.max(0, Math.round((Number(minutes.value) || 0) * 60 + (Number(seconds.value) || 0)));
        onSave();
      };
      minutes.addEventListener("input", update); seconds.addEventListener("input", update);
      return h("fieldset", { class: "question", dataset: { key } }, h("legend", {}, question.text),
        question.help_text ? h("p", { class: "hint" }, question.help_text) : null,
        h("div", { class: "inline-fields" }, h("label", { for: minutes.id }, "Minutes"), minutes,
          h("label", { for: seconds.id }, "Seconds"), seconds),
        naBox(question, item, onSave, null));
    }
    case "photo": return photoInput(question, item, onSave);
    default: {
      const attrs = { id: nextId(key), dataset: { key } };
      let input;
      if (question.type === "text") input = h("textarea", { ...attrs, rows: "3" });
      else if (question.type === "time") input = h("input", { ...attrs, type: "time" });
      else input = h("input", { ...attrs, type: "number", inputmode: "decimal", step: "any" });
      input.value = value === null || value === undefined ? "" : String(value);
      input.addEventListener("input", () => {
        const raw = input.value;
        item.answers[key] = raw === "" ? undefined : question.type === "number" ? Number(raw) : raw;
        onSave();
      });
      return h("div", { class: "question", dataset: { key } }, field(question.text, input, question.help_text),
        naBox(question, item, onSave, input));
    }
  }
}

// A question the call screen answered says so, and says when the shopper's answer differs from it.
function withDerived(question, item, node) {
  const derived = item.derived_answers?.[question.key];
  if (derived === undefined) return node;
  const shown = question.type === "duration" ? duration(derived)
    : (question.options || []).find((o) => o.value === derived)?.label ?? String(derived);
  const note = h("p", { class: "hint derived" }, `From the call timer: ${shown}.`);
  const differs = h("p", { class: "hint derived-differs" }, "You changed this: the reviewer will see both answers.");
  const update = () => { differs.hidden = item.answers[question.key] === derived; };
  node.addEventListener("input", update); node.addEventListener("change", update);
  update();
  node.append(note, differs);
  return node;
}

function photoInput(question, item, onSave) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", id: nextId("photo") });
  const status = h("p", { class: "hint", role: "status" }, item.answers[question.key] ? "Photo attached." : "");
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    status.textContent = "Making the photo smaller…";
    try {
      const photo = await compress(file);
      const id = item.answers[question.key] || crypto.randomUUID();
      item.evidence = (item.evidence || []).filter((e) => e.id !== id);
      item.evidence.push({ id, kind: "photo", content_type: photo.content_type, data: photo.data, taken_at: new Date().toISOString() });
      item.answers[question.key] = id;
      await onSave();
      status.textContent = `Photo attached (${Math.round(photo.size / 1024)} KB).`;
    } catch (error) { status.textContent = error.message; }
  });
  return h("div", { class: "question", dataset: { key: question.key } }, field(question.text, input, question.help_text), status);
}

// The taps' measures into the call log, and their answers into the questionnaire: an answer the shopper has not
// changed follows the taps; one they changed stays theirs (the server flags the difference for the reviewer).
function applyTaps(item, version) {
  const log = item.call_log;
  const derived = fromTaps(log.taps || []);
  const before = item.derived_answers || {};
  const keys = new Set(Object.keys(questionTexts(version)));
  const now = derived ? Object.fromEntries(Object.entries(derived.answers).filter(([key]) => keys.has(key))) : {};
  if (derived) {
    const { transfers, ...measures } = derived.log;
    Object.assign(log, measures);
    log.transfers = transfers.map((t, i) => ({ to: log.transfers?.[i]?.to || "", announced: !!log.transfers?.[i]?.announced, seconds_waiting: t.seconds_waiting }));
  }
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    const untouched = item.answers[key] === undefined || item.answers[key] === before[key];
    if (untouched) item.answers[key] = now[key];
  }
  item.derived_answers = now;
}

const clockTime = (iso) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

// The call screen: one large button per moment of the call.
function callScreen(item, version, onSave, redraw) {
  const log = item.call_log;
  const taps = log.taps || (log.taps = []);
  const tap = async (event) => { taps.push({ event, at: new Date().toISOString() }); applyTaps(item, version); await onSave(); redraw(); };
  return h("section", { class: "call-screen", "aria-labelledby": "call-screen-title" },
    h("h2", { id: "call-screen-title" }, "Call timer"),
    h("p", { class: "hint" }, "Tap each moment as it happens: the waiting and talk times, transfers and giving up are worked out from the phone's clock."),
    h("div", { class: "tap-grid" }, TAPS.map(([event, label]) => h("button", { type: "button", class: "button tap", dataset: { event }, onclick: () => tap(event) }, label))),
    taps.length ? h("ol", { class: "taps", "aria-label": "Moments tapped" }, taps.map((t) => h("li", {}, `${clockTime(t.at)} ${TAP_LABEL[t.event] || ""}`))) : null,
    taps.length ? h("button", { type: "button", class: "button secondary", onclick: async () => { taps.pop(); applyTaps(item, version); await onSave(); redraw(); } }, "Undo the last tap") : null);
}

// The call log (telephone shops): each value is saved as the shopper gives it; calllog.js turns it into the
// contract's call_log when it is sent. Fields are keyed "call_log.<name>" for the error summary's links.
function callLog(item, onSave) {
  const log = item.call_log;
  const keyed = (name, node) => { node.dataset.key = `call_log.${name}`; return node; };
  const whole = (name, attrs = {}) => {
    const input = h("input", { type: "number", inputmode: "numeric", min: "0", step: "1", class: "short", value: log[name] ?? "", ...attrs });
    input.addEventListener("input", () => { log[name] = input.value === "" ? "" : Number(input.value); onSave(); });
    return input;
  };
  const yesNo = (name, legend, onChange) => {
    const group = choiceGroup({ key: `call_log.${name}`, text: legend }, { answers: { [`call_log.${name}`]: log[name] } },
      [{ value: true, label: "Yes" }, { value: false, label: "No" }], false, () => {});
    group.addEventListener("change", () => { log[name] = JSON.parse(group.querySelector("input:checked").dataset.value); onChange?.(); onSave(); });
    return group;
  };
  const localValue = (value) => {
    const d = new Date(value);
    return !value || Number.isNaN(d.getTime()) || !String(value).endsWith("Z") ? value || "" : new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  };
  const dialled = h("input", { type: "datetime-local", value: localValue(log.dialled_at) });
  dialled.addEventListener("input", () => { log.dialled_at = dialled.value; onSave(); });

  const answerTime = keyed("seconds_to_answer", h("div", { class: "question" }, field("Seconds until a person answered", whole("seconds_to_answer"), "Ringing and queueing, until you spoke to someone.")));
  const showAnswered = () => { answerTime.hidden = log.answered === false; };
  const messageDetail = h("div", {}, ...[["gave_name", "It gave the service's or council's name"], ["gave_hours", "It gave the opening hours"],
    ["gave_alternative", "It gave another number or way to get help"]].map(([name, label]) => {
    const id = nextId(name);
    const box = h("input", { type: "checkbox", id, checked: !!log[name] });
    box.addEventListener("change", () => { log[name] = box.checked; onSave(); });
    return h("div", { class: "checkbox" }, box, h("label", { for: id }, label));
  }), (() => {
    const comment = h("input", { type: "text", maxlength: "500", value: log.message_comment || "" });
    comment.addEventListener("input", () => { log.message_comment = comment.value; onSave(); });
    return field("About the message (optional)", comment);
  })());
  const showMessage = () => { messageDetail.hidden = log.message_heard !== true; };

  const transfers = h("ol", { class: "transfers" });
  const drawTransfers = () => transfers.replaceChildren(...log.transfers.map((t, i) => {
    const to = h("input", { type: "text", maxlength: "200", value: t.to || "" });
    to.addEventListener("input", () => { t.to = to.value; onSave(); });
    const announcedId = nextId("ann");
    const announced = h("input", { type: "checkbox", id: announcedId, checked: !!t.announced });
    announced.addEventListener("change", () => { t.announced = announced.checked; onSave(); });
    const waiting = h("input", { type: "number", inputmode: "numeric", min: "0", step: "1", class: "short", value: t.seconds_waiting ?? "" });
    waiting.addEventListener("input", () => { t.seconds_waiting = waiting.value === "" ? "" : Number(waiting.value); onSave(); });
    return h("li", { dataset: { key: `call_log.transfer-${i}` } },
      field(`Transfer ${i + 1}: put through to`, to, "A department, team or role: no names."),
      h("div", { class: "checkbox" }, announced, h("label", { for: announcedId }, `Transfer ${i + 1} was announced (you were told who and why)`)),
      field(`Transfer ${i + 1}: seconds waiting (optional)`, waiting),
      h("button", { type: "button", class: "button secondary", onclick: () => { log.transfers.splice(i, 1); drawTransfers(); onSave(); } }, `Remove transfer ${i + 1}`));
  }));
  drawTransfers();

  const minutes = keyed("abandoned_after_minutes", h("div", { class: "question" }, field("Minutes before you gave up", whole("abandoned_after_minutes"))));
  const total = Number.isInteger(log.handle_time_seconds) ? log.handle_time_seconds : null;
  const handleMin = h("input", { type: "number", inputmode: "numeric", min: "0", id: nextId("hmin"), class: "short", value: total === null ? "" : String(Math.floor(total / 60)) });
  const handleSec = h("input", { type: "number", inputmode: "numeric", min: "0", max: "59", id: nextId("hsec"), class: "short", value: total === null ? "" : String(total % 60) });
  const setHandle = () => {
    log.handle_time_seconds = handleMin.value === "" && handleSec.value === "" ? ""
      : Math.max(0, Math.round((Number(handleMin.value) || 0) * 60 + (Number(handleSec.value) || 0)));
    onSave();
  };
  handleMin.addEventListener("input", setHandle); handleSec.addEventListener("input", setHandle);
  const handle = keyed("handle_time_seconds", h("fieldset", { class: "question" }, h("legend", {}, "Handle time (talk plus hold)"),
    h("div", { class: "inline-fields" }, h("label", { for: handleMin.id }, "Minutes"), handleMin, h("label", { for: handleSec.id }, "Seconds"), handleSec)));
  const outcome = choiceGroup({ key: "call_log.outcome", text: "Outcome of the call" }, { answers: { "call_log.outcome": log.outcome } },
    OUTCOMES.map(([value, label]) => ({ value, label })), false, () => {});
  const showOutcome = () => { minutes.hidden = log.outcome !== "abandoned"; handle.hidden = log.outcome === "abandoned"; };
  outcome.addEventListener("change", () => { log.outcome = JSON.parse(outcome.querySelector("input:checked").dataset.value); showOutcome(); onSave(); });
  showAnswered(); showMessage(); showOutcome();

  return h("fieldset", { class: "call-log" }, h("legend", {}, "Call log"),
    h("p", { class: "hint" }, "Once you start the call log, complete it: the contact-centre figures come from it."),
    keyed("dialled_at", h("div", { class: "question" }, field("When you dialled", dialled))),
    yesNo("answered", "Did a person answer?", showAnswered), answerTime,
    h("div", { class: "question" }, field("Rings before an answer (optional)", whole("rings"), "About 5 or 6 rings is 20 seconds.")),
    yesNo("message_heard", "Did you hear a recorded message?", showMessage), messageDetail,
    h("h3", {}, "Transfers"), transfers,
    h("button", { type: "button", class: "button secondary", onclick: () => { log.transfers.push({ to: "", announced: false }); drawTransfers(); onSave(); } }, "Add a transfer"),
    outcome, minutes, handle);
}

function missingRequired(version, item, finishedBy) {
  const consentNo = item.kind === "exit_interview" && item.answers.consent === false;
  const missing = [];
  // "No reply within the wait" is itself the result: the questions about the reply have no answer.
  if (finishedBy !== "wait_limit") for (const section of version.sections) for (const q of section.questions) {
    if (consentNo && q.key !== "consent") continue;
    if (q.required && (item.answers[q.key] === undefined || item.answers[q.key] === "")) missing.push(q);
  }
  return [...missing, ...callLogProblems(item.call_log), ...websiteProblems(item.website)];
}

export function captureView(item, version, brief, onDone) {
  if (item.status !== "draft") return finishedView(item, version);
  const redraw = () => captureView(item, version, brief, onDone);
  const finishes = isCorrespondence(item) ? finishChoices(item, brief) : [["", "Finish and send"]];
  if (item.kind === "call" && !item.call_log) item.call_log = { transfers: [] }; // a draft begun before the call log
  const errors = h("div");
  let saveError = null;
  const onSave = async () => {
    try { await save(item); if (saveError) { saveError.remove(); saveError = null; } } catch (error) {
      if (!saveError) { saveError = alertBox(`Not saved: ${error.message}`); errors.append(saveError); }
    }
  };
  const sections = version.sections.map((section) => h("section", { class: "q-section" },
    h("h2", {}, section.title), section.questions.map((q) => withDerived(q, item, questionInput(q, item, onSave)))));
  const notes = h("textarea", { rows: "3", id: nextId("notes") });
  notes.value = item.notes || "";
  notes.addEventListener("input", () => { item.notes = notes.value; onSave(); });
  const commendation = h("textarea", { rows: "2", id: nextId("comm") });
  commendation.value = item.commendation || "";
  commendation.addEventListener("input", () => { item.commendation = commendation.value; onSave(); });
  const form = h("form", { class: "stack capture", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const finishedBy = event.submitter?.value || finishes[0]?.[0] || "";
    if (isCorrespondence(item) && !finishes.some(([value]) => value === finishedBy)) return;
    const missing = missingRequired(version, item, finishedBy);
    if (missing.length) {
      errors.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
        h("h2", {}, "Some answers are missing"),
        h("ul", {}, missing.map((q) => h("li", {}, h("a", { href: "#", onclick: (e) => {
          e.preventDefault(); form.querySelector(`[data-key="${q.key}"]`)?.scrollIntoView(); form.querySelector(`[data-key="${q.key}"] input, [data-key="${q.key}"] textarea`)?.focus();
        } }, q.text))))));
      errors.firstChild.focus();
      return;
    }
    // A resident who declined: keep only that answer (the server takes nothing else without consent).
    if (item.kind === "exit_interview" && item.answers.consent === false) item.answers = { consent: false };
    item.completed_at = new Date().toISOString();
    if (item.completed_at < item.started_at) item.completed_at = item.started_at;
    if (finishedBy) item.finished_by = finishedBy;
    item.status = "queued";
    await onSave();
    onDone(item);
  } },
  errors,
  item.review_comment ? h("section", { class: "notice notice-warning returned-comment", "aria-labelledby": "returned-heading" },
    h("h2", { id: "returned-heading" }, "Returned by the coordinator for changes"), h("p", {}, item.review_comment),
    h("p", { class: "hint" }, "Fix the answers below, then send it again: it goes back as a new revision of the same report.")) : null,
  isCorrespondence(item) ? correspondenceSection(item, brief, onSave, redraw) : null,
  item.website ? websiteSection(item, onSave) : null,
  item.kind === "exit_interview" ? h("p", { class: "notice notice-info" }, "Ask consent first. Record no name, address or anything that identifies the resident.") : null,
  item.call_log ? callScreen(item, version, onSave, redraw) : null,
  item.call_log ? callLog(item, onSave) : null,
  sections,
  h("section", { class: "q-section" }, h("h2", {}, "Notes"),
    field("Notes for the coordinator", notes, "Describe staff by role only; no names."),
    item.kind !== "exit_interview" ? field("Commendation (optional)", commendation, "Exceptional service, by role; no names.") : null),
  finishes.length ? finishes.map(([value, text]) => h("button", { type: "submit", class: "button", value }, text))
    : h("p", { class: "notice notice-info" }, item.sent_at ? "Waiting for the reply: add it here when it arrives, on this phone or another."
      : "Record when you send it: the report stays open on your phones until the reply comes."));
  const consent = form.querySelector('[data-key="consent"]');
  const applyConsent = () => sections.slice(1).forEach((s) => { s.hidden = item.answers.consent === false; });
  consent?.addEventListener("change", applyConsent);
  if (consent) applyConsent();
  show(h("h1", {}, `${kindLabel(item.kind)}: ${item.title}`),
    h("p", { class: "hint" }, "Every answer is saved on this phone as you give it."), form);
}

function finishedView(item, version) {
  const questions = {};
  version?.sections.forEach((section) => section.questions.forEach((q) => { questions[q.key] = q; }));
  const shown = (key, v) => {
    const q = questions[key];
    const option = (value) => (q?.options || []).find((o) => o.value === value)?.label ?? String(value);
    if (v === null) return "Not applicable";
    if (v === true) return "Yes";
    if (v === false) return "No";
    if (q?.type === "duration" && Number.isInteger(v)) return duration(v);
    if (q?.type === "photo") return "Photo attached";
    return Array.isArray(v) ? v.map(option).join(", ") : option(v);
  };
  const sent = item.status === undefined || !["draft", "queued", "rejected"].includes(item.status);
  show(h("h1", {}, `${kindLabel(item.kind)}: ${item.title}`),
    h("p", { class: "notice notice-info" }, sent ? "Sent: the server confirmed it. It is read-only unless the coordinator returns it."
      : "Finished: read-only. It stays on this phone until the server confirms it."),
    h("dl", { class: "answers" }, Object.entries(item.answers).flatMap(([k, v]) => [h("dt", {}, questions[k]?.text || "An earlier question"), h("dd", {}, shown(k, v))])),
    callLogSummary(item),
    correspondenceSummary(item),
    websiteSummary(item),
    item.notes ? h("p", {}, `Notes: ${item.notes}`) : null,
    item.commendation ? h("p", {}, `Commendation: ${item.commendation}`) : null);
}

function rowsList(title, rows) {
  return h("section", {}, h("h2", {}, title), h("dl", { class: "answers" }, rows.filter(([, v]) => v !== "" && v !== null && v !== undefined)
    .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
}

function correspondenceSummary(item) {
  if (!isCorrespondence(item)) return null;
  const label = (pairs, value) => Object.fromEntries(pairs)[value] || "";
  return rowsList("Sending and replies", [["Sent", when(item.sent_at)], ["Sent to", item.sent_to],
    ["Sent from", label(SENDERS, item.sent_from)],
    ...(item.replies || []).map((r, i) => [`Reply ${i + 1}`, [when(r.received_at), label(VIA, r.via), r.from_role, label(COVERS, r.covers_question), r.summary].filter(Boolean).join(" · ")]),
    ["Finished", finishedByText(item.finished_by, item)]]);
}

function websiteSummary(item) {
  const log = item.website;
  if (!log) return null;
  const problems = Object.fromEntries(WEBSITE_PROBLEMS);
  return rowsList("Website log", [["Started at", log.start_page], ["Found the answer", log.found ? "Yes" : "No"],
    ["Time", duration(log.seconds_to_find)], ["Dead ends", String(log.dead_ends || 0)],
    ["Accessibility problems", (log.accessibility_problems || []).map((p) => problems[p]).join("; ") || "No problems met"]]);
}

function callLogSummary(item) {
  const log = callLogPayload(item);
  if (!log) return null;
  const outcome = Object.fromEntries(OUTCOMES)[log.outcome] || log.outcome;
  const rows = [["Dialled", when(log.dialled_at)], ["Answered after", log.seconds_to_answer === null ? "Not answered" : duration(log.seconds_to_answer)],
    ["Rings", log.rings ?? "Not counted"], ["Recorded message", log.recorded_message.heard ? "Heard" : "Not heard"],
    ["Transfers", log.transfers.map((t) => `${t.to}${t.announced ? " (announced)" : ""}`).join("; ") || "No transfers"],
    ["Outcome", log.abandoned_after_minutes === null ? outcome : `${outcome} after ${log.abandoned_after_minutes} min`],
    ["Handle time", log.handle_time_seconds === null ? "Not recorded" : duration(log.handle_time_seconds)]];
  return h("section", {}, h("h2", {}, "Call log"), h("dl", { class: "answers" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
}

// Each question's text by its key, as the shopper saw it (the version may be missing: the key stands in).
export function questionTexts(version) {
  const texts = {};
  version?.sections.forEach((s) => s.questions.forEach((q) => { texts[q.key] = q.text; }));
  return texts;
}
