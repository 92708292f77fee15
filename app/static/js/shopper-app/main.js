// The shopper app: starts from IndexedDB at once (offline too), then checks the server, then sends the outbox.
import * as api from "./api.js";
import { captureView, kindLabel, startItem } from "./capture.js";
import { alertBox, h, quietly, show, when } from "./dom.js";
import * as decisions from "./decisions.js";
import { conflictsView, gateView } from "./gate.js";
import { fingerprint, signOutView } from "./signout.js";
import * as store from "./store.js";
import * as sync from "./sync.js";
import { accountView, briefsView, briefView, outboxView, signInForm } from "./views.js";

const app = { session: null, persisted: false, offline: !navigator.onLine };

// What stays on screen whatever else is said or cleared: the warning that the phone's storage is nearly full.
let standingAlert = null;

function setAlert(...children) {
  document.getElementById("alerts").replaceChildren(...children, ...(standingAlert ? [standingAlert] : []));
}

function reportStorageError(error) {
  if (error instanceof store.StorageFull) setAlert(alertBox(error.message + " Send your work (Outbox → Send now), then try again."));
  else if (error instanceof store.StorageMissing) setAlert(alertBox(error.message));
  else return false;
  return true;
}
addEventListener("unhandledrejection", (event) => { if (reportStorageError(event.reason)) event.preventDefault(); });

async function renderStatus() {
  let unsent = 0;
  try { unsent = await sync.unsentCount(); } catch { /* storage missing: said elsewhere */ }
  document.getElementById("unsent-count").textContent = String(unsent);
  const s = sync.state;
  const where = app.offline ? "Offline" : "Online";
  let text = `${where} · ${unsent} unsent`;
  if (s.phase === "sending") text = `Sending ${s.done} of ${s.total}…`;
  else if (s.background) text = `Sending in the background: ${s.background.done} of ${s.background.total}…`;
  else if (s.phase === "sent" && !unsent) text = `${where} · all sent`;
  if (s.message) text += ` · ${s.message}`;
  document.getElementById("sync-state").textContent = text;
  if (s.needsSignIn && app.session) showReSignIn();
}

function showReSignIn() {
  if (document.getElementById("re-sign-in")) return;
  const box = signInForm({
    heading: h("h2", {}, "Sign in again to send"),
    intro: "Your session has ended. Everything you recorded is kept on this phone and will be sent once you sign in.",
    onSubmit: submitSignIn,
  });
  box.id = "re-sign-in";
  box.classList.add("notice", "notice-warning");
  setAlert(box);
}

async function submitSignIn(email, password) {
  let result;
  try {
    await api.session();
    result = await api.signIn(email, password);
  } catch (error) {
    if (error instanceof api.NetworkError) return "No connection: try again when you have signal. Your work is kept.";
    throw error;
  }
  if (result.status === 429) return "Too many attempts: wait a few minutes and try again.";
  if (result.status !== 200) return result.data.detail || "That e-mail address and password do not match an account.";
  const refusal = await adopt(result.data);
  if (refusal) return refusal;
  setAlert();
  sync.signedInAgain();
  return null;
}

// A session the server confirmed. A phone holding another shopper's unsent work refuses to mix the two.
async function adopt(data) {
  const owner = await store.getMeta("owner");
  if (owner !== undefined && owner !== data.user.id) {
    const items = await store.all("items");
    if (items.length) {
      await api.call("DELETE", "/session").catch(() => {});
      return "This phone holds another shopper's unsent work. They must sign in and send it (or export it) first.";
    }
    await sync.withOutboxLock(() => store.clearAll());
  }
  // exportKey: what this session's files of unsent work are signed with (signout.js), kept for use offline.
  app.session = { user: data.user, gate: data.gate, exportKey: data.export_key };
  await store.setMeta("owner", data.user.id);
  await store.setMeta("session", app.session);
  if (data.gate.ready) await loadBriefs();
  await route();
  return null;
}

