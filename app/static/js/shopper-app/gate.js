// The gate (SPEC §1): the confidentiality statement acknowledged and conflicts declared before any brief shows.
// It can only be passed online; offline, a shopper who has not passed it sees no brief, even from the cache.
// Conflicts can be declared at any time after, too (#/conflicts). Declaring needs the network, because a conflict
// takes work off the shopper at once; what is on record, and the organisations and service areas to choose from,
// are kept on the phone (meta "gateOptions", "conflicts") for reading offline.
import { call, NetworkError } from "./api.js";
import { alertBox, field, h, nextId, show } from "./dom.js";
import * as store from "./store.js";

const OFFLINE = "You are offline. Declaring a conflict needs a connection, because it takes any work it touches off you " +
  "at once. Nothing is saved on this phone: declare it again when you have signal.";

export async function gateView(gate, onPassed) {
  if (!navigator.onLine) {
    show(h("h1", {}, "Before you see your briefs"),
      alertBox("You need a connection to read and acknowledge the confidentiality statement and declare conflicts. " +
        "Your briefs stay hidden until then.", "warning"));
    return;
  }
  try {
    if (!gate.confidentiality) await confidentiality(gate, onPassed);
    else await conflictsForm({ inGate: true, onDone: (data) => onPassed(data.gate) });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    show(h("h1", {}, "Before you see your briefs"), alertBox("No connection: try again when you have signal.", "warning"));
  }
}

async function confidentiality(gate, onPassed) {
  const { status, data } = await call("GET", "/gate/confidentiality");
  if (status !== 200) {
    show(h("h1", {}, "Confidentiality"), alertBox(data.detail || "The statement could not be loaded."));
    return;
  }
  const boxId = nextId("ack");
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!form.querySelector(`#${boxId}`).checked) {
      errors.replaceChildren(alertBox("Tick the box to say you have read the statement."));
      errors.querySelector("[role=alert]").focus?.();
      return;
    }
    const result = await call("POST", "/gate/confidentiality", { version: data.version });
    if (result.status !== 200) { errors.replaceChildren(alertBox(result.data.detail || "Not saved; try again.")); return; }
    if (result.data.ready) onPassed(result.data);
    else await conflictsForm({ inGate: true, onDone: (declared) => onPassed(declared.gate) });
  } },
  errors,
  h("div", { class: "statement" }, ...String(data.text).split(/\n\s*\n/).map((para) => h("p", {}, para))),
  h("div", { class: "checkbox" }, h("input", { type: "checkbox", id: boxId, required: true }),
    h("label", { for: boxId }, `I have read the confidentiality statement (version ${data.version}) and will keep to it`)),
  h("button", { type: "submit", class: "button" }, "Acknowledge and continue"));
  show(h("h1", {}, "Confidentiality"), form);
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
  const organisation = conflict.organisation_id ? name(options.organisations, conflict.organisation_id) || "An organisation" : "Any organisation";
  const area = conflict.service_area_id ? name(options.service_areas, conflict.service_area_id) || "a service area" : "any service area";
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
  const choice = noneAllowed ? h("fieldset", { class: "question" }, h("legend", {}, "Do you have any conflicts of interest?"),
    h("div", { class: "radio" }, h("input", { type: "radio", name: choiceName, id: noneId, value: "none" }),
      h("label", { for: noneId }, "No, I have no conflicts of interest")),
    h("div", { class: "radio" }, h("input", { type: "radio", name: choiceName, id: someId, value: "some" }),
      h("label", { for: someId }, "Yes, I have conflicts to declare"))) : null;
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
    return h("fieldset", { class: "conflict-row", dataset: { key: `conflict-${i}` } }, h("legend", {}, `Conflict ${i + 1}`),
      select("Organisation", options.organisations, "organisation_id", row, "Any organisation"),
      select("Service area", options.service_areas, "service_area_id", row, "Any service area"),
      field("Why (for example: my sister works there; I have a case with them)", reason),
      rows.length > 1 ? h("button", { type: "button", class: "button secondary", onclick: () => { rows.splice(i, 1); draw(); } },
        `Remove conflict ${i + 1}`) : null);
  }));
  draw();

  const summary = (messages) => {
    errors.replaceChildren(h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
      h("h2", {}, "There is a problem"), h("ul", {}, messages.map((m) => h("li", {}, m)))));
    errors.firstChild.focus();
  };
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const which = chosen();
    if (!which) return summary(["Say whether you have any conflicts of interest."]);
    let body = { none: true };
    if (which === "some") {
      const problems = [];
      rows.forEach((row, i) => {
        if (!row.organisation_id && !row.service_area_id) problems.push(`Conflict ${i + 1}: choose an organisation, a service area, or both.`);
        if (!row.reason.trim()) problems.push(`Conflict ${i + 1}: say why.`);
      });
      if (problems.length) return summary(problems);
      body = { conflicts: rows.map((row) => ({ organisation_id: row.organisation_id ? Number(row.organisation_id) : null,
        service_area_id: row.service_area_id ? Number(row.service_area_id) : null, reason: row.reason })) };
    }
    let result;
    try { result = await call("POST", "/gate/conflicts", body); } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return errors.replaceChildren(alertBox(OFFLINE, "warning"));
    }
    if (result.status !== 200) {
      const fieldErrors = Object.entries(result.data.errors || {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      return summary([result.data.detail || "Not saved; try again.", ...fieldErrors]);
    }
    await store.setMeta("conflicts", result.data.conflicts || []);
    const withdrawn = result.data.withdrawn_assignment_ids || [];
    await onDone(result.data);
    if (!inGate) {
      show(h("h1", {}, "Conflicts of interest"), alertBox(`Thank you: your declaration is recorded.${withdrawn.length
        ? ` ${withdrawn.length} assignment(s) it touches were taken off you and passed to the coordinator.` : ""}`, "success"),
        h("p", {}, h("a", { href: "#/briefs" }, "Back to my briefs")));
    }
  } },
  errors,
  navigator.onLine ? null : alertBox(OFFLINE, "warning"),
  h("p", {}, "Tell us about any organisation or service area where you or close family work or have a case. " +
    "You will never be given work there, and any work you hold there now is passed back to the coordinator."),
  onRecord.length ? h("section", {}, h("h2", {}, "On record"), h("ul", { class: "conflicts" },
    onRecord.map((c) => h("li", {}, conflictLabel(c, options))))) : null,
  choice,
  h("h2", {}, inGate ? "Conflicts to declare (if you have any)" : "Declare a new conflict"),
  list,
  h("button", { type: "button", class: "button secondary", onclick: () => {
    rows.push({ organisation_id: "", service_area_id: "", reason: "" }); draw();
    list.lastChild.querySelector("select")?.focus();
  } }, "Add another conflict"),
  h("button", { type: "submit", class: "button" }, inGate ? "Submit declaration" : "Declare"));
  show(h("h1", {}, "Conflicts of interest"), form);
}
