//! The monthly report: totals, charts, every submitted entry, and CSV / PDF
//! downloads. Admins pick a customer or worker; customers and workers get their own.

use super::api::load_monthly_report;
use super::logs_page::TimeSubnav;
use super::widgets::{DayChart, LogStatusBadge, RankChart};
use super::{format_minutes, MonthlyReport, ReportQuery};
use crate::auth::Role;
use crate::components::use_user;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let role = use_user().role;
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| ReportQuery::from_params(|k| q.get(k))));
    let report = Resource::new(move || query.get(), load_monthly_report);
    view! {
        <Title text="Reports" />
        <div class="page-head"><div><h1>"Monthly report"</h1>
            <p class="muted">"Hours by month, in the company's calendar. Drafts are not included."</p></div></div>
        {(role == Role::Admin).then(|| view! { <TimeSubnav current="/app/reports" /> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <ReportView report /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportView(report: MonthlyReport) -> impl IntoView {
    let role = use_user().role;
    let navigate = use_navigate();
    let q = report.query.clone();
    let link = move |query: ReportQuery| format!("/app/reports{}", query.to_query_string());
    let prev = link(ReportQuery { month: report.previous_month.clone(), ..q.clone() });
    let next = link(ReportQuery { month: report.next_month.clone(), ..q.clone() });
    let exports = q.to_query_string();
    let csv = format!("/exports/time-report.csv{exports}");
    let pdf = format!("/exports/time-report.pdf{exports}");
    let t = report.totals.clone();
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let picker = (role == Role::Admin).then(|| {
        let (q1, q2) = (q.clone(), q.clone());
        let (nav1, nav2) = (navigate.clone(), navigate.clone());
        let customer = q.customer.map(|c| c.to_string()).unwrap_or_default();
        let worker = q.worker.map(|w| w.to_string()).unwrap_or_default();
        view! {
            <div class="filters">
                <div class="field"><label for="report-customer">"Customer"</label>
                    <select id="report-customer" on:change=move |ev| {
                        let query = ReportQuery { customer: event_target_value(&ev).parse().ok(), ..q1.clone() };
                        nav1(&link(query), Default::default());
                    }>
                        <option value="" selected=customer.is_empty()>"All customers"</option>
                        {report.customers.iter().map(|c| {
                            let id = c.id.to_string();
                            let selected = id == customer;
                            view! { <option value=id selected=selected>{c.name.clone()}</option> }
                        }).collect_view()}
                    </select></div>
                <div class="field"><label for="report-worker">"Worker"</label>
                    <select id="report-worker" on:change=move |ev| {
                        let query = ReportQuery { worker: event_target_value(&ev).parse().ok(), ..q2.clone() };
                        nav2(&link(query), Default::default());
                    }>
                        <option value="" selected=worker.is_empty()>"All workers"</option>
                        {report.workers.iter().map(|w| {
                            let id = w.id.to_string();
                            let selected = id == worker;
                            view! { <option value=id selected=selected>{w.name.clone()}</option> }
                        }).collect_view()}
                    </select></div>
            </div>
        }
    });
    let more = report.lines_total - report.lines.len() as i64;
    view! {
        <div class="report" data-ready=move || ready.get().to_string() data-testid="report">
            <div class="report-head">
                <a class="btn btn-small" href=prev aria-label="Previous month">"←"</a>
                <h2 class="report-period" data-testid="report-period">{report.period_label.clone()}</h2>
                <a class="btn btn-small" href=next aria-label="Next month">"→"</a>
                <span class="muted">{report.scope_label.clone()}</span>
                <span class="report-downloads">
                    <a class="btn btn-small" href=csv download="" rel="external" data-testid="download-csv">"CSV"</a>
                    <a class="btn btn-small" href=pdf download="" rel="external" data-testid="download-pdf">"PDF"</a>
                </span>
            </div>
            {picker}
            <dl class="totals" data-testid="report-totals">
                <div><dt>"Total"</dt><dd data-testid="total-hours">{format_minutes(t.total_minutes)}</dd></div>
                <div><dt>"Billable"</dt><dd>{format_minutes(t.billable_minutes)}</dd></div>
                <div><dt>"Approved"</dt><dd data-testid="approved-hours">{format_minutes(t.approved_minutes)}</dd></div>
                <div><dt>"Pending"</dt><dd>{format_minutes(t.pending_minutes)}</dd></div>
                <div><dt>"Declined"</dt><dd>{format_minutes(t.declined_minutes)}</dd></div>
            </dl>
            <p class="muted small">"Total and billable count approved and pending hours; declined hours are shown apart."</p>
            <div class="charts">
                <DayChart bars=report.per_day.clone() title="Hours per day" />
                {(role != Role::Worker).then(|| view! { <RankChart bars=report.per_worker.clone() title="Hours per worker" /> })}
                {(role != Role::Customer).then(|| view! { <RankChart bars=report.per_customer.clone() title="Hours per customer" /> })}
            </div>
            <h2 class="section-title">"Entries"<span class="count-badge">{report.lines_total}</span></h2>
            {if report.lines.is_empty() {
                view! { <p class="muted empty-inline">"No submitted hours in this month."</p> }.into_any()
            } else {
                view! {
                    // The key columns first; the rest scrolls within a region that the
                    // keyboard can reach (Tab, then the arrow keys).
                    <div class="table-scroll" role="region" aria-label="Entries of the month" tabindex="0">
                        <table class="table report-table" data-testid="report-lines">
                            <thead><tr><th>"Date"</th><th class="num">"Hours"</th><th>"Status"</th><th>"Job"</th>
                                <th>"Worker"</th><th>"Customer"</th><th>"Time"</th><th>"Description"</th></tr></thead>
                            <tbody>
                                {report.lines.iter().map(|l| view! {
                                    <tr>
                                        <td>{l.date_label.clone()}</td>
                                        <td class="num">{format_minutes(l.minutes)}</td>
                                        <td><LogStatusBadge status=l.status /></td>
                                        <td>{l.job_title.clone()}</td>
                                        <td>{l.worker_name.clone()}</td><td>{l.customer_name.clone()}</td>
                                        <td>{l.time_label.clone()}</td><td class="wrap">{l.description.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="muted">{format!("{more} more entries are in the CSV and PDF downloads.")}</p> })}
        </div>
    }
}
