use super::api::{list_statuses, CreateStatus, DeleteStatus, ReorderStatuses, UpdateStatus};
use super::{JobStatus, StatusForm, StatusKind};
use crate::components::{announce, field_error, Banner, Field, SelectField, SubmitButton};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use uuid::Uuid;

fn kind_options() -> Vec<(String, String)> {
    StatusKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect()
}

#[component]
pub fn StatusesPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let statuses = Resource::new(move || version.get(), |_| list_statuses());
    let reload = Callback::new(move |()| version.update(|v| *v += 1));
    let reorder = ServerAction::<ReorderStatuses>::new();
    Effect::new(move |_| match reorder.value().get() {
        Some(Ok(_)) => {
            announce("New order saved.");
            reload.run(());
        }
        Some(Err(error)) => {
            announce(format!("The order was not saved: {error}"));
            reload.run(());
        }
        None => {}
    });
    // Swaps the status at `index` with its neighbour and saves the new order.
    let move_status = move |list: Vec<JobStatus>, index: usize, up: bool| {
        let mut ids: Vec<Uuid> = list.iter().map(|s| s.id).collect();
        let other = if up { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < ids.len()) };
        if let Some(other) = other {
            ids.swap(index, other);
            reorder.dispatch(ReorderStatuses { ids });
        }
    };

    view! {
        <Title text="Job statuses" />
        <div class="page-head">
            <div>
                <h1>"Job statuses"</h1>
                <p class="muted">"The steps a job goes through. The kind tells Fieldbook what counts as open, under way and done."</p>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match statuses.await {
                    Ok(list) => {
                        let count = list.len();
                        let all = list.clone();
                        view! {
                            <ul class="status-list" data-testid="status-list">
                                {list.into_iter().enumerate().map(|(index, status)| {
                                    let (up_list, down_list) = (all.clone(), all.clone());
                                    view! {
                                        <StatusRow status others=all.clone() on_changed=reload
                                            can_up={index > 0} can_down={index + 1 < count}
                                            on_up=Callback::new(move |()| move_status(up_list.clone(), index, true))
                                            on_down=Callback::new(move |()| move_status(down_list.clone(), index, false)) />
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
        <NewStatusForm on_created=reload />
    }
}

#[component]
fn StatusRow(
    status: JobStatus,
    others: Vec<JobStatus>,
    on_changed: Callback<()>,
    can_up: bool,
    can_down: bool,
    on_up: Callback<()>,
    on_down: Callback<()>,
) -> impl IntoView {
    let id = status.id;
    let name = RwSignal::new(status.name.clone());
    let colour = RwSignal::new(status.colour.clone());
    let kind = RwSignal::new(status.kind.as_str().to_string());
    let failure = RwSignal::new(None::<AppError>);
    let confirming_delete = RwSignal::new(false);
    let move_to = RwSignal::new(others.iter().find(|s| s.id != id).map(|s| s.id.to_string()).unwrap_or_default());
    let update = ServerAction::<UpdateStatus>::new();
    let delete = ServerAction::<DeleteStatus>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| match update.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            saved.set(true);
            announce(format!("Status “{}” saved.", name.get_untracked()));
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            announce(format!("Status “{}” deleted.", name.get_untracked()));
            on_changed.run(());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let form = StatusForm { name: name.get(), colour: colour.get(), kind: kind.get() };
        match form.validate() {
            Ok(_) => {
                update.dispatch(UpdateStatus { id, form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    let job_count = status.job_count;
    let targets: Vec<(String, String)> =
        others.iter().filter(|s| s.id != id).map(|s| (s.id.to_string(), s.name.clone())).collect();
    let confirm_delete = move |_| {
        if job_count == 0 {
            delete.dispatch(DeleteStatus { id, move_to: None });
        } else {
            confirming_delete.set(true);
        }
    };
    let do_move_and_delete = move |_| {
        let target = move_to.get().parse::<Uuid>().ok();
        delete.dispatch(DeleteStatus { id, move_to: target });
    };
    view! {
        <li class="status-row" data-status=status.name.clone()>
            <form method="post" action=UpdateStatus::PATH class="status-form" on:submit=save novalidate>
                <input type="hidden" name="id" value=id.to_string() />
                <label class="swatch" title="Colour">
                    <span class="sr-only">{format!("Colour of {}", status.name)}</span>
                    <input type="color" name="status_colour" value=colour.get_untracked() prop:value=move || colour.get()
                        on:input=move |ev| colour.set(event_target_value(&ev)) />
                </label>
                <div class="status-fields">
                    <label class="sr-only" for=format!("status-name-{id}")>{format!("Name of {}", status.name)}</label>
                    <input id=format!("status-name-{id}") name="status_name" class="status-name" type="text" maxlength=40
                        value=name.get_untracked() bind:value=name />
                    <label class="sr-only" for=format!("status-kind-{id}")>{format!("Kind of {}", status.name)}</label>
                    <select id=format!("status-kind-{id}") name="status_kind" class="compact" prop:value=move || kind.get()
                        on:change=move |ev| kind.set(event_target_value(&ev))>
                        {kind_options().into_iter().map(|(v, label)| {
                            let selected = v == status.kind.as_str();
                            view! { <option value=v selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                    <span class="muted status-count">{format!("{job_count} jobs")}</span>
                </div>
                <div class="status-actions">
                    <button type="button" class="btn btn-small icon-btn" disabled=!can_up aria-label="Move up" on:click=move |_| on_up.run(())>"↑"</button>
                    <button type="button" class="btn btn-small icon-btn" disabled=!can_down aria-label="Move down" on:click=move |_| on_down.run(())>"↓"</button>
                    <button type="submit" class="btn btn-small">{move || if saved.get() { "Saved" } else { "Save" }}</button>
                    <button type="button" class="btn btn-small btn-danger-ghost" on:click=confirm_delete>"Delete"</button>
                </div>
            </form>
            <Show when=move || confirming_delete.get()>
                <div class="status-move">
                    <SelectField label="Move its jobs to" name="move_to" value=move_to options=Signal::derive({
                        let targets = targets.clone();
                        move || targets.clone()
                    }) error=field_error(failure, "move_to") />
                    <div class="form-actions">
                        <button type="button" class="btn btn-small btn-danger-ghost" on:click=do_move_and_delete>
                            {format!("Move {job_count} jobs and delete")}
                        </button>
                        <button type="button" class="btn btn-small" on:click=move |_| confirming_delete.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            {move || failure.get().map(|e| {
                let message = match &e {
                    AppError::Validation { errors } => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
                    other => other.to_string(),
                };
                view! { <p class="field-error row-error" role="alert">{message}</p> }
            })}
        </li>
    }
}

#[component]
fn NewStatusForm(on_created: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let colour = RwSignal::new("#7c3aed".to_string());
    let kind = RwSignal::new(StatusKind::Open.as_str().to_string());
    let failure = RwSignal::new(None::<AppError>);
    let action = ServerAction::<CreateStatus>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            name.set(String::new());
            on_created.run(());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = StatusForm { name: name.get(), colour: colour.get(), kind: kind.get() };
        match form.validate() {
            Ok(_) => {
                action.dispatch(CreateStatus { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <section class="card panel-after" aria-labelledby="new-status-title">
            <h2 id="new-status-title">"Add a status"</h2>
            <form method="post" action=CreateStatus::PATH class="form form-grid" on:submit=on_submit novalidate>
                <Banner failure />
                <Field label="Status name" name="status_name" value=name error=field_error(failure, "name") maxlength=40 placeholder="Waiting for parts" />
                <SelectField label="Kind" name="status_kind" value=kind options=Signal::derive(kind_options) error=field_error(failure, "kind") />
                <div class="field">
                    <label for="field-status-colour">"Colour"</label>
                    <input id="field-status-colour" name="status_colour" class="colour-input" type="color"
                        value=colour.get_untracked() prop:value=move || colour.get()
                        on:input=move |ev| colour.set(event_target_value(&ev)) />
                    {move || field_error(failure, "colour").get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="form-actions"><SubmitButton label="Add status" busy_label="Adding…" pending=action.pending() /></div>
            </form>
        </section>
    }
}