// The briefs are fetched with the ETag and the cursor of those on the phone: 304 (nothing changed) keeps them as
// they are and costs a few hundred bytes; otherwise `since` gets only the briefs that changed and the ids of those
// removed (`full: true` when the server no longer knows the cursor: every brief, replacing what the phone holds).
// The ETag and cursor are kept with the briefs (store.replaceBriefs, store.changeBriefs), and only once every
// questionnaire version they need is on the phone too, so a 304 never leaves a brief without its questionnaire.
async function loadBriefs() {
  const held = await store.getMeta(store.BRIEFS_ETAG);
  const cursor = await store.getMeta(store.BRIEFS_CURSOR);
  const path = cursor ? `/briefs?since=${encodeURIComponent(cursor)}` : "/briefs";
  const result = await api.call("GET", path, undefined, held ? { "If-None-Match": held } : {});
  if (result.status !== 200) return; // 304: the briefs on the phone are current
  const briefs = wholeBriefs(result.data);
  const wanted = new Map(briefs.map((b) => [`${b.questionnaire_id}:${b.questionnaire_version}`, b]));
  const versions = [];
  let complete = true;
  for (const [key, brief] of wanted) {
    if (await store.get("questionnaires", key)) continue; // a version is read-only once used: no need to fetch again
    const version = await api.call("GET", `/questionnaires/${brief.questionnaire_id}/versions/${brief.questionnaire_version}`);
    if (version.status === 200) versions.push({ ...version.data, key });
    else complete = false;
  }
  const kept = complete ? { etag: result.etag, cursor: result.data.cursor } : {};
  if (result.data.full === false) await store.changeBriefs(briefs, result.data.removed || [], versions, kept);
  else await store.replaceBriefs(briefs, versions, kept.etag, kept.cursor);
  await markReturned(briefs);
}

// GET /briefs sends each contact point, scenario and wave once; the phone keeps every brief whole (the shape of
// GET /assignments/<id>), so that the views, and briefs kept by an earlier version of the app, read alike.
function wholeBriefs({ items = [], contact_points = [], scenarios = [], waves = [] }) {
  const byId = (list) => new Map(list.map((x) => [x.id, x]));
  const points = byId(contact_points), scenarioOf = byId(scenarios), waveOf = byId(waves);
  return items.map(({ contact_point_id, scenario_id, wave_id, ...brief }) => {
    const { timezone, general_instructions, ...wave } = waveOf.get(wave_id) || {};
    return { ...brief, contact_point: points.get(contact_point_id), scenario: scenarioOf.get(scenario_id),
             wave, timezone, general_instructions };
  });
}

// A brief tells the app when the coordinator returned its report: the receipt on this phone
// becomes editable, with the coordinator's comment, and is resubmitted under the same UUID.
async function markReturned(briefs) {
  for (const { returned_report: returned } of briefs) {
    if (!returned) continue;
    const receipt = await store.get("receipts", returned.uuid);
    if (receipt && (receipt.state !== "returned" || receipt.revision !== returned.revision)) {
      await store.put("receipts", { ...receipt, state: "returned", revision: returned.revision,
                                    review_comment: returned.review_comment });
    }
  }
}

async function refresh() {
  if (await store.getMeta("pendingSignOut")) {
    try { await api.call("DELETE", "/session"); await store.del("meta", "pendingSignOut"); } catch { /* later */ }
  }
  let result;
  try { result = await api.session(); } catch (error) {
    if (!(error instanceof api.NetworkError)) throw error;
    app.offline = true;
    renderStatus();
    return;
  }
  app.offline = false;
  if (result.status === 401) {
    if (app.session) sync.state.needsSignIn = true; // the sign-in form is already shown when there is no session
  } else if (result.status === 200) {
    const refusal = await adopt(result.data);
    if (refusal) setAlert(alertBox(refusal));
  }
  renderStatus();
}

// What the service worker sent while no window showed it (sw.js keeps the list): shown until dismissed.
async function renderBackgroundReport() {
  const box = document.getElementById("background-report");
  let report = null;
  try { report = await store.getMeta("backgroundReport"); } catch { /* storage missing: said elsewhere */ }
  if (!report?.confirmed?.length || !app.session) { box.replaceChildren(); return; }
  box.replaceChildren(h("section", { class: "notice", "aria-labelledby": "background-report-title" },
    h("h2", { id: "background-report-title" }, "Sent in the background"),
    h("p", {}, `While the app was closed, ${report.confirmed.length} item(s) were sent and confirmed by the server:`),
    h("ul", {}, report.confirmed.map((c) => h("li", {}, `${kindLabel(c.kind)}: ${c.title}`,
      c.received_at ? ` – received ${when(c.received_at)}` : ""))),
    h("p", {}, h("a", { href: "#/outbox" }, "See everything the server confirmed")),
    h("button", { type: "button", class: "button secondary", onclick: async () => {
      await store.del("meta", "backgroundReport"); box.replaceChildren(); document.getElementById("main").focus();
    } }, "Dismiss")));
}

