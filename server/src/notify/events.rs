//! The business events that notify people: work logs submitted and decided, jobs
//! assigned. Each writes in-app notifications and queues emails (for those who
//! want that kind) inside the transaction of the change itself.

use super::outbox::{enqueue, Recipient};
use super::templates::EmailContent;
use super::{company_context, notify, Links};
use crate::db::TenantTx;
use crate::error::Result;
use app::notifications::EmailTopic;
use app::time::format_minutes;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

struct LogLine {
    id: Uuid,
    worker_id: Uuid,
    customer_id: Uuid,
    customer_name: String,
    job_title: String,
    started_at: DateTime<Utc>,
    seconds: i64,
    description: String,
}

async fn log_lines(tx: &mut TenantTx, ids: &[Uuid]) -> Result<Vec<LogLine>> {
    let company_id = tx.company_id();
    Ok(sqlx::query_as!(
        LogLine,
        r#"select l.id, l.worker_id, l.customer_id, c.name as customer_name, j.title as job_title, l.started_at,
                  work_log_seconds(l.started_at, l.ended_at, l.paused_at, l.break_seconds) as "seconds!",
                  l.description
           from work_logs l
           join jobs j on j.company_id = l.company_id and j.id = l.job_id
           join customers c on c.company_id = l.company_id and c.id = l.customer_id
           where l.company_id = $1 and l.id = any($2)
           order by l.started_at"#,
        company_id,
        ids
    )
    .fetch_all(tx.conn())
    .await?)
}

struct Person {
    id: Uuid,
    name: String,
    email: String,
    customer_id: Option<Uuid>,
    wants: bool,
}

/// An active user and whether they want email about `topic`.
async fn active_person(tx: &mut TenantTx, user_id: Uuid, topic: EmailTopic) -> Result<Option<Person>> {
    let company_id = tx.company_id();
    Ok(sqlx::query_as!(
        Person,
        r#"select id, name, email, customer_id,
                  case $3 when 'decided' then email_on_decided
                          when 'assigned' then email_on_assigned
                          else email_on_submitted end as "wants!"
           from users where company_id = $1 and id = $2 and deactivated_at is null"#,
        company_id,
        user_id,
        topic.key()
    )
    .fetch_optional(tx.conn())
    .await?)
}

async fn user_name(tx: &mut TenantTx, user_id: Uuid) -> Result<String> {
    let company_id = tx.company_id();
    Ok(sqlx::query_scalar!("select name from users where company_id = $1 and id = $2", company_id, user_id)
        .fetch_optional(tx.conn())
        .await?
        .unwrap_or_else(|| "Someone".into()))
}

fn total(lines: &[&LogLine]) -> String {
    format_minutes(lines.iter().map(|l| l.seconds).sum::<i64>() / 60)
}

fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

fn line_items(lines: &[&LogLine], tz: chrono_tz::Tz) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let mut line = format!(
                "{}: {} on {} ({})",
                crate::clock::date_label(l.started_at, tz),
                format_minutes(l.seconds / 60),
                l.job_title,
                l.customer_name
            );
            if !l.description.trim().is_empty() {
                line.push_str(&format!(" — {}", l.description.trim()));
            }
            line
        })
        .collect()
}

/// A worker submitted logs: the customer users of each log's customer and the
/// company's admins hear of it (one notification each, however many logs).
pub async fn work_logs_submitted(tx: &mut TenantTx, links: Links<'_>, worker_id: Uuid, ids: &[Uuid]) -> Result<()> {
    let lines = log_lines(tx, ids).await?;
    if lines.is_empty() {
        return Ok(());
    }
    let company = company_context(tx).await?;
    let worker = user_name(tx, worker_id).await?;
    let company_id = tx.company_id();
    let customers: Vec<Uuid> = lines.iter().map(|l| l.customer_id).collect();
    let people = sqlx::query_as!(
        Person,
        r#"select id, name, email, customer_id, email_on_submitted as wants from users
           where company_id = $1 and deactivated_at is null and id <> $3
             and (role = 'ADMIN' or (role = 'CUSTOMER' and customer_id = any($2)))"#,
        company_id,
        &customers,
        worker_id
    )
    .fetch_all(tx.conn())
    .await?;
    for person in people {
        let mine: Vec<&LogLine> =
            lines.iter().filter(|l| person.customer_id.is_none_or(|c| c == l.customer_id)).collect();
        if mine.is_empty() {
            continue;
        }
        let title = format!("{worker} submitted {} for approval", entries(mine.len()));
        let body = format!("{} in all. {}", total(&mine), line_items(&mine, company.tz).join("; "));
        notify(tx, person.id, "work_log.submitted", &title, &body, "/app/approvals").await?;
        if person.wants {
            let content = EmailContent {
                subject: format!("{worker} submitted {} of work for approval", total(&mine)),
                company: company.name.clone(),
                greeting: format!("Hello {},", person.name),
                paragraphs: vec![format!(
                    "{worker} submitted {} ({} in all) for approval:",
                    entries(mine.len()),
                    total(&mine)
                )],
                items: line_items(&mine, company.tz),
                action: Some(("Review and approve".into(), links.url("/app/approvals"))),
                reason: "You get this email because you approve time at this company.".into(),
                unsubscribe_url: Some(links.unsubscribe(person.id, company_id, EmailTopic::Submitted)),
            };
            let to = Recipient { user_id: Some(person.id), email: person.email.clone() };
            enqueue(tx, "work_log.submitted", &to, &content).await?;
        }
    }
    Ok(())
}

