//! Every time entry of the company for admins, filtered by worker, customer,
//! job, status and dates (all in the URL, so a view can be bookmarked).

use super::api::list_logs;
use super::widgets::LogSummary;
use super::{format_minutes, LogPage, LogQuery, LogStatus};
use crate::components::Reloading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn TimeSubnav(current: &'static str) -> impl IntoView {
    let items = [
        ("/app/logs", "Time logs"),
        ("/app/approvals", "Approvals"),
        ("/app/contracts", "Contracts"),
        ("/app/reports", "Reports"),
    ];
    view! {
        <nav class="subnav" aria-label="Time">
            {items.into_iter().map(|(href, label)| view! {
                <a href=href class="subnav-link" aria-current=(href == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}

#[component]
pub fn LogsPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| LogQuery::from_params(|k| q.get(k))));
    let page = Resource::new(move || query.get(), list_logs);
    // True while a new filter's rows load (the old ones stay, dimmed).
    let refreshing = RwSignal::new(false);
    view! {
        <Title text="Time logs" />
        <div class="page-head"><div><h1>"Time logs"</h1><p class="muted">"Every entry of the team, newest first."</p></div></div>
        <TimeSubnav current="/app/logs" />
        <Reloading pending=refreshing>
            <Transition set_pending=refreshing fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <LogsView page query=query.get_untracked() /> }.into_any(),
                        Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </Reloading>
    }
}

#[component]
fn LogsView(page: LogPage, query: LogQuery) -> impl IntoView {
    let navigate = use_navigate();
    let worker = RwSignal::new(query.worker.map(|w| w.to_string()).unwrap_or_default());
    let customer = RwSignal::new(query.customer.map(|c| c.to_string()).unwrap_or_default());
    let status = RwSignal::new(query.status.map(|s| s.as_str().to_string()).unwrap_or_default());
    let from = RwSignal::new(query.from.clone());
    let to = RwSignal::new(query.to.clone());
    let job = query.job;
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = LogQuery {
            worker: worker.get_untracked().parse().ok(),
            customer: customer.get_untracked().parse().ok(),
            job,
            status: LogStatus::parse(&status.get_untracked()),
            from: from.get_untracked(),
            to: to.get_untracked(),
            page: 0,
        };
        navigate(&format!("/app/logs{}", q.to_query_string()), Default::default());
    };
    let select = |label: &'static str, id: &'static str, value: RwSignal<String>, options: Vec<(String, String)>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {options.into_iter().map(|(v, l)| {
                        let selected = v == value.get_untracked();
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let prev = (query.page > 0)
        .then(|| format!("/app/logs{}", LogQuery { page: query.page - 1, ..query.clone() }.to_query_string()));
    let next = page
        .has_more
        .then(|| format!("/app/logs{}", LogQuery { page: query.page + 1, ..query.clone() }.to_query_string()));
    view! {
        <form method="get" class="filters" on:submit=apply data-testid="log-filters">
            {select("Worker", "filter-worker", worker, page.workers.iter().map(|w| (w.id.to_string(), w.name.clone())).collect())}
            {select("Customer", "filter-customer", customer, page.customers.iter().map(|c| (c.id.to_string(), c.name.clone())).collect())}
            {select("Status", "filter-status", status, LogStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect())}
            <div class="field"><label for="filter-from">"From"</label>
                <input id="filter-from" type="date" bind:value=from /></div>
            <div class="field"><label for="filter-to">"To"</label>
                <input id="filter-to" type="date" bind:value=to /></div>
            <button type="submit" class="btn btn-primary">"Show"</button>
        </form>
        <p class="muted" data-testid="log-totals">{format!("{} entries · {} h", page.count, format_minutes(page.total_minutes))}</p>
        {if page.logs.is_empty() {
            view! { <p class="muted empty-inline">"No entries match."</p> }.into_any()
        } else {
            view! {
                <ul class="log-list">
                    {page.logs.into_iter().map(|log| view! {
                        <li class="log-item" data-testid="log-item"><LogSummary log show_worker=true show_customer=true /></li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <div class="pager">
            {prev.map(|href| view! { <a class="btn" href=href>"← Newer"</a> })}
            {next.map(|href| view! { <a class="btn" href=href>"Older →"</a> })}
        </div>
    }
}
