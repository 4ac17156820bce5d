//! Create and edit a job. The form runs the same `JobForm::validate` as the
//! server; the server's answer (including a version conflict) is the one shown.

use super::api::{get_job, load_job_options, CreateJob, UpdateJob};
use super::{JobDetail, JobForm, JobFormOptions};
use crate::components::{
    field_error, hard_navigate, Banner, Field, NotFound, SelectField, SubmitButton, TextAreaField,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

#[component]
pub fn NewJobPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| load_job_options());
    view! {
        <Title text="New job" />
        <p class="breadcrumb"><A href="/app/jobs">"← Jobs"</A></p>
        <div class="page-head"><div><h1>"New job"</h1><p class="muted">"What needs doing, for whom, when and by whom."</p></div></div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => view! { <JobEditor options existing=None /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EditJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").and_then(|id| id.parse::<Uuid>().ok());
    // One server function per resource: each is serialized for hydration on its own.
    let job = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_job(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let options = Resource::new(|| (), |_| load_job_options());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (job.await, options.await) {
                    (Ok(job), Ok(options)) => view! {
                        <Title text=format!("Edit {}", job.title) />
                        <p class="breadcrumb"><A href=format!("/app/jobs/{}", job.id)>{format!("← {}", job.title)}</A></p>
                        <div class="page-head"><div><h1>"Edit job"</h1></div></div>
                        <JobEditor options existing=Some(job) />
                    }.into_any(),
                    (Err(AppError::NotFound), _) => view! { <NotFound /> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn choices(items: impl Iterator<Item = (Uuid, String)>, empty: Option<&str>) -> Vec<(String, String)> {
    empty
        .map(|label| (String::new(), label.to_string()))
        .into_iter()
        .chain(items.map(|(id, name)| (id.to_string(), name)))
        .collect()
}

#[component]
fn JobEditor(options: JobFormOptions, existing: Option<JobDetail>) -> impl IntoView {
    let id = existing.as_ref().map(|j| j.id);
    let version = existing.as_ref().map(|j| j.version);
    let first_status = options.statuses.first().map(|s| s.id.to_string()).unwrap_or_default();
    let text = |f: fn(&JobDetail) -> String| existing.as_ref().map(f).unwrap_or_default();
    let customer_id = RwSignal::new(text(|j| j.customer.id.to_string()));
    let title = RwSignal::new(text(|j| j.title.clone()));
    let description = RwSignal::new(text(|j| j.description.clone()));
    let scheduled_date = RwSignal::new(text(|j| j.scheduled_date.clone()));
    let scheduled_time = RwSignal::new(text(|j| j.scheduled_time.clone()));
    let worker_id = RwSignal::new(text(|j| j.worker_id.map(|w| w.to_string()).unwrap_or_default()));
    let status_id = RwSignal::new(existing.as_ref().map(|j| j.status.id.to_string()).unwrap_or(first_status));
    let tasks = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);

    // A customer or worker who was since deactivated stays selectable on the job that has them.
    let mut customer_choices =
        choices(options.customers.iter().map(|c| (c.id, c.name.clone())), Some("Choose a customer…"));
    let mut worker_choices = choices(options.workers.iter().map(|w| (w.id, w.name.clone())), Some("Not assigned yet"));
    if let Some(job) = &existing {
        if !customer_choices.iter().any(|(v, _)| *v == job.customer.id.to_string()) {
            customer_choices.push((job.customer.id.to_string(), format!("{} (deactivated)", job.customer.name)));
        }
        if let (Some(w), Some(name)) = (job.worker_id, job.worker_name.clone()) {
            if !worker_choices.iter().any(|(v, _)| *v == w.to_string()) {
                worker_choices.push((w.to_string(), format!("{name} (deactivated)")));
            }
        }
    }
    let status_choices = choices(options.statuses.iter().map(|s| (s.id, s.name.clone())), None);

    let create = ServerAction::<CreateJob>::new();
    let update = ServerAction::<UpdateJob>::new();
    let navigate = use_navigate();
    for value in [create.value(), update.value()] {
        let navigate = navigate.clone();
        Effect::new(move |_| match value.get() {
            Some(Ok(job)) => navigate(&format!("/app/jobs/{}", job.id), Default::default()),
            Some(Err(error)) => failure.set(Some(error)),
            None => {}
        });
    }
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = JobForm {
            customer_id: customer_id.get(),
            title: title.get(),
            description: description.get(),
            scheduled_date: scheduled_date.get(),
            scheduled_time: scheduled_time.get(),
            worker_id: worker_id.get(),
            status_id: status_id.get(),
            tasks: tasks.get().lines().map(str::to_string).collect(),
            version,
        };
        match (form.validate(), id) {
            (Err(errors), _) => failure.set(Some(errors.into())),
            (Ok(_), None) => {
                failure.set(None);
                create.dispatch(CreateJob { form });
            }
            (Ok(_), Some(id)) => {
                failure.set(None);
                update.dispatch(UpdateJob { id, form });
            }
        }
    };
    let conflict = move || matches!(failure.get(), Some(AppError::Conflict { .. } | AppError::Stale { .. }));
    // The form hydrates after the document's root; tests wait for this flag.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));

    view! {
        <form method="post" action=if id.is_some() { UpdateJob::PATH } else { CreateJob::PATH }
            class="card form form-grid job-form" on:submit=on_submit novalidate data-ready=move || ready.get().to_string()>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            {version.map(|version| view! { <input type="hidden" name="version" value=version.to_string() /> })}
            <Banner failure />
            <Show when=conflict>
                // A full page load, so the form starts again from the current version.
                <p class="form-actions">
                    <button type="button" class="btn" on:click=move |_| {
                        if let Some(id) = id {
                            hard_navigate(&format!("/app/jobs/{id}/edit"));
                        }
                    }>"Reload the latest version"</button>
                </p>
            </Show>
            <SelectField label="Customer" name="customer_id" value=customer_id options=customer_choices error=field_error(failure, "customer_id") />
            <Field label="Title" name="title" value=title error=field_error(failure, "title") maxlength=200 autocomplete="off" placeholder="e.g. Replace the boiler valve" />
            <TextAreaField label="Description" name="description" value=description error=field_error(failure, "description")
                hint="What the worker needs to know: access, materials, the customer's wishes." rows=5 />
            <div class="field-pair">
                <Field label="Date" name="scheduled_date" kind="date" value=scheduled_date error=field_error(failure, "scheduled_date") hint="Optional." />
                <Field label="Start time" name="scheduled_time" kind="time" value=scheduled_time error=field_error(failure, "scheduled_time") hint="Optional; 08:00 if empty." />
            </div>
            <SelectField label="Field worker" name="worker_id" value=worker_id options=worker_choices error=field_error(failure, "worker_id") />
            <SelectField label="Status" name="status_id" value=status_id options=status_choices error=field_error(failure, "status_id") />
            {id.is_none().then(|| view! {
                <TextAreaField label="Tasks" name="tasks" value=tasks error=field_error(failure, "tasks")
                    hint="One task per line. You can add, reorder and tick tasks later." rows=4 placeholder="Turn off the water\nReplace the valve" />
            })}
            <div class="form-actions">
                <SubmitButton label=if id.is_some() { "Save changes" } else { "Create job" } busy_label="Saving…" pending />
                <A href=id.map(|id| format!("/app/jobs/{id}")).unwrap_or_else(|| "/app/jobs".into()) attr:class="btn btn-ghost">"Cancel"</A>
            </div>
        </form>
    }
}
