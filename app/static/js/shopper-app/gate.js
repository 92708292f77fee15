// The gate (SPEC §1): the confidentiality statement acknowledged and conflicts declared before any brief shows.
// It can only be passed online; offline, a shopper who has not passed it sees no brief, even from the cache.
// Conflicts can be declared at any time after, too (#/conflicts). Declaring needs the network, because a conflict
// takes work off the shopper at once; what is on record, and the organisations and service areas to choose from,
// are kept on the phone (meta "gateOptions", "conflicts") for reading offline.
import { call, NetworkError } from "./api.js";
import { alertBox, field, h, nextId, show } from "./dom.js";
import { t, tn } from "./i18n.js";
import { statementBlocks } from "./statement.js";
import * as store from "./store.js";

const offline = () => t("You are offline. Declaring a conflict needs a connection, because it takes any work it touches off you at once. Nothing is saved on this phone: declare it again when you have signal.");

export async function gateView(gate, onPassed) {
  if (!navigator.onLine) {
    show(h("h1", {}, t("Before you see your briefs")),
      alertBox(t("You need a connection to read and acknowledge the confidentiality statement and declare conflicts. Your briefs stay hidden until then."), "warning"));
    return;
  }
  try {
    if (!gate.confidentiality) await confidentiality(gate, onPassed);
    else await conflictsForm({ inGate: true, onDone: (data) => onPassed(data.gate) });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    show(h("h1", {}, t("Before you see your briefs")), alertBox(t("No connection: try again when you have signal."), "warning"));
  }
}

async function confidentiality(gate, onPassed) {
  const { status, data } = await call("GET", "/gate/confidentiality");
  if (status !== 200) {
    show(h("h1", {}, t("Confidentiality")), alertBox(t("The statement could not be loaded.")));
    return;
  }
  const boxId = nextId("ack");
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!form.querySelector(`#${boxId}`).checked) {
      errors.replaceChildren(alertBox(t("Tick the box to say you have read the statement.")));
      errors.querySelector("[role=alert]").focus?.();
      return;
    }
    const result = await call("POST", "/gate/confidentiality", { version: data.version });
    if (result.status !== 200) { errors.replaceChildren(alertBox(t("Not saved; try again."))); return; }
    if (result.data.ready) onPassed(result.data);
    else await conflictsForm({ inGate: true, onDone: (declared) => onPassed(declared.gate) });
  } },
  errors,
  h("div", { class: "statement" }, statementBlocks(data.text)),
  h("div", { class: "checkbox" }, h("input", { type: "checkbox", id: boxId, required: true }),
    h("label", { for: boxId }, t("I have read the confidentiality statement (version {version}) and will keep to it", { version: data.version }))),
  h("button", { type: "submit", class: "button" }, t("Acknowledge and continue")));
  show(h("h1", {}, t("Confidentiality")), form);
}

