//! Approvals: the customer's (or, for admins, any customer's) pending hours,
//! decided one by one or in bulk, budgets beside them, and monthly sign-off.

use super::api::{load_approvals, DecideLogs, ReopenMonth, SaveTimeSettings, SignOffMonth};
use super::widgets::{BudgetMeter, LogSummary};
use super::{format_minutes, Approvals, MonthStatement, TimeSettings, WorkLog};
use crate::auth::Role;
use crate::components::{
    field_error, on_action_ok, use_user, Banner, EmptyState, Field, Modal, SubmitButton, TextAreaField,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeSet;
use uuid::Uuid;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let role = use_user().role;
    let query = use_query_map();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (query.get().get("customer").and_then(|c| c.parse::<Uuid>().ok()), reload.get()),
        |(customer, _)| load_approvals(customer),
    );
    view! {
        <Title text="Approvals" />
        <div class="page-head">
            <div>
                <h1>"Approvals"</h1>
                <p class="muted">"Hours the team logged on your jobs. Approve them, or decline with a reason so they can be corrected."</p>
            </div>
        </div>
        {(role == Role::Admin).then(|| view! { <super::logs_page::TimeSubnav current="/app/approvals" /> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(approvals) => view! { <ApprovalsView approvals reload /> }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <EmptyState icon="customers" title="Your login isn't linked to a customer yet">
                            <p>"Ask the company you work with to link your login to your customer record."</p>
                        </EmptyState>
                    }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ApprovalsView(approvals: Approvals, reload: RwSignal<u32>) -> impl IntoView {
    let role = use_user().role;
    let Approvals { pending, recent, contracts, months, customers, auto_approve_days } = approvals;
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let query = use_query_map();
    let navigate = use_navigate();
    let selected_customer = query.get_untracked().get("customer").unwrap_or_default();
    view! {
        <div class="time-layout" data-ready=move || ready.get().to_string()>
            <div class="time-main">
                {(role == Role::Admin).then(|| view! {
                    <div class="filters">
                        <div class="field">
                            <label for="approvals-customer">"Customer"</label>
                            <select id="approvals-customer" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let path = if v.is_empty() { "/app/approvals".to_string() } else { format!("/app/approvals?customer={v}") };
                                navigate(&path, Default::default());
                            }>
                                <option value="" selected=selected_customer.is_empty()>"All customers"</option>
                                {customers.into_iter().map(|c| {
                                    let id = c.id.to_string();
                                    let selected = id == selected_customer;
                                    view! { <option value=id selected=selected>{c.name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                })}
                <PendingList pending reload />
                {(!months.is_empty()).then(|| view! { <Months months reload /> })}
                <section class="log-group" aria-labelledby="recent-title">
                    <h2 id="recent-title" class="section-title">"Recently decided"</h2>
                    {if recent.is_empty() {
                        view! { <p class="muted empty-inline">"Nothing decided yet."</p> }.into_any()
                    } else {
                        view! { <ul class="log-list">{recent.into_iter().map(|log| view! {
                            <li class="log-item"><LogSummary log show_worker=true show_customer=role == Role::Admin /></li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
            </div>
            <aside class="time-aside">
                <section class="card" aria-labelledby="budget-title">
                    <h2 id="budget-title" class="card-title">"Hour budgets"</h2>
                    {if contracts.is_empty() {
                        view! { <p class="muted">"No contracts with an hour budget."</p> }.into_any()
                    } else {
                        contracts.into_iter().map(|usage| view! { <BudgetMeter usage show_parties=true /> }).collect_view().into_any()
                    }}
                </section>
                {(role == Role::Admin).then(|| view! { <AutoApproveSetting days=auto_approve_days reload /> })}
                {(role == Role::Customer).then(|| auto_approve_days.map(|d| view! {
                    <p class="muted small">{format!("Hours you leave undecided are approved automatically {d} days after they were submitted.")}</p>
                }))}
            </aside>
        </div>
    }
}

#[component]
fn PendingList(pending: Vec<WorkLog>, reload: RwSignal<u32>) -> impl IntoView {
    let role = use_user().role;
    let selected = RwSignal::new(BTreeSet::<Uuid>::new());
    let all: Vec<Uuid> = pending.iter().map(|l| l.id).collect();
    let decide = ServerAction::<DecideLogs>::new();
    let failure = RwSignal::new(None::<AppError>);
    // The log being declined (None: the selection, in bulk) and the reason typed.
    let declining = RwSignal::new(None::<Option<Uuid>>);
    let reason = RwSignal::new(String::new());
    on_action_ok(decide.value(), failure, move |_| {
        super::waiting_changed();
        declining.set(None);
        reason.set(String::new());
        selected.set(BTreeSet::new());
        reload.update(|r| *r += 1);
    });
    let total: i64 = pending.iter().map(|l| l.minutes).sum();
    let count = pending.len();
    let busy = move || decide.pending().get();
    let decline_form = move || {
        declining.get().map(|target| {
            let label = match target {
                Some(_) => "Why do you decline this entry?".to_string(),
                None => format!("Why do you decline these {} entries?", selected.with(|s| s.len())),
            };
            view! {
                <form method="post" class="form decline-form" data-testid="decline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let ids = match target {
                        Some(id) => vec![id],
                        None => selected.get_untracked().into_iter().collect(),
                    };
                    decide.dispatch(DecideLogs { ids, approve: false, reason: reason.get_untracked() });
                }>
                    <h2 id="decline-title" class="dialog-title">{label}</h2>
                    <TextAreaField label="Reason (the worker sees it)" name="reason" value=reason rows=2
                        error=field_error(failure, "reason") />
                    <div class="form-actions">
                        <SubmitButton label="Decline" busy_label="Declining…" pending=decide.pending() class="btn btn-danger" />
                        <button type="button" class="btn btn-ghost" on:click=move |_| declining.set(None)>"Cancel"</button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <section class="log-group" aria-labelledby="pending-title" data-testid="pending">
            <div class="card-head">
                <h2 id="pending-title" class="section-title">"Waiting for your decision"<span class="count-badge">{count}</span></h2>
                <span class="muted">{format!("{} h in all", format_minutes(total))}</span>
            </div>
            <Banner failure />
            {if pending.is_empty() {
                view! { <p class="muted empty-inline" data-testid="nothing-pending">"Nothing waiting. New hours appear here when the team submits them."</p> }.into_any()
            } else {
                let all_ids = all.clone();
                view! {
                    <div class="bulk-bar">
                        <label class="checkbox">
                            <input type="checkbox" aria-label="Select all"
                                prop:checked=move || selected.with(|s| s.len() == count && count > 0)
                                on:change=move |ev| {
                                    if event_target_checked(&ev) { selected.set(all_ids.iter().copied().collect()); } else { selected.set(BTreeSet::new()); }
                                } />
                            <span>"Select all"</span>
                        </label>
                        <button class="btn btn-primary btn-small" disabled=move || busy() || selected.with(|s| s.is_empty())
                            on:click=move |_| { decide.dispatch(DecideLogs { ids: selected.get_untracked().into_iter().collect(), approve: true, reason: String::new() }); }>
                            {move || format!("Approve selected ({})", selected.with(|s| s.len()))}
                        </button>
                        <button class="btn btn-small" disabled=move || busy() || selected.with(|s| s.is_empty())
                            on:click=move |_| declining.set(Some(None))>"Decline selected…"</button>
                    </div>
                    // In a modal: opens in view wherever the button was, takes the focus,
                    // closes on Escape and gives the focus back.
                    <Modal open=Signal::derive(move || declining.with(Option::is_some))
                        on_dismiss=Callback::new(move |()| declining.set(None)) labelled_by="decline-title">
                        {decline_form}
                    </Modal>
                    <ul class="log-list">
                        {pending.into_iter().map(|log| {
                            let id = log.id;
                            let can_decide = log.can_decide;
                            view! {
                                <li class="log-item" data-testid="pending-item">
                                    {can_decide.then(|| view! {
                                        <input type="checkbox" class="log-check" aria-label="Select"
                                            prop:checked=move || selected.with(|s| s.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                                            } />
                                    })}
                                    <LogSummary log show_worker=true show_customer=role == Role::Admin />
                                    {can_decide.then(|| view! {
                                        <div class="log-actions">
                                            <button class="btn btn-primary btn-small" disabled=busy
                                                on:click=move |_| { decide.dispatch(DecideLogs { ids: vec![id], approve: true, reason: String::new() }); }>"Approve"</button>
                                            <button class="btn btn-small" disabled=busy
                                                on:click=move |_| { reason.set(String::new()); declining.set(Some(Some(id))); }>"Decline…"</button>
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Months(months: Vec<MonthStatement>, reload: RwSignal<u32>) -> impl IntoView {
    let sign = ServerAction::<SignOffMonth>::new();
    let reopen = ServerAction::<ReopenMonth>::new();
    let failure = RwSignal::new(None::<AppError>);
    on_action_ok(sign.value(), failure, move |_| reload.update(|r| *r += 1));
    on_action_ok(reopen.value(), failure, move |_| reload.update(|r| *r += 1));
    view! {
        <section class="card" aria-labelledby="months-title" data-testid="months">
            <h2 id="months-title" class="card-title">"Monthly statements"</h2>
            <p class="muted small">"Signing off a month confirms its approved hours and locks them."</p>
            <Banner failure />
            // Scrolls on its own on a narrow phone instead of widening the page.
            <div class="table-scroll" role="region" aria-label="Monthly statements" tabindex="0">
            <table class="table">
                <thead><tr><th>"Month"</th><th>"Approved"</th><th>"Waiting"</th><th>"Sign-off"</th></tr></thead>
                <tbody>
                    {months.into_iter().map(|m| {
                        let (customer_id, month) = (m.customer_id, m.month.clone());
                        let month2 = month.clone();
                        view! {
                            <tr>
                                <td>{m.label.clone()}</td>
                                <td>{format_minutes(m.approved_minutes)}</td>
                                <td>{m.pending_count}</td>
                                <td>
                                    {m.signed_off.clone().map(|s| view! { <span>{format!("Signed off by {} on {}", s.by_name, s.at_label)}</span> })}
                                    {m.can_sign.then(|| view! {
                                        <button class="btn btn-small btn-primary"
                                            on:click=move |_| { sign.dispatch(SignOffMonth { customer_id, month: month.clone() }); }>"Sign off"</button>
                                    })}
                                    {m.can_reopen.then(|| view! {
                                        <button class="btn btn-small"
                                            on:click=move |_| { reopen.dispatch(ReopenMonth { customer_id, month: month2.clone() }); }>"Reopen"</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

#[component]
fn AutoApproveSetting(days: Option<i32>, reload: RwSignal<u32>) -> impl IntoView {
    let value = RwSignal::new(days.map(|d| d.to_string()).unwrap_or_default());
    let save = ServerAction::<SaveTimeSettings>::new();
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    on_action_ok(save.value(), failure, move |_| {
        saved.set(true);
        reload.update(|r| *r += 1);
    });
    view! {
        <section class="card" aria-labelledby="auto-title">
            <h2 id="auto-title" class="card-title">"Automatic approval"</h2>
            <form method="post" action=SaveTimeSettings::PATH class="form" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                save.dispatch(SaveTimeSettings { settings: TimeSettings { auto_approve_days: value.get_untracked() } });
            }>
                <Field label="Approve pending hours after (days)" name="auto_approve_days" kind="number" value
                    error=field_error(failure, "auto_approve_days") hint="Leave empty to wait for the customer." />
                <Banner failure />
                {move || saved.get().then(|| view! { <p class="banner banner-success">"Saved."</p> })}
                <SubmitButton label="Save" busy_label="Saving…" pending=save.pending() />
            </form>
        </section>
    }
}
