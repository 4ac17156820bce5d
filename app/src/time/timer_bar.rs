//! The worker's timer, shared by every page: a bar under the top bar while a
//! timer runs. The server is the source of truth; the browser adds the seconds
//! passed since it last asked, and asks again on load, on focus and every minute.

use super::api::{load_timer, PauseTimer, ResumeTimer, StopTimer};
use super::{format_elapsed, RunningTimer};
use crate::components::Icon;
use crate::error::AppError;
use crate::offline::{offline_action, Sent};
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
    /// What the last change made without a connection did ("Stopped at 1:05, saved on this phone").
    pub offline_note: RwSignal<Option<String>>,
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

    /// Asks the server for the timer. Without a connection the timer stays as the
    /// phone last knew it (changes made offline included).
    pub fn refresh(self) {
        if !crate::offline::is_online() {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(timer) = load_timer().await {
                self.set(timer);
            }
        });
    }

    /// Shows a timer started without a connection, from now.
    pub fn started_offline(self, job_id: uuid::Uuid, job_title: String, customer_name: String) {
        let started_label = crate::offline::now().format("%H:%M").to_string();
        self.set(Some(RunningTimer {
            log_id: uuid::Uuid::nil(),
            job_id,
            job_title,
            customer_name,
            started_label,
            paused: false,
            elapsed_seconds: 0,
        }));
        self.offline_note.set(Some("Timer started on this phone: it is sent when you are back online.".into()));
    }

    /// Shows a pause or resume made without a connection.
    fn paused_offline(self, paused: bool) {
        let elapsed = self.elapsed().get_untracked();
        let timer = self.timer.get_untracked().map(|t| RunningTimer { paused, elapsed_seconds: elapsed, ..t });
        self.set(timer);
        self.offline_note.set(Some(if paused { "Paused on this phone." } else { "Resumed on this phone." }.into()));
    }

    /// Shows a stop made without a connection.
    fn stopped_offline(self) {
        let elapsed = self.elapsed().get_untracked();
        self.set(None);
        self.offline_note.set(Some(format!(
            "Stopped at {}: the entry is saved on this phone and sent when you are back online.",
            format_elapsed(elapsed)
        )));
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
        offline_note: RwSignal::new(None),
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
        crate::offline::on_synced(move || {
            state.offline_note.set(None);
            state.changes.update(|c| *c += 1);
            state.refresh();
        });
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
    // Made offline, each action records the moment on the phone's clock.
    let pause =
        offline_action(|_: &PauseTimer| "Paused the timer".into(), |_| PauseTimer { at: Some(crate::offline::now()) });
    let resume = offline_action(
        |_: &ResumeTimer| "Resumed the timer".into(),
        |_| ResumeTimer { at: Some(crate::offline::now()) },
    );
    let stop =
        offline_action(|_: &StopTimer| "Stopped the timer".into(), |_| StopTimer { at: Some(crate::offline::now()) });
    let on_pause_or_resume = move |answer: Option<Result<Sent<RunningTimer>, AppError>>, paused: bool| match answer {
        Some(Ok(Sent::Done(timer))) => state.set(Some(timer)),
        Some(Ok(Sent::Queued)) => state.paused_offline(paused),
        Some(Err(error)) => {
            state.failure.set(Some(error.to_string()));
            state.refresh();
        }
        None => {}
    };
    Effect::new(move |_| on_pause_or_resume(pause.value().get().map(|(_, answer)| answer), true));
    Effect::new(move |_| on_pause_or_resume(resume.value().get().map(|(_, answer)| answer), false));
    Effect::new(move |_| match stop.value().get() {
        Some((_, Ok(Sent::Done(_)))) => {
            state.set(None);
            state.changes.update(|c| *c += 1);
        }
        Some((_, Ok(Sent::Queued))) => state.stopped_offline(),
        Some((_, Err(error))) => {
            state.failure.set(Some(error.to_string()));
            state.refresh();
        }
        None => {}
    });
    let busy = move || pause.pending().get() || resume.pending().get() || stop.pending().get();
    let elapsed = state.elapsed();
    let offline_note = move || {
        state.offline_note.get().map(|note| view! { <p class="banner banner-info timer-offline" role="status" data-testid="timer-offline">{note}</p> })
    };
    let bar = move || {
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
                                <button class="btn btn-small" disabled=busy on:click=move |_| { resume.dispatch(ResumeTimer { at: None }); }>
                                    <Icon name="play" /><span>"Resume"</span>
                                </button>
                            }.into_any()
                        } else {
                            view! {
                                <button class="btn btn-small" disabled=busy on:click=move |_| { pause.dispatch(PauseTimer { at: None }); }>
                                    <Icon name="pause" /><span>"Pause"</span>
                                </button>
                            }.into_any()
                        }}
                        <button class="btn btn-small btn-primary" disabled=busy on:click=move |_| { stop.dispatch(StopTimer { at: None }); }>
                            <Icon name="stop" /><span>"Stop"</span>
                        </button>
                    </div>
                    {move || state.failure.get().map(|m| view! { <span class="field-error">{m}</span> })}
                </div>
            }
        })
    };
    view! { {bar} {offline_note} }
}
