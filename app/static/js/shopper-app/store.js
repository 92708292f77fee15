// IndexedDB: everything the shopper's work needs offline. Never Cache Storage, so an app update strands nothing.
// Stores: meta (key/value), briefs, questionnaires ("id:n"), items (drafts and outbox, by uuid), receipts.

const DB_NAME = "shopper-app";
const STORES = ["meta", "briefs", "questionnaires", "items", "receipts"];
let dbPromise = null;

export class StorageMissing extends Error {}
export class StorageFull extends Error {}

export function open() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    if (!("indexedDB" in self) || !self.indexedDB) {
      reject(new StorageMissing("This browser gives the app no IndexedDB storage."));
      return;
    }
    let request;
    try { request = indexedDB.open(DB_NAME, 1); } catch (error) { reject(new StorageMissing(error.message)); return; }
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("meta");
      db.createObjectStore("briefs", { keyPath: "id" });
      db.createObjectStore("questionnaires", { keyPath: "key" });
      db.createObjectStore("items", { keyPath: "uuid" });
      db.createObjectStore("receipts", { keyPath: "uuid" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new StorageMissing(request.error ? request.error.message : "IndexedDB failed"));
    request.onblocked = () => reject(new StorageMissing("Storage is blocked by another tab of this app."));
  });
  dbPromise.catch(() => { dbPromise = null; });
  return dbPromise;
}

function wrap(error) {
  return error && error.name === "QuotaExceededError"
    ? new StorageFull("The phone's storage for this app is full: nothing new can be saved until space is freed.")
    : error;
}

// Run fn(stores) in one transaction over `names`; resolves with fn's result once the transaction committed.
export async function tx(names, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    let result;
    let transaction;
    try { transaction = db.transaction(names, mode); } catch (error) { reject(wrap(error)); return; }
    const stores = Object.fromEntries(names.map((n) => [n, transaction.objectStore(n)]));
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(wrap(transaction.error));
    transaction.onabort = () => reject(wrap(transaction.error || new Error("transaction aborted")));
    Promise.resolve(fn(stores)).then((value) => { result = value; }, (error) => { transaction.abort(); reject(wrap(error)); });
  });
}

const req = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

export const get = (store, key) => tx([store], "readonly", (s) => req(s[store].get(key)));
export const all = (store) => tx([store], "readonly", (s) => req(s[store].getAll()));
export const put = (store, value, key) => tx([store], "readwrite", (s) => { s[store].put(value, key); });
export const del = (store, key) => tx([store], "readwrite", (s) => { s[store].delete(key); });

export const getMeta = (key) => get("meta", key);
export const setMeta = (key, value) => put("meta", value, key);

// The ETag and the `since` cursor of the briefs held (meta): written with them in one transaction, and cleared
// with them on sign-out. Without both (a questionnaire version could not be fetched) the next start asks again.
export const BRIEFS_ETAG = "briefsEtag";
export const BRIEFS_CURSOR = "briefsCursor";

function keepValidators(meta, etag, cursor) {
  if (etag) meta.put(etag, BRIEFS_ETAG);
  else meta.delete(BRIEFS_ETAG);
  if (cursor) meta.put(cursor, BRIEFS_CURSOR);
  else meta.delete(BRIEFS_CURSOR);
}

export async function replaceBriefs(briefs, questionnaires, etag = null, cursor = null) {
  await tx(["briefs", "questionnaires", "meta"], "readwrite", (s) => {
    s.briefs.clear();
    briefs.forEach((brief) => s.briefs.put(brief));
    questionnaires.forEach((version) => s.questionnaires.put(version));
    keepValidators(s.meta, etag, cursor);
  });
}

// What changed since the cursor: changed and new briefs replace theirs, removed ones go (their drafts and unsent
// reports stay in `items`: the server still takes them, flagged).
export async function changeBriefs(briefs, removedIds, questionnaires, { etag = null, cursor = null } = {}) {
  await tx(["briefs", "questionnaires", "meta"], "readwrite", (s) => {
    removedIds.forEach((id) => s.briefs.delete(id));
    briefs.forEach((brief) => s.briefs.put(brief));
    questionnaires.forEach((version) => s.questionnaires.put(version));
    keepValidators(s.meta, etag, cursor);
  });
}

export const questionnaire = (id, number) => get("questionnaires", `${id}:${number}`);

// Settle items the server confirmed: each leaves the outbox and joins the receipts in the same transaction.
export async function settle(confirmed) {
  await tx(["items", "receipts"], "readwrite", (s) => {
    for (const { item, submission } of confirmed) {
      s.items.delete(item.uuid);
      s.receipts.put({
        uuid: item.uuid, kind: item.kind, assignment_id: item.assignment_id, title: item.title || "",
        received_at: submission.received_at, revision: submission.revision, state: submission.state,
        flags: submission.flags || [], content_hash: submission.content_hash, content: item,
      });
    }
  });
}

// Sign-out on a shared phone: every store of this shopper's data goes (meta keeps only what says so).
export async function clearAll(keepMeta = {}) {
  await tx(STORES, "readwrite", (s) => {
    STORES.forEach((name) => s[name].clear());
    for (const [key, value] of Object.entries(keepMeta)) s.meta.put(value, key);
  });
}