// Sign-out clears the phone. With unsent work it is refused (the sign-out view explains and offers the export),
// unless `exported` (uuid → fingerprint) shows that every unsent item is in a file the shopper saved, unchanged.
async function signOut(exported = null) {
  const unsent = await sync.withOutboxLock(async () => {
    const items = await store.all("items");
    const inFile = exported instanceof Map && items.every((item) => exported.get(item.uuid) === fingerprint(item));
    if (items.length && !inFile) return items.length;
    await store.clearAll({ pendingSignOut: true }); // under the lock: no send pass can write after this
    return 0;
  });
  if (unsent) {
    if (!(exported instanceof Map)) { location.hash = "#/sign-out"; return null; }
    return "Work on this phone changed after the export: export again, then sign out.";
  }
  app.session = null;
  try {
    const result = await api.call("DELETE", "/session");
    if (result.status === 204) await store.del("meta", "pendingSignOut");
  } catch { /* ended on the server at the next start */ }
  location.hash = "#/briefs";
  await route();
  await renderBackgroundReport();
  return null;
}

async function route() {
  document.getElementById("tabs").hidden = !app.session;
  if (!app.session) {
    setAlert();
    show(h("h1", {}, "Sign in"), signInForm({ heading: null, onSubmit: submitSignIn }));
    return renderStatus();
  }
  if (!app.session.gate.ready) {
    await gateView(app.session.gate, async (gate) => { app.session.gate = gate; await store.setMeta("session", app.session);
      await loadBriefs(); location.hash = "#/briefs"; route(); });
    return renderStatus();
  }
  const [view, id] = location.hash.replace(/^#\//, "").split("/");
  const items = await store.all("items");
  if (view === "brief") {
    const brief = await store.get("briefs", Number(id));
    if (!brief) show(h("h1", {}, "Brief not found"), h("p", {}, "This brief is no longer on this phone; it may have been withdrawn. Work you started is kept in the Outbox."));
    else briefView(brief, items, async (b) => { const item = await startItem(b); location.hash = `#/item/${item.uuid}`; });
  } else if (view === "item") {
    const item = (await store.get("items", id)) || (await store.get("receipts", id))?.content;
    if (!item) show(h("h1", {}, "Not found"), h("p", {}, "Nothing with this id is on this phone."));
    else {
      const version = await store.questionnaire(item.questionnaire_id, item.questionnaire_version);
      captureView(item, version, null, (done) => {
        sync.sendNow(); sync.requestBackgroundSync();
        location.hash = `#/brief/${done.assignment_id}`;
      });
    }
  } else if (view === "resubmit") {
    const receipt = await store.get("receipts", id);
    if (receipt) {
      await store.put("items", { ...receipt.content, status: "draft", completed_at: null, problem: undefined });
      location.hash = `#/item/${id}`;
    }
  } else if (view === "conflicts") await conflictsView({ onDeclared: () => loadBriefs() });
  else if (view === "outbox") await outboxView(sync);
  else if (view === "account") await accountView({ user: app.session.user, persisted: app.persisted, onSignOut: () => signOut() });
  else if (view === "sign-out") await signOutView({ user: app.session.user, exportKey: app.session.exportKey, onSignOut: signOut });
  else briefsView(await store.all("briefs"), items);
  return renderStatus();
}

async function askPersistence() {
  try {
    app.persisted = (await navigator.storage?.persisted?.()) || (await navigator.storage?.persist?.()) || false;
    const estimate = await navigator.storage?.estimate?.();
    if (estimate && estimate.quota && estimate.usage / estimate.quota > 0.9) {
      standingAlert = alertBox("The phone's storage for this app is nearly full. Send your work soon.");
      setAlert();
    }
  } catch { app.persisted = false; }
}

async function boot() {
  try { await store.open(); } catch (error) {
    show(h("h1", {}, "This browser cannot keep your work"),
      alertBox("The app cannot store anything in this browser (IndexedDB is missing or blocked — private browsing does this). " +
        "Nothing you recorded could be kept offline. Open the app in a normal browser window."));
    document.getElementById("sync-state").textContent = "No storage";
    return;
  }
  await askPersistence();
  app.session = (await store.getMeta("session")) || null;
  let lastPhase = null;
  let backgroundPasses = 0;
  sync.onChange((state) => {
    renderStatus();
    // The outbox on screen is redrawn when a send ends (this window's or the worker's), so that what the server
    // confirmed shows at once.
    const ended = (state.phase !== lastPhase && state.phase !== "sending") || state.backgroundPasses !== backgroundPasses;
    if (ended && location.hash === "#/outbox") quietly(() => outboxView(sync));
    if (state.backgroundPasses !== backgroundPasses) renderBackgroundReport();
    lastPhase = state.phase;
    backgroundPasses = state.backgroundPasses;
  });
  addEventListener("hashchange", () => route());
  addEventListener("online", () => { app.offline = false; refresh(); });
  addEventListener("offline", () => { app.offline = true; renderStatus(); });
  await route();
  await renderBackgroundReport();
  document.body.dataset.ready = "true";
  await refresh();
  sync.start();
  decisions.start(() => refresh()); // answers to offers: once settled, the briefs are reloaded
}

boot();
