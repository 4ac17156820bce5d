//! Pieces the time pages share: the status badge, a log's line, budget bars,
//! the entry form, and SVG bar charts.

use super::{format_minutes, BudgetLevel, ChartBar, ContractUsage, LogForm, LogStatus, LoggableJob, WorkLog};
use crate::components::{field_error, Field, SelectField, TextAreaField};
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn LogStatusBadge(status: LogStatus) -> impl IntoView {
    let class = format!("log-status log-status-{}", status.as_str().to_lowercase());
    view! { <span class=class data-status=status.as_str()>{status.label()}</span> }
}

/// One entry: when, what, how long, its state and the decision's reason.
#[component]
pub fn LogSummary(
    log: WorkLog,
    #[prop(optional)] show_worker: bool,
    #[prop(optional)] show_customer: bool,
) -> impl IntoView {
    let href = format!("/app/time/{}", log.id);
    view! {
        <div class="log-summary">
            <div class="log-when">
                <a href=href class="log-date">{log.date_label.clone()}</a>
                <span class="muted">{log.time_label.clone()}</span>
            </div>
            <div class="log-what">
                <strong class="log-job">{log.job_title.clone()}</strong>
                {show_customer.then(|| view! { <span class="muted">{log.customer_name.clone()}</span> })}
                {show_worker.then(|| view! { <span class="muted">{format!("by {}", log.worker_name)}</span> })}
                {(!log.description.is_empty()).then(|| view! { <p class="log-description">{log.description.clone()}</p> })}
                {log.decline_reason.clone().filter(|_| log.status == LogStatus::Declined).map(|reason| view! {
                    <p class="decline-reason" data-testid="decline-reason"><strong>"Declined: "</strong>{reason}</p>
                })}
                {log.auto_approve_label.clone().map(|at| view! {
                    <p class="muted small" data-testid="auto-approve">{format!("Approved automatically on {at} unless decided before.")}</p>
                })}
            </div>
            <div class="log-meta">
                <span class="log-duration" data-testid="log-duration">{format_minutes(log.minutes)}</span>
                <LogStatusBadge status=log.status />
                {(log.revision > 1).then(|| view! { <span class="role-badge muted-badge">{format!("Revision {}", log.revision)}</span> })}
                {(!log.billable).then(|| view! { <span class="role-badge muted-badge">"Not billable"</span> })}
                {log.locked.then(|| view! { <span class="role-badge muted-badge">"Month signed off"</span> })}
            </div>
        </div>
    }
}

/// Hours used against a contract's budget, with the 80 % and 100 % warnings.
#[component]
pub fn BudgetMeter(usage: ContractUsage, #[prop(optional)] show_parties: bool) -> impl IntoView {
    let budget = usage.contract.budget_minutes.max(1);
    let width = |minutes: i64| (minutes.max(0) * 1000 / budget).min(1000) as f64 / 10.0;
    let approved = width(usage.approved_minutes);
    let pending = width(usage.pending_minutes + usage.draft_minutes).min(100.0 - approved);
    let level = usage.level;
    let warning = match level {
        BudgetLevel::Exceeded => Some("Budget used up"),
        BudgetLevel::Warning => Some("80 % of the budget used"),
        BudgetLevel::Ok => None,
    };
    view! {
        <div class="budget" data-level=level.as_str() data-testid="budget">
            <div class="budget-head">
                <strong>{usage.contract.title.clone()}</strong>
                <span class="muted">{format!("{} h {} · {}", format_minutes(usage.contract.budget_minutes), usage.contract.period.label(), usage.period_label)}</span>
            </div>
            {show_parties.then(|| view! {
                <p class="muted small">{format!("{} for {}", usage.contract.worker_name, usage.contract.customer_name)}</p>
            })}
            <svg class="budget-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img"
                aria-label=format!("{} % of the budget used", usage.percent)>
                <rect class="budget-track" x="0" y="0" width="100" height="8" rx="2" />
                <rect class="budget-approved" x="0" y="0" width=approved height="8" />
                <rect class="budget-pending" x=approved y="0" width=pending height="8" />
            </svg>
            <p class="budget-figures">
                <span>{format!("Approved {}", format_minutes(usage.approved_minutes))}</span>
                // Submitted hours wait for a decision; drafts are still the worker's own
                // (a customer cannot see them yet), so they are named apart.
                <span>{format!("Waiting for approval {}", format_minutes(usage.pending_minutes))}</span>
                {(usage.draft_minutes > 0).then(|| view! {
                    <span>{format!("Not yet submitted {}", format_minutes(usage.draft_minutes))}</span>
                })}
                <span data-testid="budget-remaining">{format!("Remaining {}", format_minutes(usage.remaining_minutes))}</span>
                <span>{format!("{} %", usage.percent)}</span>
            </p>
            {warning.map(|w| view! { <p class="budget-warning" role="status">{w}</p> })}
        </div>
    }
}

/// The fields of a time entry, bound to `form` signals; the caller adds the buttons.
#[derive(Clone, Copy)]
pub struct EntryFields {
    pub job_id: RwSignal<String>,
    pub date: RwSignal<String>,
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
    pub duration: RwSignal<String>,
    pub break_minutes: RwSignal<String>,
    pub description: RwSignal<String>,
    pub billable: RwSignal<bool>,
}

