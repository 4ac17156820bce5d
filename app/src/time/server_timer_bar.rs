//! The timer bar of a page the server sends without the WASM (`routes::sent_without_wasm`,
//! a worker's My jobs). The server draws it with the timer as it is now; each button is a
//! form the server handles (`server/src/http/form_actions.rs`). `without_wasm.js` ticks
//! the clock and, when a tap finds no connection, keeps it in the installed app's queue
//! with the moment it happened, like the WASM's bar (`timer_bar.rs`) does.

use super::api::{load_timer, PauseTimer, ResumeTimer, StopTimer};
use super::format_elapsed;
use crate::components::Icon;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// One of the bar's buttons: a one-button form posting to the timer's server function.
#[component]
fn TimerButton(
    action: &'static str,
    /// What `without_wasm.js` does on this page when the tap has to wait: pause, resume, stop.
    kind: &'static str,
    label: &'static str,
    busy_label: &'static str,
    /// How the queue names the change for the worker.
    queued_label: &'static str,
    icon: &'static str,
    #[prop(optional)] primary: bool,
    #[prop(optional)] hidden: bool,
) -> impl IntoView {
    view! {
        <form method="post" action=action data-posts-without-script="" data-timer-action=kind
            data-queued-label=queued_label hidden=hidden>
            <button type="submit" class=if primary { "btn btn-small btn-primary" } else { "btn btn-small" }
                data-busy-label=busy_label>
                <Icon name=icon /><span>{label}</span>
            </button>
        </form>
    }
}

/// The running timer, drawn by the server; nothing when no timer runs.
#[component]
pub fn ServerTimerBar() -> impl IntoView {
    let timer = Resource::new(|| (), |_| load_timer());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                timer.await.ok().flatten().map(|timer| {
                    let paused = timer.paused;
                    view! {
                        <div class="timer-bar" class:paused=paused data-testid="timer-bar" role="status"
                            data-server-timer="" data-elapsed=timer.elapsed_seconds>
                            <span class="timer-dot" aria-hidden="true"></span>
                            <a class="timer-job" href="/app/time">
                                <strong>{timer.job_title.clone()}</strong>
                                <span class="muted">{timer.customer_name.clone()}</span>
                            </a>
                            <span class="timer-elapsed" data-testid="timer-elapsed">{format_elapsed(timer.elapsed_seconds)}</span>
                            // Empty unless paused: a hidden word would still be in the bar's text.
                            <span class="role-badge" data-paused-badge="" hidden=!paused>{paused.then_some("Paused")}</span>
                            <div class="timer-actions">
                                <TimerButton action=ResumeTimer::PATH kind="resume" label="Resume" busy_label="Resuming…"
                                    queued_label="Resumed the timer" icon="play" hidden=!paused />
                                <TimerButton action=PauseTimer::PATH kind="pause" label="Pause" busy_label="Pausing…"
                                    queued_label="Paused the timer" icon="pause" hidden=paused />
                                <TimerButton action=StopTimer::PATH kind="stop" label="Stop" busy_label="Stopping…"
                                    queued_label="Stopped the timer" icon="stop" primary=true />
                            </div>
                        </div>
                        <p class="banner banner-info timer-offline" role="status" data-testid="timer-offline" hidden></p>
                    }
                })
            })}
        </Suspense>
    }
}
