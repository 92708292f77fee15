// Capture, rendered from the questionnaire version: every answer is written to IndexedDB as it is given.
// A finished item is read-only; it waits in the outbox until the server confirms it.
import { callLogPayload, fromTaps, OUTCOMES, problems as callLogProblems, tapLabel, tapLabels } from "./calllog.js";
import { correspondenceSection, correspondenceSummary, finishChoices, websiteProblems, websiteSection, websiteSummary } from "./channels.js";
import { isCorrespondence } from "./correspondence.js";
import { alertBox, field, h, nextId, show, when } from "./dom.js";
import { language, LANGUAGES, locale, preload, t, tFor } from "./i18n.js";
import { duration, label } from "./labels.js";
import { compress } from "./photo.js";
import * as store from "./store.js";

export const KIND_FOR_CHANNEL = { in_person: "visit", exit_interview: "exit_interview", telephone: "call",
  email: "email", letter: "letter", website: "website" };
export const kindLabel = (kind) => label("kind", kind);

export async function startItem(brief) {
  const item = {
    uuid: crypto.randomUUID(), assignment_id: brief.id, kind: KIND_FOR_CHANNEL[brief.channel],
    questionnaire_id: brief.questionnaire_id, questionnaire_version: brief.questionnaire_version,
    started_at: new Date().toISOString(), completed_at: null, answers: {}, notes: "", commendation: "",
    evidence: [], status: "draft", title: brief.contact_point?.name || t("Assignment {id}", { id: brief.id }),
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
  if (question.lang) set.lang = question.lang;
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
  return h("div", { class: "checkbox" }, box, h("label", { for: id }, tFor(question.lang, "Not applicable")));
}

function questionInput(question, item, onSave) {
  const key = question.key;
  const value = item.answers[key];
  const say = (message) => tFor(question.lang, message); // the interview's language
  const na = question.na_allowed ? [{ value: null, label: say("Not applicable") }] : [];
  switch (question.type) {
    case "yes_no":
      return choiceGroup(question, item, [{ value: true, label: say("Yes") }, { value: false, label: say("No") }, ...na], false, onSave);
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
        h("div", { class: "inline-fields" }, h("label", { for: minutes.id }, say("Minutes")), minutes,
          h("label", { for: seconds.id }, say("Seconds")), seconds),
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
  const note = h("p", { class: "hint derived" }, t("From the call timer: {answer}.", { answer: shown }));
  const differs = h("p", { class: "hint derived-differs" }, t("You changed this: the reviewer will see both answers."));
  const update = () => { differs.hidden = item.answers[question.key] === derived; };
  node.addEventListener("input", update); node.addEventListener("change", update);
  update();
  node.append(note, differs);
  return node;
}

function photoInput(question, item, onSave) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", id: nextId("photo") });
  const status = h("p", { class: "hint", role: "status" }, item.answers[question.key] ? t("Photo attached.") : "");
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    status.textContent = t("Making the photo smaller…");
    try {
      const photo = await compress(file);
      const id = item.answers[question.key] || crypto.randomUUID();
      item.evidence = (item.evidence || []).filter((e) => e.id !== id);
      item.evidence.push({ id, kind: "photo", content_type: photo.content_type, data: photo.data, taken_at: new Date().toISOString() });
      item.answers[question.key] = id;
      await onSave();
      status.textContent = t("Photo attached ({size} KB).", { size: Math.round(photo.size / 1024) });
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

const clockTime = (iso) => new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit" });

// The call screen: one large button per moment of the call.
function callScreen(item, version, onSave, redraw) {
  const log = item.call_log;
  const taps = log.taps || (log.taps = []);
  const tap = async (event) => { taps.push({ event, at: new Date().toISOString() }); applyTaps(item, version); await onSave(); redraw(); };
  return h("section", { class: "call-screen", "aria-labelledby": "call-screen-title" },
    h("h2", { id: "call-screen-title" }, t("Call timer")),
    h("p", { class: "hint" }, t("Tap each moment as it happens: the waiting and talk times, transfers and giving up are worked out from the phone's clock.")),
    h("div", { class: "tap-grid" }, tapLabels().map(([event, text]) => h("button", { type: "button", class: "button tap", dataset: { event }, onclick: () => tap(event) }, text))),
    taps.length ? h("ol", { class: "taps", "aria-label": t("Moments tapped") }, taps.map((x) => h("li", {}, t("{time} {moment}", { time: clockTime(x.at), moment: tapLabel(x.event) })))) : null,
    taps.length ? h("button", { type: "button", class: "button secondary", onclick: async () => { taps.pop(); applyTaps(item, version); await onSave(); redraw(); } }, t("Undo the last tap")) : null);
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
      [{ value: true, label: t("Yes") }, { value: false, label: t("No") }], false, () => {});
    group.addEventListener("change", () => { log[name] = JSON.parse(group.querySelector("input:checked").dataset.value); onChange?.(); onSave(); });
    return group;
  };
  const localValue = (value) => {
    const d = new Date(value);
    return !value || Number.isNaN(d.getTime()) || !String(value).endsWith("Z") ? value || "" : new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  };
  const dialled = h("input", { type: "datetime-local", value: localValue(log.dialled_at) });
  dialled.addEventListener("input", () => { log.dialled_at = dialled.value; onSave(); });

  const answerTime = keyed("seconds_to_answer", h("div", { class: "question" }, field(t("Seconds until a person answered"), whole("seconds_to_answer"), t("Ringing and queueing, until you spoke to someone."))));
  const showAnswered = () => { answerTime.hidden = log.answered === false; };
  const messageDetail = h("div", {}, ...[["gave_name", t("It gave the service's or council's name")], ["gave_hours", t("It gave the opening hours")],
    ["gave_alternative", t("It gave another number or way to get help")]].map(([name, label]) => {
    const id = nextId(name);
    const box = h("input", { type: "checkbox", id, checked: !!log[name] });
    box.addEventListener("change", () => { log[name] = box.checked; onSave(); });
    return h("div", { class: "checkbox" }, box, h("label", { for: id }, label));
  }), (() => {
    const comment = h("input", { type: "text", maxlength: "500", value: log.message_comment || "" });
    comment.addEventListener("input", () => { log.message_comment = comment.value; onSave(); });
    return field(t("About the message (optional)"), comment);
  })());
  const showMessage = () => { messageDetail.hidden = log.message_heard !== true; };

  const transfers = h("ol", { class: "transfers" });
  const drawTransfers = () => transfers.replaceChildren(...log.transfers.map((transfer, i) => {
    const to = h("input", { type: "text", maxlength: "200", value: transfer.to || "" });
    to.addEventListener("input", () => { transfer.to = to.value; onSave(); });
    const announcedId = nextId("ann");
    const announced = h("input", { type: "checkbox", id: announcedId, checked: !!transfer.announced });
    announced.addEventListener("change", () => { transfer.announced = announced.checked; onSave(); });
    const waiting = h("input", { type: "number", inputmode: "numeric", min: "0", step: "1", class: "short", value: transfer.seconds_waiting ?? "" });
    waiting.addEventListener("input", () => { transfer.seconds_waiting = waiting.value === "" ? "" : Number(waiting.value); onSave(); });
    return h("li", { dataset: { key: `call_log.transfer-${i}` } },
      field(t("Transfer {n}: put through to", { n: i + 1 }), to, t("A department, team or role: no names.")),
      h("div", { class: "checkbox" }, announced, h("label", { for: announcedId }, t("Transfer {n} was announced (you were told who and why)", { n: i + 1 }))),
      field(t("Transfer {n}: seconds waiting (optional)", { n: i + 1 }), waiting),
      h("button", { type: "button", class: "button secondary", onclick: () => { log.transfers.splice(i, 1); drawTransfers(); onSave(); } }, t("Remove transfer {n}", { n: i + 1 })));
  }));
  drawTransfers();

  const minutes = keyed("abandoned_after_minutes", h("div", { class: "question" }, field(t("Minutes before you gave up"), whole("abandoned_after_minutes"))));
  const total = Number.isInteger(log.handle_time_seconds) ? log.handle_time_seconds : null;
  const handleMin = h("input", { type: "number", inputmode: "numeric", min: "0", id: nextId("hmin"), class: "short", value: total === null ? "" : String(Math.floor(total / 60)) });
  const handleSec = h("input", { type: "number", inputmode: "numeric", min: "0", max: "59", id: nextId("hsec"), class: "short", value: total === null ? "" : String(total % 60) });
  const setHandle = () => {
    log.handle_time_seconds = handleMin.value === "" && handleSec.value === "" ? ""
      : Math.max(0, Math.round((Number(handleMin.value) || 0) * 60 + (Number(handleSec.value) || 0)));
    onSave();
  };
  handleMin.addEventListener("input", setHandle); handleSec.addEventListener("input", setHandle);
  const handle = keyed("handle_time_seconds", h("fieldset", { class: "question" }, h("legend", {}, t("Handle time (talk plus hold)")),
    h("div", { class: "inline-fields" }, h("label", { for: handleMin.id }, t("Minutes")), handleMin, h("label", { for: handleSec.id }, t("Seconds")), handleSec)));
  const outcome = choiceGroup({ key: "call_log.outcome", text: t("Outcome of the call") }, { answers: { "call_log.outcome": log.outcome } },
    OUTCOMES().map(([value, text]) => ({ value, label: text })), false, () => {});
  const showOutcome = () => { minutes.hidden = log.outcome !== "abandoned"; handle.hidden = log.outcome === "abandoned"; };
  outcome.addEventListener("change", () => { log.outcome = JSON.parse(outcome.querySelector("input:checked").dataset.value); showOutcome(); onSave(); });
  showAnswered(); showMessage(); showOutcome();

  return h("fieldset", { class: "call-log" }, h("legend", {}, t("Call log")),
    h("p", { class: "hint" }, t("Once you start the call log, complete it: the contact-centre figures come from it.")),
    keyed("dialled_at", h("div", { class: "question" }, field(t("When you dialled"), dialled))),
    yesNo("answered", t("Did a person answer?"), showAnswered), answerTime,
    h("div", { class: "question" }, field(t("Rings before an answer (optional)"), whole("rings"), t("About 5 or 6 rings is 20 seconds."))),
    yesNo("message_heard", t("Did you hear a recorded message?"), showMessage), messageDetail,
    h("h3", {}, t("Transfers")), transfers,
    h("button", { type: "button", class: "button secondary", onclick: () => { log.transfers.push({ to: "", announced: false }); drawTransfers(); onSave(); } }, t("Add a transfer")),
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
  const finishes = isCorrespondence(item) ? finishChoices(item, brief) : [["", t("Finish and send")]];
  if (item.kind === "call" && !item.call_log) item.call_log = { transfers: [] }; // a draft begun before the call log
  const errors = h("div");
  let saveError = null;
  const onSave = async () => {
    try { await save(item); if (saveError) { saveError.remove(); saveError = null; } } catch (error) {
      if (!saveError) { saveError = alertBox(t("Not saved: {reason}", { reason: error.message })); errors.append(saveError); }
    }
  };
  const sections = version.sections.map((section) => h("section", { class: "q-section" },
    h("h2", {}, section.translations?.[item.language || language()]?.title || section.title),
    section.questions.map((q) => withDerived(worded(q, item.language), item, questionInput(worded(q, item.language), item, onSave)))));
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
        h("h2", {}, t("Some answers are missing")),
        h("ul", {}, missing.map((q) => h("li", {}, h("a", { href: "#", onclick: (e) => {
          e.preventDefault(); form.querySelector(`[data-key="${q.key}"]`)?.scrollIntoView(); form.querySelector(`[data-key="${q.key}"] input, [data-key="${q.key}"] textarea`)?.focus();
        } }, worded(q, item.language).text))))));
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
    h("h2", { id: "returned-heading" }, t("Returned by the coordinator for changes")), h("p", {}, item.review_comment),
    h("p", { class: "hint" }, t("Fix the answers below, then send it again: it goes back as a new revision of the same report."))) : null,
  isCorrespondence(item) ? correspondenceSection(item, brief, onSave, redraw) : null,
  item.website ? websiteSection(item, onSave) : null,
  item.kind === "exit_interview" ? h("p", { class: "notice notice-info" }, t("Ask consent first. Record no name, address or anything that identifies the resident.")) : null,
  item.kind === "exit_interview" ? interviewLanguage(item, onSave, () => captureView(item, version, brief, onDone)) : null,
  item.call_log ? callScreen(item, version, onSave, redraw) : null,
  item.call_log ? callLog(item, onSave) : null,
  sections,
  h("section", { class: "q-section" }, h("h2", {}, t("Notes")),
    field(t("Notes for the coordinator"), notes, t("Describe staff by role only; no names.")),
    item.kind !== "exit_interview" ? field(t("Commendation (optional)"), commendation, t("Exceptional service, by role; no names.")) : null),
  finishes.length ? finishes.map(([value, text]) => h("button", { type: "submit", class: "button", value }, text))
    : h("p", { class: "notice notice-info" }, item.sent_at ? t("Waiting for the reply: add it here when it arrives, on this phone or another.")
      : t("Record when you send it: the report stays open on your phones until the reply comes.")));
  const consent = form.querySelector('[data-key="consent"]');
  const applyConsent = () => sections.slice(1).forEach((s) => { s.hidden = item.answers.consent === false; });
  consent?.addEventListener("change", applyConsent);
  if (consent) applyConsent();
  show(h("h1", {}, `${kindLabel(item.kind)}: ${item.title}`),
    h("p", { class: "hint" }, t("Every answer is saved on this phone as you give it.")), form);
}

