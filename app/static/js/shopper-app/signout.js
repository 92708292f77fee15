// Sign-out while work is unsent (SPEC §3.8): refused with a clear warning, unless the shopper first exports that
// work to a file and confirms they saved it. Only then may the phone be cleared for the next person.
import { isDecision } from "./decisions.js";
import { alertBox, download, h, show } from "./dom.js";
import { t, tn } from "./i18n.js";
import * as store from "./store.js";
import { toPayload } from "./sync.js";

export const EXPORT_FORMAT = "service-shopper-unsent-work";

// The file: each entry of `submissions` (finished work) and `drafts` (unfinished) is exactly the body of
// PUT /api/v1/submissions/{uuid}, so whoever receives it can send it as it stands; `decisions` are answers to
// offers, each the request POST /api/v1/assignments/{id}/accept|decline would have made.
export function exportFile(items, user) {
  const reports = items.filter((item) => !isDecision(item));
  return {
    format: EXPORT_FORMAT, version: 1, exported_at: new Date().toISOString(),
    shopper: { id: user.id, email: user.email, display_name: user.display_name },
    about: "Work on a shopper's phone that the server had not confirmed. Every entry of submissions and drafts is "
      + "the body of PUT /api/v1/submissions/{uuid}; drafts were not finished (completed_at is empty).",
    submissions: reports.filter((item) => item.status !== "draft").map(toPayload),
    drafts: reports.filter((item) => item.status === "draft").map(toPayload),
    decisions: items.filter(isDecision).map(decisionRequest),
    refused: items.filter((item) => item.problem).map((item) => ({ uuid: item.uuid, problem: item.problem })),
  };
}

// The file proves who made it: the key the server gave this session (GET /api/v1/session, kept with the session
// for use offline) signs the file's text with HMAC-SHA-256, added as its last member (app/visits/signing.py):
// {...content...,"signature":{"session":41,"hmac":"..."}}. Null without a key.
export async function signedText(content, exportKey) {
  if (!exportKey?.key) return null;
  const text = JSON.stringify(content);
  const raw = Uint8Array.from(atob(exportKey.key.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  const hmac = btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${text.slice(0, -1)},"signature":${JSON.stringify({ session: exportKey.session, hmac })}}`;
}

const decisionRequest = (item) => ({
  uuid: item.uuid, created_at: item.created_at, method: "POST",
  path: `/api/v1/assignments/${item.assignment_id}/${item.decision}`,
  body: item.decision === "accept" ? {} : { reason_code: item.reason_code, reason: item.reason },
});

// What was exported, item by item, so that sign-out can check nothing changed or arrived since.
export const fingerprint = (item) => JSON.stringify(isDecision(item) ? decisionRequest(item) : toPayload(item));

// onSignOut(exported: Map uuid → fingerprint) resolves to an error message, or null once signed out.
export async function signOutView({ user, exportKey, onSignOut }) {
  const items = await store.all("items");
  if (!items.length) { location.hash = "#/account"; return; }
  const finished = items.filter((item) => item.status !== "draft" && !isDecision(item)).length;
  const answers = items.filter(isDecision).length;
  let exported = null;
  let fileName = "";
  const errors = h("div", { id: "sign-out-errors" });
  const produced = h("div", { role: "status", "aria-live": "polite", id: "export-status" });
  const saved = h("input", { type: "checkbox", id: "export-saved", name: "export-saved" });
  const confirmStep = h("div", { hidden: true, class: "checkbox" }, saved,
    h("label", { for: "export-saved", id: "export-saved-label" }, t("I have saved the file")));

  async function exportNow() {
    const current = items;
    const text = await signedText(exportFile(current, user), exportKey);
    if (!text) {
      return fail(t("This phone has not yet received what it signs the file with. Connect to the internet once (or send the work from the Outbox), then export again."), "export-unsent");
    }
    fileName = `shopper-unsent-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-")}.json`;
    download(fileName, text);
    exported = new Map(current.map((item) => [item.uuid, fingerprint(item)]));
    saved.checked = false;
    document.getElementById("export-saved-label").textContent =
      t("I have saved the file {file} where I can find it, and will give it to my coordinator", { file: fileName });
    produced.replaceChildren(alertBox(t("File produced: {file}, with {finished} finished, {drafts} unfinished and {answers} answers to offers. Check that your phone saved it (your Downloads).",
      { file: fileName, finished, drafts: items.length - finished - answers, answers }), "info"));
    confirmStep.hidden = false;
    document.getElementById("export-saved-hint").hidden = true;
    errors.replaceChildren();
  }

  function fail(message, focusId) {
    errors.replaceChildren(alertBox(message, "error",
      h("p", {}, h("a", { href: `#${focusId}`, onclick: (event) => { event.preventDefault(); document.getElementById(focusId).focus(); } },
        t("Go to that step")))));
    errors.querySelector("[role=alert]").tabIndex = -1;
    errors.querySelector("[role=alert]").focus();
  }

  async function signOutNow() {
    if (!exported) return fail(t("Export the unsent work to a file first (step 1)."), "export-unsent");
    if (!saved.checked) return fail(t("Tick “I have saved the file” once the file is safe (step 2)."), "export-saved");
    const message = await onSignOut(exported);
    if (message) fail(message, "export-unsent");
  }

  show(h("h1", {}, t("Sign out")),
    alertBox(tn("You cannot sign out yet: {n} item on this phone is not sent. Signing out deletes it from this phone.",
      "You cannot sign out yet: {n} items on this phone are not sent. Signing out deletes them from this phone.", items.length), "warning"),
    h("p", {}, h("a", { href: "#/outbox" }, t("Send them first")), " ", t("(Send now, once you have signal): that is the safest way.")),
    h("h2", {}, t("Or export them to a file, then sign out")),
    h("p", {}, t("Use this only if the work cannot be sent from this phone. Give the file to your coordinator.")),
    errors,
    h("ol", { class: "steps" },
      h("li", {}, h("p", {}, t("Save the unsent work to a file on this phone.")),
        h("button", { type: "button", class: "button secondary", id: "export-unsent", onclick: exportNow }, t("Export the unsent work")),
        produced),
      h("li", {}, h("p", {}, t("Confirm that the file is saved.")),
        h("p", { class: "hint", id: "export-saved-hint" }, t("This appears once the file has been produced.")), confirmStep),
      h("li", {}, h("p", {}, t("Sign out: the work is then deleted from this phone.")),
        h("button", { type: "button", class: "button", id: "sign-out-exported", onclick: signOutNow },
          t("Delete the unsent work and sign out")))));
}
