// Changes a field worker made without a connection, kept in IndexedDB until the
// server has them. Shared by the page (pwa.js) and the service worker (Background
// Sync), so it is a classic script that puts one object on `self`.
//
// Each change is the server function it will call, its JSON arguments, an
// idempotency key made here, the moment it happened and the signed-in user. Replay
// sends them in order with an `Idempotency-Key` header: the server stores the key
// with the change in one transaction, so a change whose answer was lost is answered
// again from the store instead of being written twice.
(function () {
  "use strict";
  const DB_NAME = "fieldbook-offline";
  const STORE = "changes";
  const CHANNEL = "fieldbook-queue";
  let replaying = null;

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function transact(mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const result = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  function announce() {
    try {
      const channel = new BroadcastChannel(CHANNEL);
      channel.postMessage("changed");
      channel.close();
    } catch (_) {
      /* no BroadcastChannel: pages poll */
    }
  }

  async function all() {
    const rows = await transact("readonly", (store) => store.getAll());
    return rows.sort((a, b) => a.seq - b.seq);
  }

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Stores a change; `label` is what the worker sees in the list ("Ticked “Fit valve”"). */
  async function enqueue({ endpoint, args, label, user }) {
    const change = { endpoint, args, label, user, key: newKey(), at: new Date().toISOString(), state: "waiting" };
    await transact("readwrite", (store) => store.add(change));
    announce();
    return change.key;
  }

  /** What the server's refusal means for the worker. */
  function reasonOf(body, status) {
    const error = body && typeof body === "object" ? body : {};
    switch (error.kind) {
      case "validation":
        return (error.errors || []).map((e) => e.message).join(" ") || "The server refused the change.";
      case "conflict":
      case "stale":
        return error.message || "Someone changed this meanwhile.";
      // The server does not say whether another worker's job exists: one message for both.
      case "forbidden":
      case "not_found":
        return "This is no longer yours: the job was reassigned or deleted meanwhile.";
      default:
        return `The server refused the change (${status}).`;
    }
  }

  async function sendOne(change) {
    let response;
    try {
      response = await fetch(`/rpc/${change.endpoint}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": change.key },
        body: JSON.stringify(change.args),
      });
    } catch (_) {
      return "offline";
    }
    if (response.ok) return "sent";
    // Signed out, throttled or the server is in trouble: keep it and try later.
    if (response.status === 401 || response.status === 408 || response.status === 429 || response.status >= 500) return "later";
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      /* not JSON */
    }
    return { failed: reasonOf(body, response.status) };
  }

  async function replayNow(user) {
    let sent = 0;
    for (const change of await all()) {
      // Only the signed-in worker's own changes go out under their session.
      if (change.state !== "waiting" || change.user !== user) continue;
      const outcome = await sendOne(change);
      if (outcome === "offline" || outcome === "later") break;
      if (outcome === "sent") {
        await transact("readwrite", (store) => store.delete(change.seq));
        sent += 1;
      } else {
        change.state = "failed";
        change.reason = outcome.failed;
        await transact("readwrite", (store) => store.put(change));
      }
      announce();
    }
    return sent;
  }

  /** Sends `user`'s waiting changes, oldest first; one replay at a time per context. */
  function replay(user) {
    if (!user) return Promise.resolve(0);
    if (!replaying) replaying = replayNow(user).finally(() => (replaying = null));
    return replaying;
  }

  async function dismiss(seq) {
    await transact("readwrite", (store) => store.delete(seq));
    announce();
  }

  /** Forgets the changes of everyone but `keep` (a worker signed out, or another signed in). */
  async function clearExcept(keep) {
    for (const change of await all()) {
      if (change.user !== keep) await transact("readwrite", (store) => store.delete(change.seq));
    }
    announce();
  }

  self.FieldbookQueue = { enqueue, replay, all, dismiss, clearExcept, CHANNEL };
})();