function finishedView(item, version) {
  const questions = {};
  version?.sections.forEach((s) => s.questions.forEach((q) => { questions[q.key] = worded(q, item.language); }));
  const sent = item.status === "sent";
  show(h("h1", {}, `${kindLabel(item.kind)}: ${item.title}`),
    h("p", { class: "notice notice-info" }, sent ? t("Sent: the server confirmed it. It is read-only unless the coordinator returns it.")
      : t("Finished: read-only. It stays on this phone until the server confirms it.")),
    h("dl", { class: "answers" }, Object.entries(item.answers).flatMap(([k, v]) => [h("dt", {}, questions[k]?.text || t("An earlier question")), h("dd", {}, answerText(questions[k], v))])),
    callLogSummary(item),
    correspondenceSummary(item),
    websiteSummary(item),
    item.notes ? h("p", {}, t("Notes: {notes}", { notes: item.notes })) : null,
    item.commendation ? h("p", {}, t("Commendation: {text}", { text: item.commendation })) : null);
}

// An answer as the shopper gave it: the option's words (not its stored value), a duration in minutes and seconds.
export function answerText(question, value) {
  if (value === null) return t("Not applicable");
  if (value === undefined || value === "") return "—";
  if (value === true) return t("Yes");
  if (value === false) return t("No");
  const option = (v) => (question?.options || []).find((o) => o.value === v)?.label ?? String(v);
  if (Array.isArray(value)) return value.map(option).join(", ");
  if (question?.type === "duration") return duration(value);
  if (question?.type === "photo") return t("Photo attached.");
  return option(value);
}