// The options and what is on record: from the server when it answers (and kept), else from the phone.
export async function loadConflictData() {
  try {
    const [options, onRecord] = await Promise.all([call("GET", "/gate/options"), call("GET", "/gate/conflicts")]);
    if (options.status === 200 && onRecord.status === 200) {
      await store.setMeta("gateOptions", options.data);
      await store.setMeta("conflicts", onRecord.data.conflicts || []);
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
  }
  return { options: (await store.getMeta("gateOptions")) || { organisations: [], service_areas: [] },
           onRecord: (await store.getMeta("conflicts")) || [] };
}

// Declare conflicts later, from the app (#/conflicts): `onDeclared` reloads the briefs (some may be withdrawn).
export async function conflictsView({ onDeclared }) {
  await conflictsForm({ inGate: false, onDone: onDeclared });
}

function conflictLabel(conflict, options) {
  const name = (list, id) => list.find((o) => o.id === id)?.name;
  const organisation = conflict.organisation_id ? name(options.organisations, conflict.organisation_id) || t("An organisation") : t("Any organisation");
  const area = conflict.service_area_id ? name(options.service_areas, conflict.service_area_id) || t("a service area") : t("any service area");
  return `${organisation} — ${area}: ${conflict.reason}`;
}

async function conflictsForm({ inGate, onDone }) {
  const { options, onRecord } = await loadConflictData();
  const rows = [{ organisation_id: "", service_area_id: "", reason: "" }];
  const errors = h("div");
  const list = h("div", { class: "conflict-rows" });
  const noneAllowed = inGate && !onRecord.length;
  const choiceName = nextId("choice");
  const noneId = nextId("none");
  const someId = nextId("some");
  const choice = noneAllowed ? h("fieldset", { class: "question" }, h("legend", {}, t("Do you have any conflicts of interest?")),
    h("div", { class: "radio" }, h("input", { type: "radio", name: choiceName, id: noneId, value: "none" }),
      h("label", { for: noneId }, t("No, I have no conflicts of interest"))),
    h("div", { class: "radio" }, h("input", { type: "radio", name: choiceName, id: someId, value: "some" }),
      h("label", { for: someId }, t("Yes, I have conflicts to declare")))) : null;
  const chosen = () => (noneAllowed ? choice.querySelector("input:checked")?.value : "some");

  const select = (label, list_, key, row, anyLabel) => {
    const input = h("select", {}, h("option", { value: "" }, anyLabel),
      list_.map((o) => h("option", { value: String(o.id), selected: String(row[key]) === String(o.id) }, o.name)));
    input.addEventListener("change", () => { row[key] = input.value; });
    return field(label, input);
  };
  const draw = () => list.replaceChildren(...rows.map((row, i) => {
    const reason = h("input", { type: "text", maxlength: "500", value: row.reason });
    reason.addEventListener("input", () => { row.reason = reason.value; });
    return h("fieldset", { class: "conflict-row", dataset: { key: `conflict-${i}` } }, h("legend", {}, t("Conflict {n}", { n: i + 1 })),
      select(t("Organisation"), options.organisations, "organisation_id", row, t("Any organisation")),
      select(t("Service area"), options.service_areas, "service_area_id", row, t("Any service area")),
      field(t("Why (for example: my sister works there; I have a case with them)"), reason),
      rows.length > 1 ? h("button", { type: "button", class: "button secondary", onclick: () => { rows.splice(i, 1); draw(); } },
        t("Remove conflict {n}", { n: i + 1 })) : null);
  }));
  draw();

  const summary = (messages) => {
    errors.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
      h("h2", {}, t("There is a problem")), h("ul", {}, messages.map((m) => h("li", {}, m)))));
    errors.firstChild.focus();
  };
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const which = chosen();
    if (!which) return summary([t("Say whether you have any conflicts of interest.")]);
    let body = { none: true };
    if (which === "some") {
      const problems = [];
      rows.forEach((row, i) => {
        if (!row.organisation_id && !row.service_area_id) problems.push(t("Conflict {n}: choose an organisation, a service area, or both.", { n: i + 1 }));
        if (!row.reason.trim()) problems.push(t("Conflict {n}: say why.", { n: i + 1 }));
      });
      if (problems.length) return summary(problems);
      body = { conflicts: rows.map((row) => ({ organisation_id: row.organisation_id ? Number(row.organisation_id) : null,
        service_area_id: row.service_area_id ? Number(row.service_area_id) : null, reason: row.reason })) };
    }
    let result;
    try { result = await call("POST", "/gate/conflicts", body); } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return errors.replaceChildren(alertBox(offline(), "warning"));
    }
    if (result.status !== 200) {
      const fieldErrors = Object.values(result.data.errors || {}).flatMap((v) => (typeof v === "string" ? [v] : Object.values(v).flat(Infinity)))
        .filter((v) => typeof v === "string");
      return summary([t("Not saved; try again."), ...fieldErrors]);
    }
    await store.setMeta("conflicts", result.data.conflicts || []);
    const withdrawn = result.data.withdrawn_assignment_ids || [];
    await onDone(result.data);
    if (!inGate) {
      show(h("h1", {}, t("Conflicts of interest")), alertBox(t("Thank you: your declaration is recorded.") + (withdrawn.length
        ? " " + tn("{n} assignment it touches was taken off you and passed to the coordinator.",
          "{n} assignments it touches were taken off you and passed to the coordinator.", withdrawn.length) : ""), "success"),
        h("p", {}, h("a", { href: "#/briefs" }, t("Back to my briefs"))));
    }
  } },
  errors,
  navigator.onLine ? null : alertBox(offline(), "warning"),
  h("p", {}, t("Tell us about any organisation or service area where you or close family work or have a case. You will never be given work there, and any work you hold there now is passed back to the coordinator.")),
  onRecord.length ? h("section", {}, h("h2", {}, t("On record")), h("ul", { class: "conflicts" },
    onRecord.map((c) => h("li", {}, conflictLabel(c, options))))) : null,
  choice,
  h("h2", {}, inGate ? t("Conflicts to declare (if you have any)") : t("Declare a new conflict")),
  list,
  h("button", { type: "button", class: "button secondary", onclick: () => {
    rows.push({ organisation_id: "", service_area_id: "", reason: "" }); draw();
    list.lastChild.querySelector("select")?.focus();
  } }, t("Add another conflict")),
  h("button", { type: "submit", class: "button" }, inGate ? t("Submit declaration") : t("Declare")));
  show(h("h1", {}, t("Conflicts of interest")), form);
}
