//! The worker's timer, shared by every page: a bar under the top bar while a
//! timer runs. The server is the source of truth; the browser adds the seconds
//! passed since it last asked, and asks again on load, on focus and every minute.

use super::api::{load_timer, PauseTimer, ResumeTimer, StopTimer};
use super::{format_elapsed, RunningTimer};
use crate::components::Icon;
use leptos::prelude::*;
use std::time::Duration;

/// The timer as last heard from the server, for the bar and the time page.
#[derive(Clone, Copy)]
pub struct TimerState {
    pub timer: RwSignal<Option<RunningTimer>>,
    /// `Date.now()` when `timer` arrived.
    fetched_at_ms: RwSignal<f64>,
    /// Ticks every second while a timer runs.
    now_ms: RwSignal<f64>,
    /// Bumped when entries change through the timer (the time page reloads on it).
    pub changes: RwSignal<u32>,
    pub failure: RwSignal<Option<String>>,
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

impl TimerState {
    pub fn set(self, timer: Option<RunningTimer>) {
        let now = now_ms();
        self.fetched_at_ms.set(now);
        self.now_ms.set(now);
        self.failure.set(None);
        self.timer.set(timer);
    }

    /// Worked seconds now, as the server counted plus the time since.
    pub fn elapsed(self) -> Signal<i64> {
        Signal::derive(move || {
            self.timer.with(|t| match t {
                Some(t) if t.paused => t.elapsed_seconds,
                Some(t) => t.elapsed_seconds + ((self.now_ms.get() - self.fetched_at_ms.get()) / 1000.0).floor() as i64,
                None => 0,
            })
        })
    }

    /// Asks the server for the timer.
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(timer) = load_timer().await {
                self.set(timer);
            }
        });
    }
}

/// Provided by the shell for workers.
pub fn provide_timer_state() -> TimerState {
    let state = TimerState {
        timer: RwSignal::new(None),
        fetched_at_ms: RwSignal::new(0.0),
        now_ms: RwSignal::new(0.0),
        changes: RwSignal::new(0),
        failure: RwSignal::new(None),
    };
    provide_context(state);
    state
}

pub fn use_timer_state() -> Option<TimerState> {
    use_context::<TimerState>()
}

/// The bar itself; renders nothing until the browser has the timer.
#[component]
pub fn TimerBar(state: TimerState) -> impl IntoView {
    // Browser only: effects do not run on the server.
    Effect::new(move |_| {
        state.refresh();
        let tick = set_interval_with_handle(move || state.now_ms.set(now_ms()), Duration::from_secs(1)).ok();
        let poll = set_interval_with_handle(move || state.refresh(), Duration::from_secs(60)).ok();
        let focus = window_event_listener(leptos::ev::focus, move |_| state.refresh());
        on_cleanup(move || {
            if let Some(h) = tick {
                h.clear();
            }
            if let Some(h) = poll {
                h.clear();
            }
            focus.remove();
        });
    });
    let pause = ServerAction::<PauseTimer>::new();
    let resume = ServerAction::<ResumeTimer>::new();
    let stop = ServerAction::<StopTimer>::new();
    for action in [pause.value(), resume.value()] {
        Effect::new(move |_| match action.get() {
            Some(Ok(timer)) => state.set(Some(timer)),
            Some(Err(error)) => {
                state.failure.set(Some(error.to_string()));
                state.refresh();
            }
            None => {}
        });
    }
    Effect::new(move |_| match stop.value().get() {
        Some(Ok(_)) => {
            state.set(None);
            state.changes.update(|c| *c += 1);
        }
        Some(Err(error)) => {
            state.failure.set(Some(error.to_string()));
            state.refresh();
        }
        None => {}
    });
    let busy = move || pause.pending().get() || resume.pending().get() || stop.pending().get();
    let elapsed = state.elapsed();
    move || {
        state.timer.get().map(|timer| {
            let paused = timer.paused;
            view! {
                <div class="timer-bar" class:paused=paused data-testid="timer-bar" role="status">
                    <span class="timer-dot" aria-hidden="true"></span>
                    <a class="timer-job" href="/app/time">
                        <strong>{timer.job_title.clone()}</strong>
                        <span class="muted">{timer.customer_name.clone()}</span>
                    </a>
                    <span class="timer-elapsed" data-testid="timer-elapsed">{move || format_elapsed(elapsed.get())}</span>
                    {paused.then(|| view! { <span class="role-badge">"Paused"</span> })}
                    <div class="timer-actions">
                        {if paused {
                            view! {
                                <button class="btn btn-small" disabled=busy on:click=move |_| { resume.dispatch(ResumeTimer {}); }>
                                    <Icon name="play" /><span>"Resume"</span>
                                </button>
                            }.into_any()
                        } else {
                            view! {
                                <button class="btn btn-small" disabled=busy on:click=move |_| { pause.dispatch(PauseTimer {}); }>
                                    <Icon name="pause" /><span>"Pause"</span>
                                </button>
                            }.into_any()
                        }}
                        <button class="btn btn-small btn-primary" disabled=busy on:click=move |_| { stop.dispatch(StopTimer {}); }>
                            <Icon name="stop" /><span>"Stop"</span>
                        </button>
                    </div>
                    {move || state.failure.get().map(|m| view! { <span class="field-error">{m}</span> })}
                </div>
            }
        })
    }
}
