use super::api::{get_customer, list_customers, CreateCustomer, SetCustomerActive, UpdateCustomer};
use super::{CustomerCursor, CustomerForm, CustomerListQuery, CustomerSummary};
use crate::components::{
    announce, field_error, revealed_by_query, use_confirm, Banner, Confirmation, EmptyState, Field, NotFound,
    Reloading, RevealButton, SubmitButton,
};
use crate::error::AppError;
use crate::jobs::api::list_jobs;
use crate::jobs::{JobCard, JobListQuery, JobPage};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let include_inactive = RwSignal::new(false);
    let after = RwSignal::new(None::<CustomerCursor>);
    let version = RwSignal::new(0u32);
    let customers = Resource::new(
        move || (search.get(), include_inactive.get(), after.get(), version.get()),
        |(search, include_inactive, after, _)| list_customers(CustomerListQuery { search, include_inactive, after }),
    );
    let show_form = revealed_by_query("new");
    let notice = RwSignal::new(None::<String>);

    // True while a new filter's rows load (the old ones stay, dimmed).
    let refreshing = RwSignal::new(false);
    view! {
        <Title text="Customers" />
        <div class="page-head">
            <div>
                <h1>"Customers"</h1>
                <p class="muted">"The people and businesses you work for."</p>
            </div>
            <RevealButton open=show_form key="new" show_label="New customer" hide_label="Close" class="btn btn-primary" />
        </div>
        <div role="status" aria-live="polite">
            {move || notice.get().map(|text| view! { <div class="banner banner-success">{text}</div> })}
        </div>
        <Show when=move || show_form.get()>
            <section class="card panel" aria-labelledby="customer-form-title">
                <h2 id="customer-form-title">"New customer"</h2>
                <CustomerEditor existing=None on_saved=Callback::new(move |customer: CustomerSummary| {
                    show_form.set(false);
                    notice.set(Some(format!("{} was added.", customer.name)));
                    after.set(None);
                    version.update(|v| *v += 1);
                }) />
            </section>
        </Show>
        <div class="toolbar">
            <input class="search" type="search" placeholder="Search name, email or phone" aria-label="Search customers"
                prop:value=move || search.get() on:input=move |ev| { after.set(None); search.set(event_target_value(&ev)); } />
            <label class="check">
                <input type="checkbox" prop:checked=move || include_inactive.get()
                    on:change=move |ev| { after.set(None); include_inactive.set(event_target_checked(&ev)); } />
                "Show deactivated"
            </label>
        </div>
        <Reloading pending=refreshing>
            <Transition set_pending=refreshing fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match customers.await {
                        Ok(page) if page.customers.is_empty() && after.get_untracked().is_none() && search.get_untracked().is_empty() => view! {
                            <EmptyState icon="customers" title="No customers yet">
                                <p>"Add your first customer to start planning jobs for them."</p>
                            </EmptyState>
                        }.into_any(),
                        Ok(page) if page.customers.is_empty() => view! { <p class="muted empty-inline">"No customer matches."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.clone();
                            view! {
                                <ul class="record-list" data-testid="customer-list">
                                    {page.customers.into_iter().map(|c| view! { <CustomerRow customer=c /> }).collect_view()}
                                </ul>
                                <div class="pager">
                                    {after.get_untracked().is_some().then(|| view! {
                                        <button class="btn btn-small" on:click=move |_| after.set(None)>"← First page"</button>
                                    })}
                                    {next.map(|cursor| view! {
                                        <button class="btn btn-small" on:click=move |_| after.set(Some(cursor.clone()))>"Next page →"</button>
                                    })}
                                </div>
                            }.into_any()
                        }
                        Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </Reloading>
    }
}

