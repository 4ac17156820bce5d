// The installed-app side of every page, kept out of the WASM bundle: registers the
// service worker, offers installation on workers' pages, says when a page is an
// offline copy, asks for a reload when a new version is ready, keeps the worker's
// pages cached for offline use, and shows and replays changes made offline.
// Everything it draws lives outside #root, so it never disturbs hydration.
const Queue = self.FieldbookQueue;
const LAST_USER = "fieldbook:user";
const PREFETCHED_AT = "fieldbook:pages-cached-at";
const INSTALL_DISMISSED = "fieldbook:install-dismissed";
const REFRESH_PAGES_EVERY_MS = 5 * 60 * 1000;
/** A document rendered longer ago than this was served from the offline cache. */
const STALE_AFTER_MS = 60 * 1000;

const shell = () => document.querySelector(".shell[data-role]");
const currentUser = () => shell()?.dataset.user ?? null;
const currentRole = () => shell()?.dataset.role ?? null;

function renderedAt() {
  const value = document.querySelector('meta[name="fieldbook-rendered-at"]')?.content;
  const at = value ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

function clock(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

// ---- a strip of notices at the bottom of the screen, above the tab bar ----

/** The strip of notices, rendered by the page outside the app's root. */
const dock = () => document.getElementById("pwa-dock");

/** Shows (or replaces) the notice `id`; `null` content removes it. */
function notice(id, build) {
  const existing = document.getElementById(id);
  if (!build) {
    existing?.remove();
    return null;
  }
  const element = existing ?? document.createElement("div");
  element.id = id;
  element.replaceChildren();
  build(element);
  if (!existing) dock().append(element);
  return element;
}

function button(label, className, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `btn ${className}`;
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

// ---- offline line ----

// `navigator.onLine` says only whether there is a network, not whether the server can
// be reached (a phone on a Wi-Fi without internet, a plant room with one bar): the app
// also asks the server, at load, after each failure and every few seconds while cut off.
let reachable = true;
let probing = null;
const PROBE_OFFLINE_EVERY_MS = 5_000;

async function probe() {
  if (!probing) {
    probing = fetch("/health", { cache: "no-store" })
      .then((response) => response.ok, () => false)
      .then((ok) => {
        const cameBack = ok && !reachable;
        reachable = ok;
        showConnection();
        if (cameBack) replay();
        return ok;
      })
      .finally(() => (probing = null));
  }
  return probing;
}

const isOffline = () => !navigator.onLine || !reachable;

function showConnection() {
  const at = renderedAt();
  const stale = at && Date.now() - at.getTime() > STALE_AFTER_MS;
  const offline = isOffline();
  if (!offline && !stale) return notice("pwa-offline", null);
  notice("pwa-offline", (element) => {
    element.className = "pwa-note pwa-offline";
    element.setAttribute("role", "status");
    element.dataset.testid = "offline-line";
    const when = at ? ` — as of ${clock(at)}` : "";
    element.textContent = offline ? `Offline${when}` : `Saved copy${when}: reload when you have signal`;
  });
}

// Offline, a click on a link would make the router ask the server for data it
// cannot reach: load the page as a document instead, which the service worker
// answers from its cache.
document.addEventListener(
  "click",
  (event) => {
    if (!isOffline() && !document.getElementById("pwa-offline")) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.target || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/app")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.assign(url.href);
  },
  true,
);

// ---- the queue: badge, failures, replay ----

async function showQueue() {
  let changes = [];
  try {
    changes = await Queue.all();
  } catch (_) {
    return; // no IndexedDB (private mode): nothing was queued either
  }
  const user = currentUser();
  const waiting = changes.filter((c) => c.state === "waiting" && c.user === user);
  const failed = changes.filter((c) => c.state === "failed" && c.user === user);
  notice(
    "pwa-queue",
    waiting.length &&
      ((element) => {
        element.className = "pwa-note pwa-queue";
        element.setAttribute("role", "status");
        element.dataset.testid = "sync-badge";
        element.dataset.count = String(waiting.length);
        element.textContent =
          waiting.length === 1 ? "1 change waiting to sync" : `${waiting.length} changes waiting to sync`;
      }),
  );
  notice(
    "pwa-failed",
    failed.length &&
      ((element) => {
        element.className = "pwa-note pwa-failed";
        element.setAttribute("role", "alert");
        element.dataset.testid = "sync-failed";
        const title = document.createElement("strong");
        title.textContent = failed.length === 1 ? "1 change could not sync" : `${failed.length} changes could not sync`;
        const list = document.createElement("ul");
        for (const change of failed) {
          const item = document.createElement("li");
          const text = document.createElement("span");
          text.textContent = `${change.label}: ${change.reason}`;
          item.append(text, button("Dismiss", "btn-ghost btn-small", () => Queue.dismiss(change.seq).then(showQueue)));
          list.append(item);
        }
        element.append(title, list);
      }),
  );
}

async function replay() {
  if (isOffline()) return;
  try {
    const sent = await Queue.replay(currentUser());
    // What the server now holds replaces the optimistic copy on screen.
    if (sent > 0) window.dispatchEvent(new CustomEvent("fieldbook:synced", { detail: { sent } }));
  } catch (_) {
    /* tried again on the next trigger */
  }
  showQueue();
}

// ---- caches of one worker, cleared when someone else uses the phone ----

// After "Log out" (the app lands on the sign-in page with ?signed_out) or when someone
// else is signed in, the cached pages and queued changes of the previous worker go.
// A sign-in page reached any other way (an expired session) keeps them: the same
// worker signs in again and their changes are sent.
async function forgetPreviousUser() {
  const user = currentUser();
  const previous = localStorage.getItem(LAST_USER);
  const signedOut = new URLSearchParams(location.search).has("signed_out");
  if (previous && (signedOut || (user && previous !== user))) {
    await Queue.clearExcept(user).catch(() => {});
    const sw = navigator.serviceWorker;
    const registration = sw ? await sw.getRegistration() : null;
    registration?.active?.postMessage({ type: "forget-pages" });
    if ("caches" in self) await caches.delete("fieldbook-pages").catch(() => {});
    localStorage.removeItem(LAST_USER);
    localStorage.removeItem(PREFETCHED_AT);
  }
  if (user) localStorage.setItem(LAST_USER, user);
}

async function cacheWorkerPages(registration) {
  if (currentRole() !== "WORKER" || isOffline()) return;
  const last = Number(localStorage.getItem(PREFETCHED_AT) ?? 0);
  if (Date.now() - last < REFRESH_PAGES_EVERY_MS) return;
  const response = await fetch("/offline/pages.json", { credentials: "same-origin" }).catch(() => null);
  if (!response?.ok) return;
  const { pages, user_id } = await response.json();
  if (user_id !== currentUser()) return;
  const worker = registration.active ?? (await navigator.serviceWorker.ready).active;
  worker?.postMessage({ type: "cache-pages", pages });
  localStorage.setItem(PREFETCHED_AT, String(Date.now()));
}

// ---- installation ----

let installPrompt = null;
const standalone = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const isIos = () => /iphone|ipad|ipod/i.test(navigator.userAgent) && !self.MSStream;

function showInstall() {
  const wanted =
    currentRole() === "WORKER" && !standalone() && !localStorage.getItem(INSTALL_DISMISSED) && (installPrompt || isIos());
  notice(
    "pwa-install",
    wanted &&
      ((element) => {
        element.className = "pwa-note pwa-install";
        const text = document.createElement("span");
        if (installPrompt) {
          text.textContent = "Keep your jobs on your phone, also without signal.";
          element.append(
            text,
            button("Install Fieldbook", "btn-primary btn-small", async () => {
              const prompt = installPrompt;
              installPrompt = null;
              prompt.prompt();
              await prompt.userChoice.catch(() => null);
              showInstall();
            }),
          );
        } else {
          text.textContent = "Install Fieldbook: tap Share, then “Add to Home Screen”.";
          element.append(text);
        }
        element.append(
          button("Not now", "btn-ghost btn-small", () => {
            localStorage.setItem(INSTALL_DISMISSED, "1");
            showInstall();
          }),
        );
      }),
  );
}

addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = event;
  showInstall();
});
addEventListener("appinstalled", () => {
  installPrompt = null;
  showInstall();
});

// ---- updates ----

function offerReload(waiting) {
  notice("pwa-update", (element) => {
    element.className = "pwa-note pwa-update";
    element.setAttribute("role", "status");
    element.dataset.testid = "update-ready";
    const text = document.createElement("span");
    text.textContent = "A new version is ready.";
    element.append(
      text,
      button("Reload", "btn-primary btn-small", () => waiting.postMessage({ type: "skip-waiting" })),
    );
  });
}

async function register() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const hadController = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only after the worker pressed Reload (the first install takes over silently).
    if (hadController && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  if (registration.waiting && hadController) offerReload(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const incoming = registration.installing;
    incoming?.addEventListener("statechange", () => {
      if (incoming.state === "installed" && navigator.serviceWorker.controller) offerReload(incoming);
    });
  });
  if ("sync" in registration) {
    // Where the browser has Background Sync, the service worker replays without the page.
    document.addEventListener("fieldbook:queued", () => registration.sync.register("fieldbook-queue").catch(() => {}));
  }
  await cacheWorkerPages(registration).catch(() => {});
}

