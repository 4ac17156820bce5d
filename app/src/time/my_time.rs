//! The worker's time page: start a timer (with the contract budget in sight),
//! add a manual entry, and send drafts for approval; declined entries show why.

use super::api::{load_my_time, CreateLog, DeleteLog, StartTimer, SubmitLogs};
use super::timer_bar::use_timer_state;
use super::widgets::{BudgetMeter, EntryFields, EntryFieldsView, LogSummary};
use super::{LogForm, LogStatus, LoggableJob, MyTime, WorkLog};
use crate::components::{announce, on_action_ok, revealed_by_query, Banner, Icon, RevealButton, SubmitButton};
use crate::error::AppError;
use crate::offline::{offline_action, Sent};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn MyTimePage() -> impl IntoView {
    let timer = use_timer_state();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(move || (reload.get(), timer.map(|t| t.changes.get()).unwrap_or(0)), |_| load_my_time());
    view! {
        <Title text="Time" />
        <div class="page-head">
            <div>
                <h1>"Time"</h1>
                <p class="muted">"Track time on your jobs, then send it to the customer for approval."</p>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(mine) => view! { <TimeView mine reload /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TimeView(mine: MyTime, reload: RwSignal<u32>) -> impl IntoView {
    let timer = use_timer_state();
    // The page's own answer is the freshest word on the timer.
    let fresh = mine.timer.clone();
    Effect::new(move |_| {
        // Only on news: every change wakes the views that show the timer.
        if let Some(state) = timer.filter(|s| s.timer.get_untracked() != fresh) {
            state.set(fresh.clone());
        }
    });
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let MyTime { jobs, logs, contracts, today, .. } = mine;
    let drafts: Vec<WorkLog> = logs.iter().filter(|l| l.status == LogStatus::Draft).cloned().collect();
    let declined: Vec<WorkLog> = logs.iter().filter(|l| l.status == LogStatus::Declined).cloned().collect();
    let pending: Vec<WorkLog> = logs.iter().filter(|l| l.status == LogStatus::Pending).cloned().collect();
    let approved: Vec<WorkLog> = logs.iter().filter(|l| l.status == LogStatus::Approved).cloned().collect();
    let submittable: Vec<Uuid> = drafts.iter().filter(|l| l.can_submit).map(|l| l.id).collect();
    view! {
        <div class="time-layout" data-ready=move || ready.get().to_string()>
            <div class="time-main">
                <StartCard jobs=jobs.clone() />
                <ManualEntry jobs=jobs today reload />
                <EntryGroup title="Ready to submit" id="drafts" logs=drafts reload submit_all=submittable
                    empty="No drafts. Stopped timers and manual entries land here." />
                <EntryGroup title="Declined" id="declined" logs=declined reload submit_all=Vec::new()
                    empty="Nothing declined." />
                <EntryGroup title="Waiting for approval" id="pending" logs=pending reload submit_all=Vec::new()
                    empty="Nothing waiting." />
                <EntryGroup title="Approved" id="approved" logs=approved reload submit_all=Vec::new()
                    empty="Nothing approved in the last 60 days." />
            </div>
            <aside class="time-aside">
                <section class="card" aria-labelledby="budgets-title">
                    <h2 id="budgets-title" class="card-title">"Your contracts"</h2>
                    {if contracts.is_empty() {
                        view! { <p class="muted">"No contracts with an hour budget."</p> }.into_any()
                    } else {
                        contracts.into_iter().map(|usage| view! { <BudgetMeter usage show_parties=true /> }).collect_view().into_any()
                    }}
                </section>
            </aside>
        </div>
    }
}

/// Start a timer on one of the worker's jobs, with that job's contract budget shown first.
#[component]
fn StartCard(jobs: Vec<LoggableJob>) -> impl IntoView {
    let timer = use_timer_state();
    let job_id = RwSignal::new(jobs.first().map(|j| j.id.to_string()).unwrap_or_default());
    let names = jobs.clone();
    let job_name =
        move |id: Uuid| names.iter().find(|j| j.id == id).map(|j| (j.title.clone(), j.customer_name.clone()));
    let label_name = job_name.clone();
    let start = offline_action(
        move |call: &StartTimer| format!("Started the timer on “{}”", label_name(call.job_id).unwrap_or_default().0),
        |call| StartTimer { at: Some(crate::offline::now()), ..call },
    );
    let failure = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match start.value().get() {
        Some((_, Ok(Sent::Done(t)))) => {
            failure.set(None);
            if let Some(state) = timer {
                state.set(Some(t));
            }
        }
        Some((call, Ok(Sent::Queued))) => {
            failure.set(None);
            let (title, customer) = job_name(call.job_id).unwrap_or_default();
            if let Some(state) = timer {
                state.started_offline(call.job_id, title, customer);
            }
        }
        Some((_, Err(error))) => failure.set(Some(error)),
        None => {}
    });
    let jobs_for_budget = jobs.clone();
    let budget = Signal::derive(move || {
        let id = job_id.get();
        jobs_for_budget.iter().find(|j| j.id.to_string() == id).and_then(|j| j.contract.clone())
    });
    let has_jobs = !jobs.is_empty();
    view! {
        <section class="card start-card" aria-labelledby="timer-title">
            <h2 id="timer-title" class="card-title"><Icon name="clock" />" Timer"</h2>
            // Reads the shell's timer directly: this view may outlive its own signals by a tick.
            {move || match timer.and_then(|t| t.timer.get()) {
                Some(t) => view! {
                    <p data-testid="timer-running">{format!("Running on {} since {}. Pause or stop it in the bar above.", t.job_title, t.started_label)}</p>
                }.into_any(),
                None if !has_jobs => view! {
                    <p class="muted">"No jobs assigned to you yet, so there is nothing to track time on."</p>
                }.into_any(),
                None => {
                    let jobs = jobs.clone();
                    view! {
                        <form method="post" action=StartTimer::PATH class="start-form" on:submit=move |ev| {
                            ev.prevent_default();
                            match job_id.get_untracked().parse::<Uuid>() {
                                Ok(id) => { start.dispatch(StartTimer { job_id: id, at: None }); }
                                Err(_) => failure.set(Some(AppError::field("job_id", "Choose a job."))),
                            }
                        }>
                            <div class="field">
                                <label for="timer-job">"Job"</label>
                                <select id="timer-job" name="timer_job" prop:value=move || job_id.get()
                                    on:change=move |ev| job_id.set(event_target_value(&ev))>
                                    {jobs.iter().map(|j| view! {
                                        <option value=j.id.to_string()>{format!("{} · {}", j.title, j.customer_name)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            {move || budget.get().map(|usage| view! { <BudgetMeter usage /> })}
                            <button type="submit" class="btn btn-primary btn-large" disabled=move || start.pending().get()>
                                <Icon name="play" /><span>"Start timer"</span>
                            </button>
                        </form>
                    }.into_any()
                }
            }}
            <Banner failure />
        </section>
    }
}

#[component]
fn ManualEntry(jobs: Vec<LoggableJob>, today: String, reload: RwSignal<u32>) -> impl IntoView {
    let blank = LogForm {
        job_id: jobs.first().map(|j| j.id.to_string()).unwrap_or_default(),
        date: today,
        billable: true,
        ..Default::default()
    };
    let fields = EntryFields::new(blank.clone());
    let create = offline_action(|call: &CreateLog| format!("Time entry of {}", call.form.date), std::convert::identity);
    let failure = RwSignal::new(None::<AppError>);
    let open = revealed_by_query("add");
    let saved_offline = RwSignal::new(None::<String>);
    Effect::new(move |_| match create.value().get() {
        Some((_, Ok(Sent::Done(_)))) => {
            failure.set(None);
            saved_offline.set(None);
            open.set(false);
            reload.update(|r| *r += 1);
        }
        Some((call, Ok(Sent::Queued))) => {
            failure.set(None);
            open.set(false);
            saved_offline.set(Some(format!(
                "The entry of {} is saved on this phone: it is sent when you are back online.",
                call.form.date
            )));
        }
        Some((_, Err(error))) => failure.set(Some(error)),
        None => {}
    });
    crate::offline::on_synced(move || {
        saved_offline.set(None);
        reload.update(|r| *r += 1);
    });
    view! {
        <section class="card" aria-labelledby="manual-title">
            <div class="card-head">
                <h2 id="manual-title" class="card-title">"Add time by hand"</h2>
                <RevealButton open key="add" show_label="Add entry" hide_label="Close" class="btn btn-small" />
            </div>
            {move || saved_offline.get().map(|note| view! { <p class="banner banner-info" role="status" data-testid="entry-offline">{note}</p> })}
            <Show when=move || open.get()>
                <form method="post" action=CreateLog::PATH class="form" data-testid="manual-entry" on:submit=move |ev| {
                    ev.prevent_default();
                    let form = fields.form();
                    match form.validate() {
                        Ok(_) => { create.dispatch(CreateLog { form }); }
                        Err(errors) => failure.set(Some(errors.into())),
                    }
                }>
                    <EntryFieldsView fields jobs=jobs.clone() failure />
                    <Banner failure />
                    <SubmitButton label="Save as draft" busy_label="Saving…" pending=create.pending() />
                </form>
            </Show>
        </section>
    }
}

#[component]
fn EntryGroup(
    title: &'static str,
    id: &'static str,
    logs: Vec<WorkLog>,
    reload: RwSignal<u32>,
    submit_all: Vec<Uuid>,
    empty: &'static str,
) -> impl IntoView {
    let submit = ServerAction::<SubmitLogs>::new();
    let delete = ServerAction::<DeleteLog>::new();
    let failure = RwSignal::new(None::<AppError>);
    on_action_ok(submit.value(), failure, move |submitted| {
        announce(if submitted == 1 {
            "1 entry submitted for approval.".to_string()
        } else {
            format!("{submitted} entries submitted for approval.")
        });
        reload.update(|r| *r += 1);
    });
    on_action_ok(delete.value(), failure, move |_| {
        announce("Entry deleted.");
        reload.update(|r| *r += 1);
    });
    let count = logs.len();
    let busy = move || submit.pending().get() || delete.pending().get();
    view! {
        <section class="log-group" aria-labelledby=id data-testid=format!("group-{id}")>
            <div class="card-head">
                <h2 id=id class="section-title">{title}<span class="count-badge">{count}</span></h2>
                {(submit_all.len() > 1).then(|| {
                    let ids = submit_all.clone();
                    view! {
                        <button class="btn btn-primary btn-small" disabled=busy
                            on:click=move |_| { submit.dispatch(SubmitLogs { ids: ids.clone() }); }>
                            {format!("Submit all {}", submit_all.len())}
                        </button>
                    }
                })}
            </div>
            <Banner failure />
            {if logs.is_empty() {
                view! { <p class="muted empty-inline">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="log-list">
                        {logs.into_iter().map(|log| {
                            let id = log.id;
                            let (can_submit, can_delete, can_edit) = (log.can_submit, log.can_delete, log.can_edit);
                            let resubmit = log.status == LogStatus::Declined;
                            view! {
                                <li class="log-item" data-testid="log-item">
                                    <LogSummary log />
                                    <div class="log-actions">
                                        {can_edit.then(|| view! { <a class="btn btn-small" href=format!("/app/time/{id}")>{if resubmit { "Correct" } else { "Edit" }}</a> })}
                                        {can_delete.then(|| view! {
                                            <button class="btn btn-small btn-ghost" disabled=busy
                                                on:click=move |_| { delete.dispatch(DeleteLog { id }); }>"Delete"</button>
                                        })}
                                        {can_submit.then(|| view! {
                                            <button class="btn btn-small btn-primary" disabled=busy
                                                on:click=move |_| { submit.dispatch(SubmitLogs { ids: vec![id] }); }>
                                                {if resubmit { "Submit again" } else { "Submit" }}
                                            </button>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