/// Logs were approved or declined: each worker hears of theirs, with the reason.
pub async fn work_logs_decided(
    tx: &mut TenantTx,
    links: Links<'_>,
    decider_id: Uuid,
    ids: &[Uuid],
    approved: bool,
    reason: Option<&str>,
) -> Result<()> {
    let lines = log_lines(tx, ids).await?;
    if lines.is_empty() {
        return Ok(());
    }
    let company = company_context(tx).await?;
    let decider = user_name(tx, decider_id).await?;
    let company_id = tx.company_id();
    let mut by_worker: BTreeMap<Uuid, Vec<&LogLine>> = BTreeMap::new();
    for line in &lines {
        by_worker.entry(line.worker_id).or_default().push(line);
    }
    let verb = if approved { "approved" } else { "declined" };
    for (worker_id, mine) in by_worker {
        let Some(person) = active_person(tx, worker_id, EmailTopic::Decided).await? else { continue };
        let link = match mine.as_slice() {
            [one] => format!("/app/time/{}", one.id),
            _ => "/app/time".to_string(),
        };
        let title = format!("{decider} {verb} {} of your time", entries(mine.len()));
        let mut body = line_items(&mine, company.tz).join("; ");
        if let Some(reason) = reason {
            body = format!("Reason: {reason}. {body}");
        }
        let kind = if approved { "work_log.approved" } else { "work_log.declined" };
        notify(tx, person.id, kind, &title, &body, &link).await?;
        if person.wants {
            let mut paragraphs = vec![format!("{decider} {verb} {} ({}):", entries(mine.len()), total(&mine))];
            if let Some(reason) = reason {
                paragraphs.push(format!("Their reason: “{reason}”"));
            }
            let action = if approved { "See your time" } else { "Correct and submit again" };
            let content = EmailContent {
                subject: format!("Your time was {verb}: {}", total(&mine)),
                company: company.name.clone(),
                greeting: format!("Hello {},", person.name),
                paragraphs,
                items: line_items(&mine, company.tz),
                action: Some((action.into(), links.url(&link))),
                reason: "You get this email when time you submitted is approved or declined.".into(),
                unsubscribe_url: Some(links.unsubscribe(person.id, company_id, EmailTopic::Decided)),
            };
            let to = Recipient { user_id: Some(person.id), email: person.email.clone() };
            enqueue(tx, kind, &to, &content).await?;
        }
    }
    Ok(())
}

/// A job was assigned (or reassigned) to `worker_id`.
pub async fn job_assigned(tx: &mut TenantTx, links: Links<'_>, job_id: Uuid, worker_id: Uuid) -> Result<()> {
    let company = company_context(tx).await?;
    let company_id = tx.company_id();
    let job = sqlx::query!(
        "select j.title, j.scheduled_at, c.name as customer_name from jobs j
         join customers c on c.company_id = j.company_id and c.id = j.customer_id
         where j.company_id = $1 and j.id = $2",
        company_id,
        job_id
    )
    .fetch_one(tx.conn())
    .await?;
    let Some(person) = active_person(tx, worker_id, EmailTopic::Assigned).await? else { return Ok(()) };
    let link = format!("/app/jobs/{job_id}");
    let when = job
        .scheduled_at
        .map(|at| format!("Scheduled for {}.", crate::clock::schedule_label(at, company.tz)))
        .unwrap_or_else(|| "Not scheduled yet.".into());
    let title = format!("You were assigned to “{}”", job.title);
    let body = format!("For {}. {when}", job.customer_name);
    notify(tx, person.id, "job.assigned", &title, &body, &link).await?;
    if person.wants {
        let content = EmailContent {
            subject: format!("New job for you: {}", job.title),
            company: company.name.clone(),
            greeting: format!("Hello {},", person.name),
            paragraphs: vec![format!("You were assigned to “{}” for {}.", job.title, job.customer_name), when],
            items: Vec::new(),
            action: Some(("Open the job".into(), links.url(&link))),
            reason: "You get this email when a job is assigned to you.".into(),
            unsubscribe_url: Some(links.unsubscribe(person.id, company_id, EmailTopic::Assigned)),
        };
        let to = Recipient { user_id: Some(person.id), email: person.email.clone() };
        enqueue(tx, "job.assigned", &to, &content).await?;
    }
    Ok(())
}
