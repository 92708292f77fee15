// The shopper app: starts from IndexedDB at once (offline too), then checks the server, then sends the outbox.
import * as api from "./api.js";
import { draftCallLog } from "./calllog.js";
import { captureView, kindLabel, startItem } from "./capture.js";
import { alertBox, h, quietly, show, when } from "./dom.js";
import * as decisions from "./decisions.js";
import * as i18n from "./i18n.js";
import { t, tn } from "./i18n.js";
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
  if (error instanceof store.StorageFull) setAlert(alertBox(error.message + " " + t("Send your work (Outbox → Send now), then try again.")));
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
  const where = app.offline ? t("Offline") : t("Online");
  const unsentText = tn("{n} unsent", "{n} unsent", unsent);
  const allSent = t("all sent");
  let text = `${where} · ${unsentText}`;
  if (s.phase === "sending") text = t("Sending {done} of {total}…", { done: s.done, total: s.total });
  else if (s.background) text = t("Sending in the background: {done} of {total}…", { done: s.background.done, total: s.background.total });
  else if (s.phase === "sent" && !unsent) text = `${where} · ${allSent}`;
  if (s.message) text += ` · ${s.message}`;
  document.getElementById("sync-state").textContent = text;
  if (s.needsSignIn && app.session) showReSignIn();
}

function showReSignIn() {
  if (document.getElementById("re-sign-in")) return;
  const box = signInForm({
    heading: h("h2", {}, t("Sign in again to send")),
    intro: t("Your session has ended. Everything you recorded is kept on this phone and will be sent once you sign in."),
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
    if (error instanceof api.NetworkError) return t("No connection: try again when you have signal. Your work is kept.");
    throw error;
  }
  if (result.status === 429) return t("Too many attempts: wait a few minutes and try again.");
  if (result.status !== 200) return t("That e-mail address and password do not match an account.");
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
      return t("This phone holds another shopper's unsent work. They must sign in and send it (or export it) first.");
    }
    await sync.withOutboxLock(() => store.clearAll());
  }
  // exportKey: what this session's files of unsent work are signed with (signout.js), kept for use offline.
  app.session = { user: data.user, gate: data.gate, exportKey: data.export_key };
  await adoptLanguage(app.session.user);
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
  await adoptOpenReports(briefs);
}

// An e-mail or letter shop sent from another phone (or kept on the server from this one): the phone takes the
// server's copy unless it holds changes of its own not yet sent. One finished elsewhere leaves this phone.
async function adoptOpenReports(briefs) {
  const items = new Map((await store.all("items")).map((item) => [item.uuid, item]));
  for (const brief of briefs) {
    const open = brief.open_report;
    if (open) {
      const mine = items.get(open.uuid);
      if (mine && (mine.status !== "draft" || mine.open_dirty)) continue;
      if (await store.get("receipts", open.uuid)) continue;
      await store.put("items", { ...open, completed_at: null, status: "draft", open_dirty: 0, open_synced: true,
        title: mine?.title || brief.contact_point?.name || "" });
    }
    for (const item of items.values()) {
      const finishedElsewhere = item.assignment_id === brief.id && item.open_synced && !item.open_dirty
        && item.status === "draft" && open?.uuid !== item.uuid && ["submitted", "in_review"].includes(brief.state);
      if (finishedElsewhere) await store.del("items", item.uuid);
    }
  }
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

// A report as the server holds it, as the phone's draft keeps it (the call log in the capture's own fields).
function fromServer(content) {
  const { call_log: log, ...rest } = content;
  return log ? { ...rest, call_log: draftCallLog(log) } : rest;
}

// A brief tells the app when the coordinator returned its report: the receipt on this phone
// becomes editable, with the coordinator's comment, and is resubmitted under the same UUID.
async function markReturned(briefs) {
  for (const brief of briefs) {
    const returned = brief.returned_report;
    if (!returned) continue;
    const receipt = await store.get("receipts", returned.uuid);
    if (receipt && (receipt.state !== "returned" || receipt.revision !== returned.revision)) {
      await store.put("receipts", { ...receipt, state: "returned", revision: returned.revision,
                                    review_comment: returned.review_comment });
    } else if (!receipt && returned.content && !(await store.get("items", returned.uuid))) {
      // Sent from another phone: the report comes with the brief, so that it can be fixed here.
      const title = brief.contact_point?.name || "";
      await store.put("receipts", { uuid: returned.uuid, kind: returned.content.kind, assignment_id: brief.id, title,
        received_at: null, revision: returned.revision, state: "returned", flags: [], review_comment: returned.review_comment,
        content: { ...fromServer(returned.content), title } });
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
    h("h2", { id: "background-report-title" }, t("Sent in the background")),
    h("p", {}, tn("While the app was closed, {n} item was sent and confirmed by the server:",
      "While the app was closed, {n} items were sent and confirmed by the server:", report.confirmed.length)),
    h("ul", {}, report.confirmed.map((c) => h("li", {}, `${kindLabel(c.kind)}: ${c.title}`,
      c.received_at ? " – " + t("received {when}", { when: when(c.received_at) }) : ""))),
    h("p", {}, h("a", { href: "#/outbox" }, t("See everything the server confirmed"))),
    h("button", { type: "button", class: "button secondary", onclick: async () => {
      await store.del("meta", "backgroundReport"); box.replaceChildren(); document.getElementById("main").focus();
    } }, t("Dismiss"))));
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
    return t("Work on this phone changed after the export: export again, then sign out.");
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
    show(h("h1", {}, t("Sign in")), signInForm({ heading: null, onSubmit: submitSignIn }));
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
    if (!brief) show(h("h1", {}, t("Brief not found")), h("p", {}, t("This brief is no longer on this phone; it may have been withdrawn. Work you started is kept in the Outbox.")));
    else briefView(brief, items, async (b) => { const item = await startItem(b); location.hash = `#/item/${item.uuid}`; });
  } else if (view === "item") {
    const held = await store.get("items", id);
    const receipt = held ? null : await store.get("receipts", id);
    const item = held || (receipt && { ...receipt.content, status: "sent" });
    if (!item) show(h("h1", {}, t("Not found")), h("p", {}, t("Nothing with this id is on this phone.")));
    else {
      const version = await store.questionnaire(item.questionnaire_id, item.questionnaire_version);
      if (item.language) await i18n.preload(item.language); // an interview in the resident's language
      const brief = await store.get("briefs", item.assignment_id);
      captureView(item, version, brief, (done) => {
        sync.sendNow(); sync.requestBackgroundSync();
        location.hash = `#/brief/${done.assignment_id}`;
      });
    }
  } else if (view === "resubmit") {
    const receipt = await store.get("receipts", id);
    if (receipt) {
      await store.put("items", { ...receipt.content, status: "draft", completed_at: null, problem: undefined,
        finished_by: undefined, review_comment: receipt.review_comment || "" });
      location.hash = `#/item/${id}`;
    }
  } else if (view === "conflicts") await conflictsView({ onDeclared: () => loadBriefs() });
  else if (view === "outbox") await outboxView(sync);
  else if (view === "account") await accountView({ user: app.session.user, persisted: app.persisted, onSignOut: () => signOut(), onLanguage: chooseLanguage });
  else if (view === "sign-out") await signOutView({ user: app.session.user, exportKey: app.session.exportKey, onSignOut: signOut });
  else briefsView(await store.all("briefs"), items);
  return renderStatus();
}

