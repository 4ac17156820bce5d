//! Modal dialogs: the browser's own `<dialog>` opened with `showModal()`, so it opens
//! in view whatever the scroll position, takes focus, keeps it inside while open
//! (the rest of the page is inert) and closes on Escape. Focus goes back to where it
//! was when the dialog closes.
//!
//! [`ConfirmDialog`] asks before a consequential change (a role, an assignment, a
//! deactivation, a deletion): pages call [`use_confirm`]`().ask(…)`.

use leptos::html;
use leptos::prelude::*;

/// A modal around `children`, shown while `open` is true. Escape calls `on_dismiss`,
/// which should set `open` to false.
#[component]
pub fn Modal(
    #[prop(into)] open: Signal<bool>,
    on_dismiss: Callback<()>,
    /// The id of the element that names the dialog (its heading).
    labelled_by: &'static str,
    #[prop(optional)] test_id: Option<&'static str>,
    /// Runs once the dialog has closed and the focus is back where it was.
    #[prop(optional)]
    on_closed: Option<Callback<()>>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    #[cfg(feature = "hydrate")]
    let return_focus_to = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let open = open.get();
        let Some(element) = dialog.get() else { return };
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if open && !element.open() {
                let active = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                return_focus_to.set_value(active);
                let _ = element.show_modal();
            } else if !open && element.open() {
                element.close();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (open, element);
    });
    let on_close = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(target) = return_focus_to.get_value().filter(|t| t.is_connected()) {
            let _ = target.focus();
        }
        // Closed by Escape: tell the owner, whose `open` is still true.
        if open.get_untracked() {
            on_dismiss.run(());
        }
        if let Some(on_closed) = on_closed {
            on_closed.run(());
        }
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by data-testid=test_id on:close=on_close>
            {children()}
        </dialog>
    }
}

/// A question asked before a consequential change.
#[derive(Clone)]
pub struct Confirmation {
    pub title: String,
    pub body: String,
    /// The confirming button's label, saying what happens: "Deactivate", "Make admin".
    pub confirm_label: String,
    pub on_confirm: Callback<()>,
    /// Runs when the question is cancelled (Cancel or Escape), e.g. to put a menu back.
    pub on_cancel: Option<Callback<()>>,
}

impl Confirmation {
    pub fn new(
        title: impl Into<String>,
        body: impl Into<String>,
        confirm_label: impl Into<String>,
        on_confirm: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        Self {
            title: title.into(),
            body: body.into(),
            confirm_label: confirm_label.into(),
            on_confirm: Callback::new(move |()| on_confirm()),
            on_cancel: None,
        }
    }

    pub fn on_cancel(mut self, on_cancel: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_cancel = Some(Callback::new(move |()| on_cancel()));
        self
    }
}

/// Asks the page's one [`ConfirmDialog`].
#[derive(Clone, Copy)]
pub struct Confirmer(RwSignal<Option<Confirmation>>);

impl Confirmer {
    pub fn ask(&self, question: Confirmation) {
        self.0.set(Some(question));
    }
}

/// Called by the app shell, which renders the [`ConfirmDialog`] it returns to.
pub fn provide_confirmer() -> Confirmer {
    let confirmer = Confirmer(RwSignal::new(None));
    provide_context(confirmer);
    confirmer
}

/// The confirmer of the [`ConfirmDialog`] rendered by the app shell.
pub fn use_confirm() -> Confirmer {
    use_context::<Confirmer>().expect("the app shell provides the confirmer")
}

/// The one confirmation dialog of the signed-in pages.
#[component]
pub fn ConfirmDialog(confirmer: Confirmer) -> impl IntoView {
    let question = confirmer.0;
    // A cancelled question's own clean-up runs after the dialog has closed and given the
    // focus back, so the clean-up may move it on (e.g. when it removes that button).
    let after_close = StoredValue::new(None::<Callback<()>>);
    let cancel = move || {
        if let Some(asked) = question.get_untracked() {
            after_close.set_value(asked.on_cancel);
            question.set(None);
        }
    };
    let on_closed = Callback::new(move |()| {
        if let Some(on_cancel) = after_close.get_value() {
            after_close.set_value(None);
            on_cancel.run(());
        }
    });
    let confirm = move |_| {
        if let Some(asked) = question.get_untracked() {
            question.set(None);
            asked.on_confirm.run(());
        }
    };
    let text =
        move |part: fn(&Confirmation) -> String| move || question.with(|q| q.as_ref().map(part).unwrap_or_default());
    view! {
        <Modal open=Signal::derive(move || question.with(Option::is_some)) on_dismiss=Callback::new(move |()| cancel())
            labelled_by="confirm-title" test_id="confirm-dialog" on_closed>
            <h2 id="confirm-title" class="dialog-title">{text(|q| q.title.clone())}</h2>
            <p class="dialog-body">{text(|q| q.body.clone())}</p>
            <div class="dialog-actions">
                // Cancel takes the focus: Enter alone never confirms.
                <button type="button" class="btn" autofocus on:click=move |_| cancel()>"Cancel"</button>
                <button type="button" class="btn btn-danger" on:click=confirm>{text(|q| q.confirm_label.clone())}</button>
            </div>
        </Modal>
    }
}
