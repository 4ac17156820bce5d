// Pages the server sends without the app's WASM (`routes::sent_without_wasm`): the
// sign-in forms and a worker's My jobs. Every control on them is a link or a form the
// server handles; this small script adds what the WASM adds on other pages:
// - a form being sent says so on its button, and a second tap sends nothing more;
// - `/login` remembers the workspace on this device;
// - the timer bar's clock ticks, and a tap on Pause, Resume or Stop that finds no
//   connection is kept in the installed app's queue (`/offline-queue.js`) with the
//   moment it happened, and shown at once, like the WASM's bar does.
(() => {
  const WORKSPACE_KEY = "fieldbook.workspace";
  const storage = () => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage blocked: nothing is remembered
    }
  };

  // ---- busy buttons ----

  function showBusy(form, submitter) {
    const button = submitter ?? form.querySelector('button[type="submit"]');
    if (!button?.dataset.busyLabel) return;
    const text = button.querySelector("span") ?? button;
    button.dataset.label = text.textContent;
    text.textContent = button.dataset.busyLabel;
    button.setAttribute("aria-busy", "true");
  }

  function showReady(form) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll("button[aria-busy]")) {
      (button.querySelector("span") ?? button).textContent = button.dataset.label ?? "";
      button.removeAttribute("aria-busy");
    }
  }

  // Back on the page from the browser's history cache: its forms are ready again.
  addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll('form[data-sending="true"]').forEach(showReady);
  });

  // ---- sign-in: the remembered workspace ----

  const slugInAddress = () => {
    const match = location.pathname.match(/^\/([^/]+)\/login\/?$/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  function rememberWorkspace(form) {
    const field = form.elements.namedItem("workspace");
    if (!(field instanceof HTMLInputElement) || field.type === "hidden") {
      if (slugInAddress()) storage()?.setItem(WORKSPACE_KEY, slugInAddress());
      return;
    }
    if (field.value.trim()) storage()?.setItem(WORKSPACE_KEY, field.value.trim());
  }

  document.addEventListener("DOMContentLoaded", () => {
    const field = document.querySelector('form[data-posts-without-script] input[name="workspace"]:not([type="hidden"])');
    const saved = storage()?.getItem(WORKSPACE_KEY);
    if (field && !field.value && saved) field.value = saved;
  });

  // ---- the timer bar ----

  const formatElapsed = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    const pad = (n) => String(n).padStart(2, "0");
    return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  };
  const clockTime = (date) => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  // Worked seconds when the page was drawn, and since when the clock has run on top.
  const timer = { bar: null, seconds: 0, runningSince: null, stopped: false };

  function setUpTimer() {
    const bar = document.querySelector("[data-server-timer]");
    if (!bar) return;
    timer.bar = bar;
    timer.seconds = Number(bar.dataset.elapsed) || 0;
    if (!bar.classList.contains("paused")) {
      // The page may be a copy the installed app kept: count from when it was drawn.
      const drawn = Date.parse(document.querySelector('meta[name="fieldbook-rendered-at"]')?.content ?? "");
      timer.runningSince = Number.isNaN(drawn) ? Date.now() : Math.min(drawn, Date.now());
    }
    tick();
    setInterval(tick, 1000);
  }

  function workedSeconds(at = Date.now()) {
    return timer.seconds + (timer.runningSince === null ? 0 : (at - timer.runningSince) / 1000);
  }

  function tick() {
    const clock = timer.bar?.querySelector(".timer-elapsed");
    if (clock && !timer.stopped) clock.textContent = formatElapsed(workedSeconds());
  }

  document.addEventListener("DOMContentLoaded", setUpTimer);

  // What a queued tap changes on the page until the server has it.
  function applyQueued(kind, at) {
    const bar = timer.bar;
    const note = bar.nextElementSibling?.matches("[data-testid=timer-offline]") ? bar.nextElementSibling : null;
    const when = clockTime(new Date(at));
    // The bar as paused or running: its colour, the "Paused" badge, Pause or Resume.
    const showPaused = (paused) => {
      bar.classList.toggle("paused", paused);
      const badge = bar.querySelector("[data-paused-badge]");
      badge.textContent = paused ? "Paused" : "";
      badge.hidden = !paused;
      bar.querySelector('form[data-timer-action="pause"]').hidden = paused;
      bar.querySelector('form[data-timer-action="resume"]').hidden = !paused;
    };
    if (kind === "pause") {
      timer.seconds = workedSeconds(at);
      timer.runningSince = null;
      showPaused(true);
    } else if (kind === "resume") {
      timer.runningSince = at;
      showPaused(false);
    } else if (kind === "stop") {
      timer.seconds = workedSeconds(at);
      timer.runningSince = null;
      timer.stopped = true;
      bar.hidden = true;
    }
    tick();
    if (note) {
      const what = {
        pause: `Paused at ${when}`,
        resume: `Resumed at ${when}`,
        stop: `Stopped at ${when} with ${formatElapsed(timer.seconds)} worked`,
      }[kind];
      note.textContent = `${what}, saved on this phone: it is sent when the connection is back.`;
      note.hidden = false;
    }
  }

  // Online, the tap goes to the server as the form it is; the answer (a redirect with
  // what happened or what was wrong) is shown by reloading the page. Without a
  // connection, or when the server cannot be reached, it is queued.
  async function sendTimerTap(form) {
    const at = Date.now();
    try {
      if (navigator.onLine === false) throw new Error("offline");
      await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        redirect: "manual",
      });
      location.reload();
      return;
    } catch {
      // No connection: below.
    }
    const queue = self.FieldbookQueue;
    const user = document.querySelector(".shell")?.dataset.user;
    if (!queue || !user) {
      showReady(form);
      return;
    }
    await queue.enqueue({
      endpoint: new URL(form.action).pathname.replace(/^\/rpc\//, ""),
      args: { at: new Date(at).toISOString() },
      label: form.dataset.queuedLabel,
      user,
    });
    showReady(form);
    applyQueued(form.dataset.timerAction, at);
  }

  // ---- every form ----

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-posts-without-script")) return;
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    showBusy(form, event.submitter);
    if (form.dataset.timerAction && timer.bar) {
      event.preventDefault();
      sendTimerTap(form);
      return;
    }
    rememberWorkspace(form);
  });
})();
