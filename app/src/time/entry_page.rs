//! One time entry: its details, its history (who changed what, before → after),
//! and for whoever may, the edit form, submit, approve/decline and delete.

use super::api::{load_log, DecideLogs, DeleteLog, SubmitLogs, UpdateLog};
use super::widgets::{EntryFields, EntryFieldsView, LogSummary};
use super::{LogDetail, LogStatus};
use crate::auth::Role;
use crate::components::{
    field_error, hard_navigate, on_action_ok, use_user, Banner, NotFound, SubmitButton, TextAreaField,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn EntryPage() -> impl IntoView {
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (params.get().get("id").and_then(|id| id.parse::<Uuid>().ok()), reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_log(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Time entry" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <EntryView detail reload /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EntryView(detail: LogDetail, reload: RwSignal<u32>) -> impl IntoView {
    let role = use_user().role;
    let LogDetail { log, history, jobs } = detail;
    let id = log.id;
    let back = match role {
        Role::Admin => ("/app/logs", "← Time logs"),
        Role::Worker => ("/app/time", "← Time"),
        Role::Customer => ("/app/approvals", "← Approvals"),
    };
    let failure = RwSignal::new(None::<AppError>);
    let update = ServerAction::<UpdateLog>::new();
    let submit = ServerAction::<SubmitLogs>::new();
    let delete = ServerAction::<DeleteLog>::new();
    let decide = ServerAction::<DecideLogs>::new();
    let reload_page = move || reload.update(|r| *r += 1);
    on_action_ok(update.value(), failure, move |_| reload_page());
    on_action_ok(submit.value(), failure, move |_| reload_page());
    on_action_ok(decide.value(), failure, move |_| reload_page());
    let back_href = back.0;
    on_action_ok(delete.value(), failure, move |()| hard_navigate(back_href));
    let fields = EntryFields::new(log.form.clone());
    let reason = RwSignal::new(String::new());
    let declining = RwSignal::new(false);
    let admin_editing_approved = role == Role::Admin && log.status == LogStatus::Approved;
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <p class="breadcrumb"><a href=back.0>{back.1}</a></p>
        <div class="page-head"><div><h1>"Time entry"</h1>
            <p class="muted">{format!("{} · {}", log.job_title, log.customer_name)}</p></div></div>
        <div class="time-layout" data-ready=move || ready.get().to_string()>
            <div class="time-main">
                <section class="card">
                    <LogSummary log=log.clone() show_worker=role != Role::Worker show_customer=true />
                    <div class="log-actions">
                        {log.can_submit.then(|| view! {
                            <button class="btn btn-primary" on:click=move |_| { submit.dispatch(SubmitLogs { ids: vec![id] }); }>
                                "Submit for approval"
                            </button>
                        })}
                        {log.can_decide.then(|| view! {
                            <button class="btn btn-primary" on:click=move |_| {
                                decide.dispatch(DecideLogs { ids: vec![id], approve: true, reason: String::new() });
                            }>"Approve"</button>
                            <button class="btn" on:click=move |_| declining.set(true)>"Decline…"</button>
                        })}
                        {log.can_delete.then(|| view! {
                            <button class="btn btn-ghost" on:click=move |_| { delete.dispatch(DeleteLog { id }); }>"Delete"</button>
                        })}
                    </div>
                    <Show when=move || declining.get()>
                        <form method="post" class="form" on:submit=move |ev| {
                            ev.prevent_default();
                            decide.dispatch(DecideLogs { ids: vec![id], approve: false, reason: reason.get_untracked() });
                        }>
                            <TextAreaField label="Why do you decline it?" name="reason" value=reason rows=2
                                error=field_error(failure, "reason") />
                            <SubmitButton label="Decline" busy_label="Declining…" pending=decide.pending() />
                        </form>
                    </Show>
                    <Banner failure />
                </section>
                {log.can_edit.then(|| view! {
                    <section class="card" aria-labelledby="edit-title">
                        <h2 id="edit-title" class="card-title">"Change the entry"</h2>
                        {admin_editing_approved.then(|| view! {
                            <p class="banner banner-info">"This entry is approved. Saving a change makes a new revision that the customer must approve again; the history keeps both."</p>
                        })}
                        <form method="post" action=UpdateLog::PATH class="form" on:submit=move |ev| {
                            ev.prevent_default();
                            let form = fields.form();
                            match form.validate() {
                                Ok(_) => { update.dispatch(UpdateLog { id, form }); }
                                Err(errors) => failure.set(Some(errors.into())),
                            }
                        }>
                            <input type="hidden" name="id" value=id.to_string() />
                            <EntryFieldsView fields jobs=jobs.clone() failure />
                            <SubmitButton label="Save changes" busy_label="Saving…" pending=update.pending() />
                        </form>
                    </section>
                })}
            </div>
            <aside class="time-aside">
                <section class="card" aria-labelledby="history-title">
                    <h2 id="history-title" class="card-title">"History"</h2>
                    <ol class="history" data-testid="log-history" aria-labelledby="history-title" tabindex="0">
                        {history.into_iter().map(|event| view! {
                            <li>
                                <p><strong>{event.actor_name.unwrap_or_else(|| "Fieldbook".into())}</strong>" "{event.summary}</p>
                                {(!event.changes.is_empty()).then(|| view! {
                                    <ul class="history-changes">{event.changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                                })}
                                <p class="muted small">{event.at_label}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            </aside>
        </div>
    }
}
