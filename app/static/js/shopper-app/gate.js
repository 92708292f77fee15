// The gate (SPEC §1): the confidentiality statement acknowledged and conflicts declared before any brief shows.
// It can only be passed online; offline, a shopper who has not passed it sees no brief, even from the cache.
import { call, NetworkError } from "./api.js";
import { alertBox, h, nextId, show } from "./dom.js";

export async function gateView(gate, onPassed) {
  if (!navigator.onLine) {
    show(h("h1", {}, "Before you see your briefs"),
      alertBox("You need a connection to read and acknowledge the confidentiality statement and declare conflicts. " +
        "Your briefs stay hidden until then.", "warning"));
    return;
  }
  try {
    if (!gate.confidentiality) await confidentiality(gate, onPassed);
    else conflicts(onPassed);
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
    else conflicts(onPassed);
  } },
  errors,
  h("div", { class: "statement" }, ...String(data.text).split(/\n\s*\n/).map((para) => h("p", {}, para))),
  h("div", { class: "checkbox" }, h("input", { type: "checkbox", id: boxId, required: true }),
    h("label", { for: boxId }, `I have read the confidentiality statement (version ${data.version}) and will keep to it`)),
  h("button", { type: "submit", class: "button" }, "Acknowledge and continue"));
  show(h("h1", {}, "Confidentiality"), form);
}

function conflicts(onPassed) {
  const errors = h("div");
  const noneId = nextId("none");
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!form.querySelector(`#${noneId}`).checked) {
      errors.replaceChildren(alertBox("Tick the box, or declare your conflicts on the declaration page."));
      return;
    }
    const result = await call("POST", "/gate/conflicts", { none: true });
    if (result.status !== 200) { errors.replaceChildren(alertBox(result.data.detail || "Not saved; try again.")); return; }
    onPassed(result.data.gate);
  } },
  errors,
  h("p", {}, "Tell us about any organisation or department where you or close family work or have a case. " +
    "You will never be given work there."),
  h("div", { class: "checkbox" }, h("input", { type: "checkbox", id: noneId }),
    h("label", { for: noneId }, "No, I have no conflicts of interest")),
  h("button", { type: "submit", class: "button" }, "Submit declaration"),
  h("p", {}, "Have conflicts? ", h("a", { href: "/gate/conflicts" }, "Declare them on the declaration page"),
    ", then come back to the app."));
  show(h("h1", {}, "Conflicts of interest"), form);
}
