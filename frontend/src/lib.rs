//! The browser entry point: hydrates the server-rendered page.
// Leptos views are deeply nested types; the release build needs more room to lay them out.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate();
}
