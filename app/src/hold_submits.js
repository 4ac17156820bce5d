// Forms submitted before the page's WASM has taken them over (on a phone, the first
// several seconds of a visit) would post to a server that has no form handler for
// them and lose what was typed. This holds such a submit, says so, and submits it
// again — through the app — as soon as the form is live. Sign-in and sign-up forms
// (`data-posts-without-script`) are handled by the server itself and go straight out.
// What it shows goes to the notice strip outside #root, so it never disturbs hydration.
// It also keeps what was typed or picked before a field went live: hydrating a field
// sets it to the app's own value, which would silently undo a choice made in the first
// seconds (a job picked on the time page while its part of the bundle still loaded).
(() => {
  // A page sent without the WASM (`data-wasm="none"`): its forms post to the server.
  if (document.documentElement.dataset.wasm === "none") return;
  const HELD_NOTICE = "held-submit";

  // A form or field is live once the document has hydrated and no enclosing part of the
  // page (a suspense that hydrates later) still says `data-ready="false"`.
  function isLive(element) {
    if (document.getElementById("root")?.dataset.hydrated !== "true") return false;
    return !element.closest('[data-ready="false"]');
  }

  const isToggle = (field) => field.type === "checkbox" || field.type === "radio";

  // The app's fields follow `input`/`change` events (checkboxes, radios and selects
  // `change`, the rest `input`).
  function tellApp(field) {
    const kind = isToggle(field) || field.tagName === "SELECT" ? "change" : "input";
    field.dispatchEvent(new Event(kind, { bubbles: true }));
  }

  // Fields edited before they were live, with what they were set to.
  const early = new Map();

  function remember(event) {
    const field = event.target;
    const editable =
      field instanceof HTMLInputElement || field instanceof HTMLSelectElement || field instanceof HTMLTextAreaElement;
    if (!editable || isLive(field)) return;
    early.set(field, isToggle(field) ? { checked: field.checked } : { value: field.value });
    watch();
  }

  // Gives each remembered field its value back once it is live, and tells the app.
  function restore() {
    for (const [field, was] of early) {
      if (!field.isConnected) {
        early.delete(field);
        continue;
      }
      if (!isLive(field)) continue;
      early.delete(field);
      if ("checked" in was) field.checked = was.checked;
      else field.value = was.value;
      tellApp(field);
    }
  }

  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);

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
    notice(false);
    form.removeAttribute("aria-busy");
    if (!form.isConnected) return;
    // What was typed before the app loaded raised no event it could hear: tell it now.
    for (const field of form.querySelectorAll("input, select, textarea")) tellApp(field);
    // The app's handlers subscribe in the same task as the events above; submit after.
    setTimeout(() => form.requestSubmit(submitter && submitter.form === form ? submitter : undefined), 0);
  }

  // Hydration and each later part say they are done through these attributes.
  const observer = new MutationObserver(() => {
    restore();
    release();
    if (!held && early.size === 0) observer.disconnect();
  });
  function watch() {
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-hydrated", "data-ready"] });
  }

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
      watch();
      restore();
      release();
    },
    true,
  );
})();
