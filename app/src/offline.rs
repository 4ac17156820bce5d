//! Changes a field worker can make without a connection: ticking tasks, notes, job
//! status, the timer and manual entries. Online they go to the server as usual;
//! without a connection (or when the request cannot reach the server) they go to the
//! installed app's queue (`/offline-queue.js`, IndexedDB) with an idempotency key
//! and are sent, in order, when the connection is back. The page shows the change
//! at once and marks it as waiting.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::Serialize;

/// What became of a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent<T> {
    /// The server made it; its answer.
    Done(T),
    /// Kept on the phone until the connection is back.
    Queued,
}

/// What a queueable action yields: the call as sent, and what became of it.
pub type Outcome<S> = (S, Result<Sent<<S as ServerFn>::Output>, AppError>);

/// An action for a change that may be made offline. `label` names the change for
/// the worker; `queued_as` adjusts the call before it is queued (timer actions
/// record the moment on the phone's clock then).
pub fn offline_action<S>(label: impl Fn(&S) -> String + 'static, queued_as: fn(S) -> S) -> Action<S, Outcome<S>>
where
    S: ServerFn<Error = AppError> + Serialize + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    // In the browser the queue's futures are not `Send` (JavaScript promises): an
    // unsync action, on the one thread there is. On the server, where pages render
    // across threads and actions never run, a plain one.
    #[cfg(feature = "hydrate")]
    {
        Action::new_unsync(move |call: &S| {
            let call = call.clone();
            let label = label(&call);
            async move {
                let sent = send_or_queue(call.clone(), label, queued_as).await;
                (call, sent)
            }
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (label, queued_as);
        Action::new(|call: &S| {
            let call = call.clone();
            async move { (call, Err(AppError::Internal)) }
        })
    }
}

/// Sends `call` to the server, or queues it when there is no connection.
/// `label` is how the worker would name the change ("Ticked “Fit the valve”").
pub async fn send_or_queue<S>(call: S, label: String, queued_as: fn(S) -> S) -> Result<Sent<S::Output>, AppError>
where
    S: ServerFn<Error = AppError> + Serialize + Clone,
{
    #[cfg(feature = "hydrate")]
    {
        if is_online() {
            match call.clone().run_on_client().await {
                Err(AppError::Network { .. }) => {}
                answer => return answer.map(Sent::Done),
            }
        }
        let args = serde_json::to_string(&queued_as(call))
            .map_err(|error| AppError::BadRequest { message: error.to_string() })?;
        queue(S::PATH.trim_start_matches("/rpc/"), &args, &label).await?;
        Ok(Sent::Queued)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Actions run in the browser only.
        let _ = (call, label, queued_as);
        Err(AppError::Internal)
    }
}

/// The moment of a change, as the phone's clock has it (sent with timer actions made offline).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    #[cfg(feature = "hydrate")]
    {
        let ms = js_sys::Date::now() as i64;
        chrono::DateTime::from_timestamp_millis(ms).unwrap_or_else(chrono::Utc::now)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now()
    }
}

/// Whether the server looks reachable: the installed app's view (it also asks the
/// server), else the browser's.
pub fn is_online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let app_view = js_sys::Reflect::get(&window(), &"fieldbookOffline".into()).ok().and_then(|offline| {
            let check = js_sys::Reflect::get(&offline, &"isOnline".into()).ok()?;
            check.dyn_into::<js_sys::Function>().ok()?.call0(&offline).ok()?.as_bool()
        });
        app_view.unwrap_or_else(|| window().navigator().on_line())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}

#[cfg(feature = "hydrate")]
async fn queue(endpoint: &str, args: &str, label: &str) -> Result<(), AppError> {
    use wasm_bindgen::JsCast;
    let unavailable =
        || AppError::Network { detail: "No connection, and this browser cannot keep changes offline.".to_string() };
    let offline = js_sys::Reflect::get(&window(), &"fieldbookOffline".into()).map_err(|_| unavailable())?;
    let queue = js_sys::Reflect::get(&offline, &"queue".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(unavailable)?;
    let args = js_sys::JSON::parse(args).map_err(|_| unavailable())?;
    let promise = queue
        .call3(&offline, &endpoint.into(), &args, &label.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or_else(unavailable)?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| unavailable())?;
    Ok(())
}

/// Runs `on_synced` whenever queued changes reached the server (the page then
/// reloads what it shows from the server).
pub fn on_synced(on_synced: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let handle = leptos::prelude::window_event_listener_untyped("fieldbook:synced", move |_| on_synced());
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_synced;
}
