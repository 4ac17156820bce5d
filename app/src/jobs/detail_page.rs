//! One job. Admins manage everything; the assigned worker changes the status,
//! ticks tasks and adds notes; customers read. The server enforces all of it;
//! the page only leaves out controls a role cannot use.

use super::api::load_job_choices;
use super::api::{
    get_job, job_history, share_links, AddJobNote, AddJobTask, AssignJobWorker, ChangeJobStatus, CreateShareLink,
    DeleteJobTask, EditJobTask, ReorderJobTasks, RevokeShareLink, SetJobArchived, SetTaskCompleted,
};
use super::widgets::{StatusBadge, TaskProgress};
use super::{JobChoices, JobDetail, JobNote, JobTask, NoteForm, NoteVisibility, ShareLink, StatusChip, WorkerOption};
use crate::auth::Role;
use crate::components::{field_error, use_confirm, use_user, Banner, Confirmation, Icon, NotFound, SubmitButton};
use crate::error::AppError;
use crate::offline::{offline_action, Outcome, Sent};
use crate::time::api::StartTimer;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn JobDetailPage() -> impl IntoView {
    let params = use_params_map();
    let job = Resource::new(
        move || params.get().get("id").and_then(|id| id.parse::<Uuid>().ok()),
        |id| async move {
            match id {
                Some(id) => get_job(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Loaded beside the job, not in a nested suspense: the pickers' data hydrates with the page.
    let role = use_user().role;
    let choices = Resource::new(
        move || role != Role::Customer,
        |pick| async move {
            if pick {
                load_job_choices().await
            } else {
                Ok(JobChoices::default())
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (job.await, choices.await) {
                    (Ok(job), Ok(choices)) => view! { <JobView job choices /> }.into_any(),
                    (Err(AppError::NotFound), _) => view! { <NotFound /> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The job on screen; every action's answer replaces it, so the page shows what the server has.
#[derive(Clone, Copy)]
struct JobState {
    job: RwSignal<JobDetail>,
    /// Bumped after each saved change (the history reloads on it).
    changes: RwSignal<u32>,
    failure: RwSignal<Option<AppError>>,
    /// Changes made on this page without a connection, shown already, not yet on the server.
    waiting: RwSignal<u32>,
    /// What the last change did, in words, for the page's status region.
    said: RwSignal<String>,
}

impl JobState {
    /// Like [`JobState::watch`], for a change that may be queued offline: then
    /// `apply` shows it on the page at once.
    fn watch_offline<S>(self, action: Action<S, Outcome<S>>, apply: impl Fn(&mut JobDetail, &S) + 'static)
    where
        S: leptos::server_fn::ServerFn<Output = JobDetail> + Clone + Send + Sync + 'static,
    {
        Effect::new(move |_| match action.value().get() {
            Some((_, Ok(Sent::Done(job)))) => {
                self.failure.set(None);
                self.job.set(job);
                self.changes.update(|c| *c += 1);
            }
            Some((call, Ok(Sent::Queued))) => {
                self.failure.set(None);
                self.job.update(|job| apply(job, &call));
                self.waiting.update(|w| *w += 1);
            }
            Some((_, Err(error))) => self.failure.set(Some(error)),
            None => {}
        });
    }

    /// After queued changes reached the server, shows the job as the server has it.
    fn reload_when_synced(self) {
        let id = self.job.get_untracked().id;
        crate::offline::on_synced(move || {
            leptos::task::spawn_local(async move {
                if let Ok(job) = get_job(id).await {
                    self.job.set(job);
                    self.waiting.set(0);
                    self.changes.update(|c| *c += 1);
                }
            });
        });
    }

    fn watch(self, value: MappedSignal<Option<Result<JobDetail, AppError>>>) {
        Effect::new(move |_| match value.get() {
            Some(Ok(job)) => {
                self.failure.set(None);
                self.job.set(job);
                self.changes.update(|c| *c += 1);
            }
            Some(Err(error)) => self.failure.set(Some(error)),
            None => {}
        });
    }
}

#[component]
fn JobView(job: JobDetail, choices: JobChoices) -> impl IntoView {
    let JobChoices { statuses, workers } = choices;
    let role = use_user().role;
    let state = JobState {
        job: RwSignal::new(job),
        changes: RwSignal::new(0),
        failure: RwSignal::new(None),
        waiting: RwSignal::new(0),
        said: RwSignal::new(String::new()),
    };
    state.reload_when_synced();
    let job = state.job;
    let id = job.get_untracked().id;
    let archive = ServerAction::<SetJobArchived>::new();
    state.watch(archive.value());
    let (back_href, back_label) = match role {
        Role::Admin => ("/app/jobs", "← Jobs"),
        Role::Worker => ("/app/my-jobs", "← My jobs"),
        Role::Customer => ("/app/portal", "← Your jobs"),
    };

    // The page's parts hydrate after the document's root; tests wait for this flag.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    // Type-erased halves keep the page's view type small enough to compile quickly.
    let main = view! {
            <div class="job-main">
                <section class="card" aria-labelledby="description-title">
                    <h2 id="description-title" class="card-title">"Description"</h2>
                    {move || {
                        let text = job.with(|j| j.description.clone());
                        if text.is_empty() {
                            view! { <p class="muted">"No description."</p> }.into_any()
                        } else {
                            view! { <p class="description">{text}</p> }.into_any()
                        }
                    }}
                </section>
                // The worker's main moves come first on a phone: the timer and where the job stands.
                {(role == Role::Worker).then(|| view! { <JobTimer state /> })}
                {(role == Role::Worker).then(|| view! { <StatusPicker state statuses=statuses.clone() /> })}
                <Tasks state role />
                <Notes state role />
            </div>
    }
    .into_any();
    let aside = view! {
            <aside class="job-aside">
                {(role == Role::Admin).then(|| view! { <StatusPicker state statuses=statuses.clone() /> })}
                <JobFacts state role workers />
                // Rendered in the browser only, once the page has hydrated: suspense nested
                // inside this page's own suspense hydrated unreliably (a race in the framework).
                {(role == Role::Admin).then_some(move || ready.get().then(|| view! {
                    <ShareLinks job_id=id />
                    <History job_id=id changes=state.changes />
                }))}
            </aside>
    }
    .into_any();
    view! {
        // A plain string: the head is rendered after this view's signals are gone.
        <Title text=job.with_untracked(|j| j.title.clone()) />
        <p class="breadcrumb"><A href=back_href>{back_label}</A></p>
        <div class="page-head job-head">
            <div>
                <h1 data-testid="job-title">{move || job.with(|j| j.title.clone())}</h1>
                <p class="job-head-meta">
                    {move || view! { <StatusBadge status=job.with(|j| j.status.clone()) /> }}
                    {move || job.with(|j| j.is_archived).then(|| view! { <span class="role-badge muted-badge">"Archived"</span> })}
                    <span class="muted">{move || job.with(|j| j.customer.name.clone())}</span>
                </p>
            </div>
            {(role == Role::Admin).then(|| view! {
                <div class="form-actions">
                    <A href=format!("/app/jobs/{id}/edit") attr:class="btn">"Edit"</A>
                    <button class="btn btn-ghost" on:click=move |_| {
                        archive.dispatch(SetJobArchived { id, archived: !job.with_untracked(|j| j.is_archived) });
                    }>{move || if job.with(|j| j.is_archived) { "Restore" } else { "Archive" }}</button>
                </div>
            })}
        </div>
        <Banner failure=state.failure />
        <p class="sr-only" role="status" aria-live="polite" data-testid="job-said">{move || state.said.get()}</p>
        {move || {
            let waiting = state.waiting.get();
            (waiting > 0).then(|| view! {
                <p class="banner banner-info" role="status" data-testid="job-waiting">
                    {if waiting == 1 {
                        "Saved on this phone: 1 change will be sent when you are back online.".to_string()
                    } else {
                        format!("Saved on this phone: {waiting} changes will be sent when you are back online.")
                    }}
                </p>
            })
        }}
        <div class="job-layout" data-ready=move || ready.get().to_string()>{main}{aside}</div>
    }
    .into_any()
}

/// The worker's timer on this job: start it here (also offline), or see that it runs.
#[component]
fn JobTimer(state: JobState) -> impl IntoView {
    let Some(timer) = crate::time::use_timer_state() else { return ().into_any() };
    let job = state.job;
    let id = job.get_untracked().id;
    let start = offline_action(
        move |_: &StartTimer| format!("Started the timer on “{}”", job.with_untracked(|j| j.title.clone())),
        |call| StartTimer { at: Some(crate::offline::now()), ..call },
    );
    Effect::new(move |_| match start.value().get() {
        Some((_, Ok(Sent::Done(running)))) => {
            state.failure.set(None);
            timer.set(Some(running));
        }
        Some((_, Ok(Sent::Queued))) => {
            state.failure.set(None);
            let (title, customer) = job.with_untracked(|j| (j.title.clone(), j.customer.name.clone()));
            timer.started_offline(id, title, customer);
        }
        Some((_, Err(error))) => state.failure.set(Some(error)),
        None => {}
    });
    view! {
        <section class="card job-timer" aria-labelledby="job-timer-title">
            <h2 id="job-timer-title" class="card-title">"Timer"</h2>
            {move || match timer.timer.get() {
                Some(running) if running.job_id == id => view! {
                    <p data-testid="job-timer-running">"Your timer runs on this job. Pause or stop it in the bar above."</p>
                }.into_any(),
                Some(running) => view! {
                    <p class="muted">{format!("Your timer runs on “{}”. Stop it there before you start one here.", running.job_title)}</p>
                }.into_any(),
                // A form, so it also works without JavaScript (`http/form_actions.rs`).
                None => view! {
                    <form method="post" action=StartTimer::PATH on:submit=move |ev| {
                        ev.prevent_default();
                        start.dispatch(StartTimer { job_id: id, at: None });
                    }>
                        <input type="hidden" name="timer_job" value=id.to_string() />
                        <button type="submit" class="btn btn-primary btn-large" disabled=move || start.pending().get()>
                            <Icon name="play" /><span>"Start timer on this job"</span>
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// Status buttons (admins and the assigned worker): one tap moves the job.
#[component]
fn StatusPicker(state: JobState, statuses: Vec<StatusChip>) -> impl IntoView {
    let names = statuses.clone();
    let label_names = statuses.clone();
    let change = offline_action(
        move |call: &ChangeJobStatus| {
            let name = label_names.iter().find(|s| s.id == call.status_id).map(|s| s.name.clone()).unwrap_or_default();
            format!("Status “{name}”")
        },
        std::convert::identity,
    );
    state.watch_offline(change, move |job, call| {
        if let Some(status) = names.iter().find(|s| s.id == call.status_id) {
            job.status = status.clone();
        }
    });
    let id = state.job.get_untracked().id;
    // One tap moves the job; the move can be undone for a few seconds (the status it
    // came from, and the name of the one it went to).
    let last_move = RwSignal::new(None::<(Uuid, String)>);
    let moves = StoredValue::new(0u32);
    let move_to = move |status_id: Uuid, name: String| {
        let previous = state.job.with_untracked(|j| j.status.id);
        if previous == status_id {
            return;
        }
        change.dispatch(ChangeJobStatus { id, status_id });
        last_move.set(Some((previous, name)));
        moves.update_value(|m| *m += 1);
        let this_move = moves.get_value();
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if moves.get_value() == this_move {
                    last_move.set(None);
                }
            },
            std::time::Duration::from_secs(10),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = this_move;
    };
    let undo = move |_| {
        if let Some((previous, _)) = last_move.get_untracked() {
            last_move.set(None);
            change.dispatch(ChangeJobStatus { id, status_id: previous });
        }
    };
    view! {
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title" class="card-title">"Status"</h2>
            <div class="status-picker" role="group" aria-label="Move the job to">
                {statuses.into_iter().map(|status| {
                    let status_id = status.id;
                    let current = move || state.job.with(|j| j.status.id == status_id);
                    let name = status.name.clone();
                    // Each choice a one-button form, so it also works without JavaScript.
                    view! {
                        <form method="post" action=ChangeJobStatus::PATH class="status-choice-form" on:submit=move |ev| {
                            ev.prevent_default();
                            move_to(status_id, name.clone());
                        }>
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="status_id" value=status_id.to_string() />
                            <button type="submit" class="status-choice" class:current=current
                                aria-pressed=move || current().to_string()
                                disabled=move || change.pending().get()>
                                <svg class="status-dot" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=status.colour.clone() /></svg>
                                {status.name.clone()}
                            </button>
                        </form>
                    }
                }).collect_view()}
            </div>
            <p class="undo-line" role="status" data-testid="status-undo">
                {move || last_move.get().map(|(_, name)| view! {
                    <span>{format!("Moved to {name}.")}</span>
                    <button type="button" class="btn btn-small btn-ghost" on:click=undo>"Undo"</button>
                })}
            </p>
        </section>
    }
}

/// Customer, worker and schedule. Admins can (re)assign the worker here.
#[component]
fn JobFacts(state: JobState, role: Role, workers: Vec<WorkerOption>) -> impl IntoView {
    let job = state.job;
    let id = job.get_untracked().id;
    let assign = ServerAction::<AssignJobWorker>::new();
    state.watch(assign.value());
    Effect::new(move |_| {
        if let Some(Ok(job)) = assign.value().get() {
            state.said.set(match &job.worker_name {
                Some(name) => format!("Assigned to {name}."),
                None => "Nobody is assigned now.".to_string(),
            });
        }
    });
    let schedule = move || {
        job.with(|j| {
            if j.scheduled_date.is_empty() {
                "Not scheduled yet".to_string()
            } else {
                format!("{} at {}", j.scheduled_date, j.scheduled_time)
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title" class="card-title">"Details"</h2>
            <dl class="detail-list compact-list">
                <div><dt>"Customer"</dt><dd>
                    {move || job.with(|j| {
                        let c = j.customer.clone();
                        view! {
                            <span class="fact-strong">{c.name}</span>
                            {(role != Role::Customer).then(|| view! {
                                {c.address.map(|a| view! { <span class="fact-line">{a}</span> })}
                                {c.phone.map(|p| view! { <a class="fact-line" href=format!("tel:{p}")>{p.clone()}</a> })}
                                {c.email.map(|e| view! { <a class="fact-line" href=format!("mailto:{e}")>{e.clone()}</a> })}
                            })}
                        }
                    })}
                </dd></div>
                <div><dt>"Field worker"</dt><dd data-testid="job-worker">
                    {move || job.with(|j| j.worker_name.clone()).unwrap_or_else(|| "Not assigned yet".into())}
                </dd></div>
                <div><dt>"Scheduled"</dt><dd>{schedule}</dd></div>
            </dl>
            {(role == Role::Admin).then(|| {
                let current = job.with_untracked(|j| j.worker_id);
                // The menu only chooses (arrow keys included); the button asks, then assigns.
                let chosen = RwSignal::new(current.map(|w| w.to_string()).unwrap_or_default());
                let assigned = move || job.with(|j| j.worker_id.map(|w| w.to_string()).unwrap_or_default());
                let confirm = use_confirm();
                let names = workers.clone();
                let ask = move |_| {
                    let worker_id = chosen.get_untracked().parse::<Uuid>().ok();
                    let name = worker_id.and_then(|w| names.iter().find(|o| o.id == w).map(|o| o.name.clone()));
                    let title = job.with_untracked(|j| j.title.clone());
                    let (question, body, label) = match name {
                        Some(name) => (
                            format!("Assign “{title}” to {name}?"),
                            format!("{name} gets an email about it and sees the job on their phone."),
                            format!("Assign to {name}"),
                        ),
                        None => (
                            format!("Take “{title}” off its field worker?"),
                            "Nobody will be assigned to the job until you choose someone.".to_string(),
                            "Unassign".to_string(),
                        ),
                    };
                    confirm.ask(
                        Confirmation::new(question, body, label, move || { assign.dispatch(AssignJobWorker { id, worker_id }); })
                            .on_cancel(move || chosen.set(assigned_untracked(job))),
                    );
                };
                view! {
                    <div class="assign-row">
                        <label class="field inline-field">
                            <span>"Assign to"</span>
                            <select name="assign_worker" class="compact" prop:value=move || chosen.get()
                                on:change=move |ev| chosen.set(event_target_value(&ev))>
                                <option value="" selected=current.is_none()>"Nobody yet"</option>
                                {workers.into_iter().map(|w| view! {
                                    <option value=w.id.to_string() selected=current == Some(w.id)>{w.name}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        {move || (chosen.get() != assigned()).then(|| view! {
                            <button type="button" class="btn btn-small btn-primary" disabled=move || assign.pending().get() on:click=ask.clone()>
                                {move || if assign.pending().get() { "Assigning…" } else { "Assign…" }}
                            </button>
                        })}
                    </div>
                }
            })}
        </section>
    }
}

/// The worker the job is assigned to now, as the assignment menu's value.
fn assigned_untracked(job: RwSignal<JobDetail>) -> String {
    job.with_untracked(|j| j.worker_id.map(|w| w.to_string()).unwrap_or_default())
}

#[component]
fn Tasks(state: JobState, role: Role) -> impl IntoView {
    let job = state.job;
    let id = job.get_untracked().id;
    let tick = offline_action(
        move |call: &SetTaskCompleted| {
            let title = job
                .with_untracked(|j| j.tasks.iter().find(|t| t.id == call.task_id).map(|t| t.title.clone()))
                .unwrap_or_default();
            if call.completed {
                format!("Ticked “{title}”")
            } else {
                format!("Unticked “{title}”")
            }
        },
        std::convert::identity,
    );
    state.watch_offline(tick, |job, call| {
        if let Some(task) = job.tasks.iter_mut().find(|t| t.id == call.task_id) {
            task.is_completed = call.completed;
            task.completed_by_name = None;
        }
    });
    let add = ServerAction::<AddJobTask>::new();
    let edit = ServerAction::<EditJobTask>::new();
    let delete = ServerAction::<DeleteJobTask>::new();
    let reorder = ServerAction::<ReorderJobTasks>::new();
    for value in [add.value(), edit.value(), delete.value(), reorder.value()] {
        state.watch(value);
    }
    let new_task = RwSignal::new(String::new());
    // Clear the input once the server accepted the task.
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            new_task.set(String::new());
        }
    });
    let can_tick = role != Role::Customer;
    let admin = role == Role::Admin;
    let confirm = use_confirm();
    let ask_delete = move |task_id: Uuid| {
        let title = job
            .with_untracked(|j| j.tasks.iter().find(|t| t.id == task_id).map(|t| t.title.clone()))
            .unwrap_or_default();
        confirm.ask(Confirmation::new(
            format!("Delete the task “{title}”?"),
            "It disappears from this job for everyone, with whether it was done. This cannot be undone.",
            "Delete task",
            move || {
                delete.dispatch(DeleteJobTask { job_id: id, task_id });
            },
        ));
    };
    // The task list is drawn anew when the job changes; a ticked box keeps the focus.
    let focus_after_change = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        job.track();
        if let Some(element_id) = focus_after_change.get_untracked() {
            crate::components::focus_if_lost(&element_id);
        }
    });
    let move_task = move |index: usize, up: bool| {
        let mut ids: Vec<Uuid> = job.with_untracked(|j| j.tasks.iter().map(|t| t.id).collect());
        let other = if up { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < ids.len()) };
        if let Some(other) = other {
            ids.swap(index, other);
            reorder.dispatch(ReorderJobTasks { job_id: id, task_ids: ids });
        }
    };
    view! {
        <section class="card" aria-labelledby="tasks-title">
            <div class="card-head">
                <h2 id="tasks-title" class="card-title">"Tasks"</h2>
                {move || view! { <TaskProgress tasks=job.with(|j| j.tasks.clone()) /> }}
            </div>
            {move || {
                let tasks = job.with(|j| j.tasks.clone());
                let count = tasks.len();
                if tasks.is_empty() {
                    return view! { <p class="muted">"No tasks on this job."</p> }.into_any();
                }
                view! {
                    <ul class="task-list" data-testid="task-list">
                        {tasks.into_iter().enumerate().map(|(index, task)| view! {
                            <TaskRow task job_id=id can_tick admin
                                first={index == 0} last={index + 1 == count}
                                on_tick=Callback::new(move |(task_id, completed)| {
                                    focus_after_change.set(Some(format!("task-{task_id}")));
                                    tick.dispatch(SetTaskCompleted { job_id: id, task_id, completed });
                                })
                                on_rename=Callback::new(move |(task_id, title)| { edit.dispatch(EditJobTask { job_id: id, task_id, title }); })
                                on_delete=Callback::new(ask_delete)
                                on_move=Callback::new(move |up| move_task(index, up)) />
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {admin.then(|| view! {
                <form method="post" action=AddJobTask::PATH class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(AddJobTask { job_id: id, title: new_task.get_untracked() });
                }>
                    <input type="hidden" name="job_id" value=id.to_string() />
                    <label class="sr-only" for="new-task">"New task"</label>
                    <input id="new-task" name="new_task" placeholder="Add a task" maxlength="200" autocomplete="off"
                        prop:value=move || new_task.get() on:input=move |ev| new_task.set(event_target_value(&ev)) />
                    <button class="btn" type="submit" disabled=move || add.pending().get()>"Add task"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn TaskRow(
    task: JobTask,
    job_id: Uuid,
    can_tick: bool,
    admin: bool,
    first: bool,
    last: bool,
    on_tick: Callback<(Uuid, bool)>,
    on_rename: Callback<(Uuid, String)>,
    on_delete: Callback<Uuid>,
    on_move: Callback<bool>,
) -> impl IntoView {
    let _ = job_id;
    let task_id = task.id;
    let completed = task.is_completed;
    let editing = RwSignal::new(false);
    let title = RwSignal::new(task.title.clone());
    let who = task.completed_by_name.clone().map(|n| format!("Done by {n}"));
    let checkbox_id = format!("task-{task_id}");
    view! {
        <li class="task-row" class:done=completed>
            <Show when=move || editing.get() fallback={
                let (checkbox_id, label, who) = (checkbox_id.clone(), task.title.clone(), who.clone());
                move || view! {
                    <label class="task-check" for=checkbox_id.clone()>
                        <input type="checkbox" id=checkbox_id.clone() checked=completed disabled=!can_tick
                            on:change=move |ev| on_tick.run((task_id, event_target_checked(&ev))) />
                        <span class="task-title">{label.clone()}</span>
                        {who.clone().map(|w| view! { <span class="task-who muted">{w}</span> })}
                    </label>
                }
            }>
                <form method="post" class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    editing.set(false);
                    on_rename.run((task_id, title.get_untracked()));
                }>
                    <input aria-label="Task" maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    <button class="btn btn-small" type="submit">"Save"</button>
                </form>
            </Show>
            {admin.then(|| view! {
                <span class="task-tools">
                    <button type="button" class="btn btn-ghost icon-btn" aria-label="Move up" disabled=first on:click=move |_| on_move.run(true)>"↑"</button>
                    <button type="button" class="btn btn-ghost icon-btn" aria-label="Move down" disabled=last on:click=move |_| on_move.run(false)>"↓"</button>
                    <button type="button" class="btn btn-ghost icon-btn" aria-label="Rename task" on:click=move |_| editing.update(|e| *e = !*e)>"✎"</button>
                    <button type="button" class="btn btn-ghost icon-btn danger" aria-label="Delete task" on:click=move |_| on_delete.run(task_id)>"×"</button>
                </span>
            })}
        </li>
    }
}

#[component]
fn Notes(state: JobState, role: Role) -> impl IntoView {
    let job = state.job;
    let id = job.get_untracked().id;
    let add = offline_action(|_: &AddJobNote| "Note".to_string(), std::convert::identity);
    state.watch_offline(add, |job, call| {
        let visibility = NoteVisibility::parse(&call.form.visibility).unwrap_or(NoteVisibility::Internal);
        job.notes.push(JobNote {
            id: Uuid::nil(),
            author_name: "You".to_string(),
            body: call.form.body.trim().to_string(),
            visibility,
            created_at: crate::offline::now(),
            created_label: "waiting to sync".to_string(),
        });
    });
    let body = RwSignal::new(String::new());
    let visibility = RwSignal::new(NoteVisibility::Internal.as_str().to_string());
    let failure = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match add.value().get() {
        Some((_, Ok(_))) => {
            body.set(String::new());
            failure.set(None);
        }
        Some((_, Err(error))) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = NoteForm { body: body.get_untracked(), visibility: visibility.get_untracked() };
        match form.validate() {
            Err(errors) => failure.set(Some(errors.into())),
            Ok(_) => {
                add.dispatch(AddJobNote { job_id: id, form });
            }
        }
    };
    let body_error = field_error(failure, "body");
    view! {
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title" class="card-title">"Notes"</h2>
            {move || {
                let notes = job.with(|j| j.notes.clone());
                if notes.is_empty() {
                    view! { <p class="muted">"No notes yet."</p> }.into_any()
                } else {
                    view! { <ul class="note-list" data-testid="note-list">{notes.into_iter().map(|note| view! { <NoteItem note role /> }).collect_view()}</ul> }.into_any()
                }
            }}
            {(role != Role::Customer).then(|| view! {
                <form method="post" action=AddJobNote::PATH class="note-form" on:submit=on_submit novalidate>
                    <input type="hidden" name="job_id" value=id.to_string() />
                    <input type="hidden" name="visibility" value=move || visibility.get() />
                    <label for="note-body">"Add a note"</label>
                    <textarea id="note-body" name="note_body" rows="3" maxlength="5000" placeholder="What happened, what is missing, what the customer should know"
                        prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                        aria-invalid=move || body_error.get().is_some().to_string()>{crate::components::textarea_text(&body.get_untracked())}</textarea>
                    {move || body_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                    <div class="note-form-foot">
                        <div class="segmented" role="radiogroup" aria-label="Who can read it">
                            {[(NoteVisibility::Internal, "Team only"), (NoteVisibility::Customer, "Also the customer")].into_iter().map(|(v, label)| view! {
                                <button type="button" role="radio" class:active=move || visibility.get() == v.as_str()
                                    aria-checked=move || (visibility.get() == v.as_str()).to_string()
                                    on:click=move |_| visibility.set(v.as_str().to_string())>{label}</button>
                            }).collect_view()}
                        </div>
                        <SubmitButton label="Add note" busy_label="Adding…" pending=add.pending() />
                    </div>
                </form>
            })}
        </section>
    }
}

#[component]
fn NoteItem(note: JobNote, role: Role) -> impl IntoView {
    let when = note.created_label.clone();
    view! {
        <li class="note">
            <p class="note-head">
                <span class="fact-strong">{note.author_name}</span>
                <span class="muted">{when}</span>
                {(role != Role::Customer).then(|| match note.visibility {
                    NoteVisibility::Internal => view! { <span class="role-badge muted-badge">"Team only"</span> }.into_any(),
                    NoteVisibility::Customer => view! { <span class="role-badge">"Customer can see"</span> }.into_any(),
                })}
            </p>
            <p class="note-body">{note.body}</p>
        </li>
    }
}

#[component]
fn ShareLinks(job_id: Uuid) -> impl IntoView {
    let create = ServerAction::<CreateShareLink>::new();
    let revoke = ServerAction::<RevokeShareLink>::new();
    let version = RwSignal::new(0u32);
    let links = Resource::new(move || version.get(), move |_| share_links(job_id));
    let days = RwSignal::new(super::SHARE_DAYS_DEFAULT.to_string());
    let failure = RwSignal::new(None::<AppError>);
    let new_url = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(link)) => {
            failure.set(None);
            copied.set(false);
            new_url.set(Some(link.url));
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            version.update(|v| *v += 1);
        }
    });
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(url) = new_url.get_untracked() {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&url);
            copied.set(true);
        }
    };
    view! {
        <section class="card" aria-labelledby="share-title">
            <h2 id="share-title" class="card-title">"Share link"</h2>
            <p class="muted small">"A read-only page for people without a login: no internal notes, no contact details of your team."</p>
            <form method="post" action=CreateShareLink::PATH class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateShareLink { job_id, days: days.get_untracked() });
            }>
                <input type="hidden" name="job_id" value=job_id.to_string() />
                <label class="inline-label" for="share-days">"Valid for (days)"</label>
                <input id="share-days" name="share_days" class="days-input" inputmode="numeric" value=days.get_untracked() prop:value=move || days.get()
                    on:input=move |ev| days.set(event_target_value(&ev)) />
                <button class="btn" type="submit" disabled=move || create.pending().get()>"Create link"</button>
            </form>
            {move || field_error(failure, "days").get().map(|m| view! { <p class="field-error">{m}</p> })}
            {move || new_url.get().map(|url| view! {
                <div class="share-new" data-testid="share-url-box">
                    <input readonly aria-label="Share link" data-testid="share-url" prop:value=url.clone() on:focus=move |ev| {
                        #[cfg(feature = "hydrate")]
                        {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        let _ = ev;
                    } />
                    <button type="button" class="btn btn-primary btn-small" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
                    <p class="hint">"Copy it now: for safety, Fieldbook keeps only a fingerprint of the link."</p>
                </div>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list: Vec<ShareLink> = links.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <ul class="share-list" data-testid="share-list">
                            {list.into_iter().map(|link| {
                                let link_id = link.id;
                                let state = if link.revoked_at.is_some() { "Revoked" } else if link.active { "Active" } else { "Expired" };
                                view! {
                                    <li class="share-row">
                                        <span>
                                            <span class="role-badge" class:muted-badge=!link.active>{state}</span>
                                            <span class="muted small">{format!(" until {}", link.expires_label)}</span>
                                        </span>
                                        {link.active.then(|| view! {
                                            <button type="button" class="btn btn-small btn-danger-ghost"
                                                on:click=move |_| { revoke.dispatch(RevokeShareLink { job_id, link_id }); }>"Revoke"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn History(job_id: Uuid, changes: RwSignal<u32>) -> impl IntoView {
    let entries = Resource::new(move || changes.get(), move |_| job_history(job_id));
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title" class="card-title">"History"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = entries.await.unwrap_or_default();
                    view! {
                        <ol class="history" data-testid="history" aria-labelledby="history-title" tabindex="0">
                            {list.into_iter().map(|entry| view! {
                                <li>
                                    <span>{entry.summary}</span>
                                    <span class="muted small">{format!("{} · {}", entry.actor_name.unwrap_or_else(|| "System".into()), entry.at_label)}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }
                })}
            </Transition>
        </section>
    }
}