function callLogSummary(item) {
  const log = callLogPayload(item);
  if (!log) return null;
  const outcome = label("outcome", log.outcome);
  const rows = [[t("Dialled"), when(log.dialled_at)],
    [t("Answered after"), log.seconds_to_answer === null ? t("Not answered") : duration(log.seconds_to_answer)],
    [t("Rings"), log.rings ?? t("Not counted")], [t("Recorded message"), log.recorded_message.heard ? t("Heard") : t("Not heard")],
    [t("Transfers"), log.transfers.map((x) => (x.announced ? t("{to} (announced)", { to: x.to }) : x.to)).join("; ") || t("No transfers")],
    [t("Outcome"), log.abandoned_after_minutes === null ? outcome : t("{outcome} after {n} min", { outcome, n: log.abandoned_after_minutes })],
    [t("Handle time"), duration(log.handle_time_seconds)]];
  return h("section", {}, h("h2", {}, t("Call log")), h("dl", { class: "answers" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
}

// Each question's text by its key, as the shopper saw it (the version may be missing: the key stands in).
export function questionTexts(version, lang) {
  const texts = {};
  version?.sections.forEach((s) => s.questions.forEach((q) => { texts[q.key] = worded(q, lang).text; }));
  return texts;
}

// A question in the interview's language: its translation where the questionnaire has one (the same key and
// option values, so an interview in Welsh counts with those in English), else as written.
export function worded(question, lang = language()) {
  const translation = question.translations?.[lang];
  if (!translation) return question;
  const options = (question.options || []).map((o) => ({ ...o, label: translation.options?.[String(o.value)] || o.label }));
  return { ...question, text: translation.text || question.text, help_text: translation.help_text ?? question.help_text,
           options, lang };
}

// An exit interview is run in the resident's language, whatever the app's: a choice at its top.
function interviewLanguage(item, onSave, redraw) {
  const name = nextId("interview-language");
  return h("fieldset", { class: "question interview-language" }, h("legend", {}, t("Language of the interview")),
    Object.entries(LANGUAGES).map(([code, own]) => {
      const id = nextId("il");
      return h("div", { class: "radio" },
        h("input", { type: "radio", name, id, value: code, checked: (item.language || language()) === code,
          onchange: async () => { item.language = code; await preload(code); await onSave(); redraw(); } }),
        h("label", { for: id, lang: code }, own));
    }));
}