// The shell page is cached in one language: its few words are set here, in the shopper's.
function labelShell() {
  const set = (selector, text) => { const el = document.querySelector(selector); if (el) el.textContent = text; };
  set(".skip-link", t("Skip to main content"));
  set('#tabs a[href="#/briefs"]', t("My briefs"));
  set('#tabs a[href="#/account"]', t("Account"));
  const outbox = document.querySelector('#tabs a[href="#/outbox"]');
  if (outbox) outbox.firstChild.textContent = t("Outbox") + " ";
  set("#unsent-label", " " + t("unsent"));
  document.getElementById("tabs")?.setAttribute("aria-label", t("App"));
  document.title = t("Shopper app – Service Shopper");
}

// A language chosen on this phone is kept for the user on the server too; chosen offline, it is sent later.
const LANGUAGE_UNSENT = "languageUnsent";

async function chooseLanguage(code) {
  await i18n.use(code);
  labelShell();
  if (app.session) { app.session.user.language = code; await store.setMeta("session", app.session); }
  await store.setMeta(LANGUAGE_UNSENT, code);
  await sendLanguage();
  await route();
}

async function sendLanguage() {
  const code = await store.getMeta(LANGUAGE_UNSENT);
  if (!code || !app.session) return;
  try {
    const result = await api.call("PUT", "/session/language", { language: code });
    if (result.status === 200) await store.del("meta", LANGUAGE_UNSENT);
  } catch { /* offline: sent at the next start or sign-in */ }
}

// The server's setting wins unless a choice made on this phone is still to be sent.
async function adoptLanguage(user) {
  if (await store.getMeta(LANGUAGE_UNSENT)) { user.language = await store.getMeta(LANGUAGE_UNSENT); await sendLanguage(); }
  if (user.language && user.language !== i18n.language()) { await i18n.use(user.language); labelShell(); }
}

async function askPersistence() {
  try {
    app.persisted = (await navigator.storage?.persisted?.()) || (await navigator.storage?.persist?.()) || false;
    const estimate = await navigator.storage?.estimate?.();
    if (estimate && estimate.quota && estimate.usage / estimate.quota > 0.9) {
      standingAlert = alertBox(t("The phone's storage for this app is nearly full. Send your work soon."));
      setAlert();
    }
  } catch { app.persisted = false; }
}

async function boot() {
  try { await store.open(); } catch (error) {
    await i18n.use(i18n.choose(null));
    labelShell();
    show(h("h1", {}, t("This browser cannot keep your work")),
      alertBox(t("The app cannot store anything in this browser (IndexedDB is missing or blocked — private browsing does this). Nothing you recorded could be kept offline. Open the app in a normal browser window.")));
    document.getElementById("sync-state").textContent = t("No storage");
    return;
  }
  await askPersistence();
  app.session = (await store.getMeta("session")) || null;
  await i18n.use(i18n.choose((await store.getMeta(LANGUAGE_UNSENT)) || app.session?.user?.language));
  labelShell();
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
