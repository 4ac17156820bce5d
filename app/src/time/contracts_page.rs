//! Contracts (admins): hour budgets between a worker and a customer, with what
//! is used and left in the current period.

use super::api::{load_contracts, CreateContract, DeleteContract, UpdateContract};
use super::logs_page::TimeSubnav;
use super::widgets::BudgetMeter;
use super::ContractsPage as Page;
use super::{format_minutes, ContractForm};
use crate::components::{announce, field_error, on_action_ok, Banner, Field, SelectField, SubmitButton};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn ContractsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_contracts());
    view! {
        <Title text="Contracts" />
        <div class="page-head"><div><h1>"Contracts"</h1>
            <p class="muted">"Hour budgets agreed with customers, per worker. Everyone sees what is used and what is left."</p></div></div>
        <TimeSubnav current="/app/contracts" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ContractsView page /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContractsView(page: Page) -> impl IntoView {
    let page = RwSignal::new(page);
    let failure = RwSignal::new(None::<AppError>);
    let editing = RwSignal::new(None::<Uuid>);
    let title = RwSignal::new(String::new());
    let worker_id = RwSignal::new(String::new());
    let customer_id = RwSignal::new(String::new());
    let budget = RwSignal::new(String::new());
    let period = RwSignal::new("MONTHLY".to_string());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        for s in [title, worker_id, customer_id, budget, starts_on, ends_on] {
            s.set(String::new());
        }
        period.set("MONTHLY".into());
    };
    let create = ServerAction::<CreateContract>::new();
    let update = ServerAction::<UpdateContract>::new();
    let delete = ServerAction::<DeleteContract>::new();
    for (value, said) in [
        (create.value(), "Contract added."),
        (update.value(), "Contract saved."),
        (delete.value(), "Contract deleted."),
    ] {
        on_action_ok(value, failure, move |p| {
            page.set(p);
            clear();
            announce(said);
        });
    }
    let form = move || ContractForm {
        title: title.get_untracked(),
        worker_id: worker_id.get_untracked(),
        customer_id: customer_id.get_untracked(),
        budget_hours: budget.get_untracked(),
        period: period.get_untracked(),
        starts_on: starts_on.get_untracked(),
        ends_on: ends_on.get_untracked(),
    };
    let workers = Signal::derive(move || {
        let mut o = vec![(String::new(), "Choose a worker…".to_string())];
        o.extend(page.with(|p| p.workers.iter().map(|w| (w.id.to_string(), w.name.clone())).collect::<Vec<_>>()));
        o
    });
    let customers = Signal::derive(move || {
        let mut o = vec![(String::new(), "Choose a customer…".to_string())];
        o.extend(page.with(|p| p.customers.iter().map(|c| (c.id.to_string(), c.name.clone())).collect::<Vec<_>>()));
        o
    });
    let periods = vec![("MONTHLY".to_string(), "Per month".to_string()), ("TOTAL".to_string(), "In total".to_string())];
    view! {
        <div class="time-layout">
            <div class="time-main">
                {move || {
                    let contracts = page.with(|p| p.contracts.clone());
                    if contracts.is_empty() {
                        view! { <p class="muted empty-inline">"No contracts yet. Add the first one with the form."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="contract-list" data-testid="contracts">
                                {contracts.into_iter().map(|usage| {
                                    let c = usage.contract.clone();
                                    let id = c.id;
                                    view! {
                                        <li class="card">
                                            <BudgetMeter usage show_parties=true />
                                            <p class="muted small">{format!("From {}{}", c.starts_on.format("%-d %b %Y"),
                                                c.ends_on.map(|e| format!(" to {}", e.format("%-d %b %Y"))).unwrap_or_default())}</p>
                                            <div class="log-actions">
                                                <button class="btn btn-small" on:click=move |_| {
                                                    editing.set(Some(id));
                                                    title.set(c.title.clone());
                                                    worker_id.set(c.worker_id.to_string());
                                                    customer_id.set(c.customer_id.to_string());
                                                    budget.set(format_minutes(c.budget_minutes));
                                                    period.set(c.period.as_str().to_string());
                                                    starts_on.set(c.starts_on.format("%Y-%m-%d").to_string());
                                                    ends_on.set(c.ends_on.map(|e| e.format("%Y-%m-%d").to_string()).unwrap_or_default());
                                                }>"Edit"</button>
                                                <button class="btn btn-small btn-ghost" on:click=move |_| { delete.dispatch(DeleteContract { id }); }>"Delete"</button>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </div>
            <aside class="time-aside">
                <section class="card" aria-labelledby="contract-form-title">
                    <h2 id="contract-form-title" class="card-title">
                        {move || if editing.get().is_some() { "Change the contract" } else { "New contract" }}
                    </h2>
                    <form method="post" class="form" data-testid="contract-form"
                        action=move || if editing.get().is_some() { UpdateContract::PATH } else { CreateContract::PATH }
                        on:submit=move |ev| {
                        ev.prevent_default();
                        let form = form();
                        if let Err(errors) = form.validate() {
                            failure.set(Some(errors.into()));
                            return;
                        }
                        match editing.get_untracked() {
                            Some(id) => { update.dispatch(UpdateContract { id, form }); }
                            None => { create.dispatch(CreateContract { form }); }
                        }
                    }>
                        <Field label="Name" name="title" value=title error=field_error(failure, "title") placeholder="Maintenance 2026" />
                        <SelectField label="Worker" name="worker_id" value=worker_id options=workers error=field_error(failure, "worker_id") />
                        <SelectField label="Customer" name="customer_id" value=customer_id options=customers error=field_error(failure, "customer_id") />
                        <div class="field-row">
                            <Field label="Budget (hours)" name="budget_hours" value=budget error=field_error(failure, "budget_hours") placeholder="40" />
                            <SelectField label="Period" name="period" value=period options=periods error=field_error(failure, "period") />
                        </div>
                        <div class="field-row">
                            <Field label="Starts" name="starts_on" kind="date" value=starts_on error=field_error(failure, "starts_on") />
                            <Field label="Ends (optional)" name="ends_on" kind="date" value=ends_on error=field_error(failure, "ends_on") />
                        </div>
                        <Banner failure />
                        <div class="form-actions">
                            <SubmitButton label="Save contract" busy_label="Saving…"
                                pending=Signal::derive(move || create.pending().get() || update.pending().get()) />
                            {move || editing.get().is_some().then(|| view! {
                                <button type="button" class="btn btn-ghost" on:click=move |_| clear()>"Cancel"</button>
                            })}
                        </div>
                    </form>
                </section>
            </aside>
        </div>
    }
}