// ---- what the app calls when a change cannot reach the server ----

self.fieldbookOffline = {
  /** Queues a server-function call made without a connection; resolves to its idempotency key. */
  async queue(endpoint, args, label) {
    const key = await Queue.enqueue({ endpoint, args, label, user: currentUser() });
    document.dispatchEvent(new CustomEvent("fieldbook:queued"));
    probe();
    return key;
  },
  isOnline: () => !isOffline(),
  /** A request could not reach the server: check, and show it. */
  unreachable: () => probe(),
};

// ---- start ----

async function start() {
  await forgetPreviousUser().catch(() => {});
  showConnection();
  showQueue();
  showInstall();
  addEventListener("online", () => {
    showConnection();
    replay();
  });
  addEventListener("offline", showConnection);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") replay();
  });
  document.addEventListener("fieldbook:queued", showQueue);
  try {
    new BroadcastChannel(Queue.CHANNEL).onmessage = showQueue;
  } catch (_) {
    /* no BroadcastChannel */
  }
  setInterval(replay, 30_000);
  setInterval(() => {
    if (isOffline()) probe();
  }, PROBE_OFFLINE_EVERY_MS);
  probe().then((ok) => ok && replay());
  register().catch((error) => console.warn("service worker not registered:", error));
}

// The shell is rendered inside a streamed document: wait until it is there.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