#[component]
fn CustomerRow(customer: CustomerSummary) -> impl IntoView {
    let contact =
        [customer.email.clone(), customer.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    view! {
        <li class="record-row" class:inactive=!customer.active>
            <A href=format!("/app/customers/{}", customer.id) attr:class="record-link">
                <span class="record-title">{customer.name.clone()}</span>
                <span class="muted record-sub">{if contact.is_empty() { "No contact details".to_string() } else { contact }}</span>
            </A>
            <span class="record-meta">
                {(!customer.active).then(|| view! { <span class="role-badge muted-badge">"Deactivated"</span> })}
                <span class="count-badge">{format!("{} open jobs", customer.open_jobs)}</span>
            </span>
        </li>
    }
}

/// Create (no `existing`) or edit a customer.
#[component]
fn CustomerEditor(existing: Option<CustomerSummary>, on_saved: Callback<CustomerSummary>) -> impl IntoView {
    let id = existing.as_ref().map(|c| c.id);
    let initial = existing.unwrap_or(CustomerSummary {
        id: Uuid::nil(),
        name: String::new(),
        email: None,
        phone: None,
        address: None,
        active: true,
        open_jobs: 0,
        version: 0,
    });
    let name = RwSignal::new(initial.name);
    let email = RwSignal::new(initial.email.unwrap_or_default());
    let phone = RwSignal::new(initial.phone.unwrap_or_default());
    let address = RwSignal::new(initial.address.unwrap_or_default());
    let failure = RwSignal::new(None::<AppError>);
    let create = ServerAction::<CreateCustomer>::new();
    let update = ServerAction::<UpdateCustomer>::new();
    for value in [create.value(), update.value()] {
        Effect::new(move |_| match value.get() {
            Some(Ok(customer)) => {
                failure.set(None);
                on_saved.run(customer);
            }
            Some(Err(error)) => failure.set(Some(error)),
            None => {}
        });
    }
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = CustomerForm { name: name.get(), email: email.get(), phone: phone.get(), address: address.get() };
        match (form.validate(), id) {
            (Err(errors), _) => failure.set(Some(errors.into())),
            (Ok(_), None) => {
                create.dispatch(CreateCustomer { form });
            }
            (Ok(_), Some(id)) => {
                update.dispatch(UpdateCustomer { id, form });
            }
        }
    };
    view! {
        <form method="post" action=if id.is_some() { UpdateCustomer::PATH } else { CreateCustomer::PATH }
            class="form form-grid" on:submit=on_submit novalidate>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <Banner failure />
            <Field label="Name" name="customer_name" value=name error=field_error(failure, "name") maxlength=200 autocomplete="off" />
            <Field label="Email" name="customer_email" kind="email" value=email error=field_error(failure, "email") autocomplete="off" hint="Optional." />
            <Field label="Phone" name="customer_phone" kind="tel" value=phone error=field_error(failure, "phone") autocomplete="off" hint="Optional." />
            <Field label="Address" name="customer_address" value=address error=field_error(failure, "address") maxlength=500 autocomplete="off" hint="Optional. Where the work happens." />
            <div class="form-actions">
                <SubmitButton label=if id.is_some() { "Save changes" } else { "Add customer" } busy_label="Saving…" pending />
            </div>
        </form>
    }
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let customer = Resource::new(
        move || (params.get().get("id").and_then(|id| id.parse::<Uuid>().ok()), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Loaded beside the customer, not in a nested suspense (which hydrated unreliably).
    let jobs = Resource::new(
        move || params.get().get("id").and_then(|id| id.parse::<Uuid>().ok()),
        |id| list_jobs(JobListQuery { customer: id, ..Default::default() }),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (customer.await, jobs.await) {
                    (Ok(customer), jobs) => view! {
                        <CustomerDetail customer jobs on_changed=Callback::new(move |()| version.update(|v| *v += 1)) />
                    }.into_any(),
                    (Err(AppError::NotFound), _) => view! { <NotFound /> }.into_any(),
                    (Err(error), _) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerDetail(
    customer: CustomerSummary,
    jobs: Result<JobPage, AppError>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let editing = revealed_by_query("edit");
    let set_active = ServerAction::<SetCustomerActive>::new();
    let confirm = use_confirm();
    Effect::new(move |_| {
        if let Some(Ok(changed)) = set_active.value().get() {
            announce(if changed.active {
                format!("{} was restored.", changed.name)
            } else {
                format!("{} was deactivated. No new jobs can be created for them.", changed.name)
            });
            on_changed.run(());
        }
    });
    let id = customer.id;
    let active = customer.active;
    let details = customer.clone();
    view! {
        <Title text=customer.name.clone() />
        <p class="breadcrumb"><A href="/app/customers">"← Customers"</A></p>
        <div class="page-head">
            <div>
                <h1>{customer.name.clone()}</h1>
                <p class="muted">{if active { "Active customer" } else { "Deactivated — no new jobs" }}</p>
            </div>
            <div class="form-actions">
                <RevealButton open=editing key="edit" show_label="Edit" hide_label="Cancel" />
                <button class=if active { "btn btn-danger-ghost" } else { "btn" } disabled=move || set_active.pending().get()
                    on:click={
                        let name = customer.name.clone();
                        move |_| {
                            if active {
                                confirm.ask(Confirmation::new(
                                    format!("Deactivate {name}?"),
                                    "They leave the customer list and no new jobs can be created for them. Their jobs and hours stay; you can restore them later.",
                                    "Deactivate",
                                    move || { set_active.dispatch(SetCustomerActive { id, active: false }); },
                                ));
                            } else {
                                set_active.dispatch(SetCustomerActive { id, active: true });
                            }
                        }
                    }>
                    {if active { "Deactivate…" } else { "Restore" }}
                </button>
            </div>
        </div>
        <Show when=move || editing.get() fallback=move || {
            let c = details.clone();
            view! {
                <dl class="card detail-list">
                    <div><dt>"Email"</dt><dd>{c.email.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"Phone"</dt><dd>{c.phone.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"Address"</dt><dd>{c.address.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"Open jobs"</dt><dd>{c.open_jobs}</dd></div>
                </dl>
            }
        }>
            <section class="card">
                <CustomerEditor existing=Some(customer.clone()) on_saved=Callback::new(move |_| {
                    editing.set(false);
                    on_changed.run(());
                }) />
            </section>
        </Show>
        <CustomerJobList customer_id=id jobs />
    }
}

/// The customer's jobs (newest first), with a way into the full, filterable list.
#[component]
fn CustomerJobList(customer_id: Uuid, jobs: Result<JobPage, AppError>) -> impl IntoView {
    let query = JobListQuery { customer: Some(customer_id), ..Default::default() };
    let all_href = format!("/app/jobs{}", query.to_query_string());
    view! {
        <div class="section-head">
            <h2 class="section-title">"Jobs"</h2>
            <A href=all_href attr:class="btn btn-small btn-ghost">"Filter in the job list →"</A>
        </div>
        {match jobs {
            Ok(page) if page.jobs.is_empty() => view! {
                <EmptyState icon="jobs" title="No jobs for this customer yet">
                    <p>"Jobs you plan for this customer will be listed here."</p>
                    <A href="/app/jobs/new" attr:class="btn btn-primary">"New job"</A>
                </EmptyState>
            }.into_any(),
            Ok(page) => view! {
                <ul class="job-cards" data-testid="customer-jobs">
                    {page.jobs.into_iter().map(|job| view! { <JobCard job show_worker=true /> }).collect_view()}
                </ul>
            }.into_any(),
            Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
        }}
    }
}
