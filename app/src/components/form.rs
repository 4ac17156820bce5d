use crate::error::AppError;
use leptos::prelude::*;

/// Runs `on_ok` with each successful answer of a server action; a failure goes to
/// `failure` (shown by [`Banner`] and next to the fields it names) and a success clears it.
pub fn on_action_ok<T>(
    value: MappedSignal<Option<Result<T, AppError>>>,
    failure: RwSignal<Option<AppError>>,
    on_ok: impl Fn(T) + 'static,
) where
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| match value.get() {
        Some(Ok(answer)) => {
            failure.set(None);
            on_ok(answer);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
}

/// The message for `field` from the last failure, if it names that field.
pub fn field_error(failure: RwSignal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || failure.with(|f| f.as_ref().and_then(|e| e.field_message(field))))
}

/// The `aria-describedby` of a field: its hint, and its error while there is one, so a
/// screen reader reads the error with the field.
fn described_by(
    has_hint: bool,
    hint_id: String,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), error);
    // The value as the server renders it, so the field is filled before the WASM (or
    // without it: forms post without JavaScript). Never a password.
    let initial = (kind != "password").then(|| value.get_untracked()).filter(|v| !v.is_empty());
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=initial
                bind:value=value
                autocomplete=autocomplete
                placeholder=placeholder
                autofocus=autofocus
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
            />
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    /// (value, label) pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described_by = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), error);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
            >
                <For
                    each=move || options.get()
                    key=|(v, _)| v.clone()
                    children=move |(v, text)| {
                        let selected = {
                            let v = v.clone();
                            move || value.get() == v
                        };
                        view! { <option value=v selected=selected>{text}</option> }
                    }
                />
            </select>
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A multi-line text field, labelled and with its error, like [`Field`].
#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described_by = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), error);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                placeholder=placeholder
                maxlength=maxlength
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
            >
                // The text as the server renders it (see `Field`).
                {textarea_text(&value.get_untracked())}
            </textarea>
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A textarea's initial text. Leptos writes a textarea's children into the server's
/// HTML unescaped, and `</textarea>` in the text would end the element, so the server
/// escapes it here (the browser decodes it back); in the browser it is plain text.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        crate::escape_html(text)
    } else {
        text.to_string()
    }
}

/// A form-level message: the error that is not about one field, or a success note.
#[component]
pub fn Banner(failure: RwSignal<Option<AppError>>) -> impl IntoView {
    // Field errors move the focus to the first field in error: a screen reader then reads
    // its label with the error (`aria-describedby`), and the field is where typing goes.
    Effect::new(move |_| {
        if failure.with(|f| matches!(f, Some(AppError::Validation { .. }))) {
            focus_first_invalid_field();
        }
    });
    move || {
        failure.get().and_then(|error| match error {
            AppError::Validation { errors } if errors.iter().all(|e| e.field != "form") => None,
            other => Some(view! { <div class="banner banner-error" role="alert">{other.to_string()}</div> }),
        })
    }
}

#[component]
pub fn SubmitButton(
    label: &'static str,
    busy_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    view! {
        // `data-busy-label`: what `sign_in.js` shows on pages sent without the WASM.
        <button type="submit" class=class.unwrap_or("btn btn-primary") disabled=move || pending.get() data-busy-label=busy_label>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}

fn focus_first_invalid_field() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(field) = document()
            .query_selector("[aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
        }
    }
}