impl EntryFields {
    pub fn new(form: LogForm) -> Self {
        Self {
            job_id: RwSignal::new(form.job_id),
            date: RwSignal::new(form.date),
            start: RwSignal::new(form.start),
            end: RwSignal::new(form.end),
            duration: RwSignal::new(form.duration),
            break_minutes: RwSignal::new(form.break_minutes),
            description: RwSignal::new(form.description),
            billable: RwSignal::new(form.billable),
        }
    }

    pub fn form(self) -> LogForm {
        LogForm {
            job_id: self.job_id.get_untracked(),
            date: self.date.get_untracked(),
            start: self.start.get_untracked(),
            end: self.end.get_untracked(),
            duration: self.duration.get_untracked(),
            break_minutes: self.break_minutes.get_untracked(),
            description: self.description.get_untracked(),
            billable: self.billable.get_untracked(),
        }
    }
}

#[component]
pub fn EntryFieldsView(
    fields: EntryFields,
    jobs: Vec<LoggableJob>,
    failure: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let mut options = vec![(String::new(), "Choose a job…".to_string())];
    options.extend(jobs.into_iter().map(|j| (j.id.to_string(), format!("{} · {}", j.title, j.customer_name))));
    view! {
        <SelectField label="Job" name="job_id" value=fields.job_id options=options error=field_error(failure, "job_id") />
        <div class="field-row">
            <Field label="Date" name="date" kind="date" value=fields.date error=field_error(failure, "date") />
            <Field label="Start" name="start" kind="time" value=fields.start error=field_error(failure, "start") />
            <Field label="End" name="end" kind="time" value=fields.end error=field_error(failure, "end") />
        </div>
        <div class="field-row">
            <Field label="Or duration" name="duration" value=fields.duration error=field_error(failure, "duration")
                hint="Instead of an end time: 1:30 or 1.5 hours" placeholder="1:30" />
            <Field label="Break (minutes)" name="break_minutes" kind="number" value=fields.break_minutes
                error=field_error(failure, "break_minutes") placeholder="0" />
        </div>
        <TextAreaField label="What did you do?" name="description" value=fields.description rows=3
            error=field_error(failure, "description") maxlength=super::DESCRIPTION_MAX />
        <label class="checkbox">
            <input type="checkbox" name="billable" value="true" checked=fields.billable.get_untracked()
                prop:checked=move || fields.billable.get()
                on:change=move |ev| fields.billable.set(event_target_checked(&ev)) />
            <span>"Billable to the customer"</span>
        </label>
    }
}

/// A vertical bar chart (hours per day) drawn as SVG by the app.
#[component]
pub fn DayChart(bars: Vec<ChartBar>, title: &'static str) -> impl IntoView {
    let max = bars.iter().map(|b| b.minutes).max().unwrap_or(0).max(60);
    let n = bars.len().max(1) as f64;
    let (width, height, bottom) = (600.0, 180.0, 20.0);
    let slot = width / n;
    let total: i64 = bars.iter().map(|b| b.minutes).sum();
    let label = format!("{title}: {} hours in all", format_minutes(total));
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {width} {}", height + bottom) role="img" aria-label=label class="chart-svg">
                <line x1="0" x2=width y1=height y2=height class="chart-axis" />
                {bars.into_iter().enumerate().map(|(i, bar)| {
                    let h = bar.minutes as f64 / max as f64 * (height - 10.0);
                    let x = i as f64 * slot + slot * 0.15;
                    let show_label = i % 5 == 0 || n <= 12.0;
                    view! {
                        <g>
                            <rect class="chart-bar" x=x y=height - h width=slot * 0.7 height=h>
                                <title>{format!("{}: {} h", bar.label, format_minutes(bar.minutes))}</title>
                            </rect>
                            {show_label.then(|| view! {
                                <text class="chart-label" x=x + slot * 0.35 y=height + 14.0 text-anchor="middle">{bar.label.clone()}</text>
                            })}
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// Horizontal bars (hours per worker or per customer).
#[component]
pub fn RankChart(bars: Vec<ChartBar>, title: &'static str) -> impl IntoView {
    let max = bars.iter().map(|b| b.minutes).max().unwrap_or(0).max(1);
    let row = 26.0;
    let height = (bars.len().max(1) as f64) * row;
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            {if bars.is_empty() {
                view! { <p class="muted">"No hours yet."</p> }.into_any()
            } else {
                view! {
                    <svg viewBox=format!("0 0 420 {height}") role="img" aria-label=title class="chart-svg chart-rank">
                        {bars.into_iter().enumerate().map(|(i, bar)| {
                            let y = i as f64 * row;
                            let w = bar.minutes as f64 / max as f64 * 190.0;
                            view! {
                                <g>
                                    <text class="chart-label chart-label-left" x="0" y=y + 17.0>{short_label(&bar.label)}</text>
                                    <rect class="chart-bar" x="150" y=y + 4.0 width=w.max(1.0) height=row - 8.0>
                                        <title>{format!("{}: {} h", bar.label, format_minutes(bar.minutes))}</title>
                                    </rect>
                                    <text class="chart-label" x=156.0 + w y=y + 17.0>{format!("{} h", format_minutes(bar.minutes))}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }.into_any()
            }}
        </figure>
    }
}

/// A chart label that fits its column; the bar's tooltip has the full name.
fn short_label(label: &str) -> String {
    if label.chars().count() > 20 {
        format!("{}…", label.chars().take(19).collect::<String>())
    } else {
        label.to_string()
    }
}
