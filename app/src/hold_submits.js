// Forms submitted before the page's WASM has taken them over (on a phone, the first
// several seconds of a visit) would post to a server that has no form handler for
// them and lose what was typed. This holds such a submit, says so, and submits it
// again — through the app — as soon as the form is live. Sign-in and sign-up forms
// (`data-posts-without-script`) are handled by the server itself and go straight out.
// What it shows goes to the notice strip outside #root, so it never disturbs hydration.
(() => {
  const HELD_NOTICE = "held-submit";

  // A form is live once the document has hydrated and no enclosing part of the page
  // (a suspense that hydrates later) still says `data-ready="false"`.
  function isLive(form) {
    if (document.getElementById("root")?.dataset.hydrated !== "true") return false;
    return !form.closest('[data-ready="false"]');
  }

  function notice(show) {
    let element = document.getElementById(HELD_NOTICE);
    if (!show) {
      element?.remove();
      return;
    }
    if (element) return;
    element = document.createElement("div");
    element.id = HELD_NOTICE;
    element.className = "pwa-note";
    element.setAttribute("role", "status");
    element.textContent = "Still loading — your form will be sent in a moment.";
    // The page's strip of notices, outside #root (rendered by the shell).
    document.getElementById("pwa-dock").append(element);
  }

  let held = null;

  function release() {
    if (!held || !isLive(held.form)) return;
    const { form, submitter } = held;
    held = null;
    observer.disconnect();
    notice(false);
    form.removeAttribute("aria-busy");
    if (!form.isConnected) return;
    // The app's fields follow `input`/`change` events; what was typed before it loaded
    // raised none it could hear, so tell it now.
    for (const field of form.querySelectorAll("input, select, textarea")) {
      if (field.type === "checkbox" || field.type === "radio" || field.tagName === "SELECT") {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    // The app's handlers subscribe in the same task as the events above; submit after.
    setTimeout(() => form.requestSubmit(submitter && submitter.form === form ? submitter : undefined), 0);
  }

  const observer = new MutationObserver(release);

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-posts-without-script")) return;
      if (isLive(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      held = { form, submitter: event.submitter };
      form.setAttribute("aria-busy", "true");
      notice(true);
      observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-hydrated", "data-ready"] });
      release();
    },
    true,
  );
})();
