//! A job's history, read back from the audit log and put into words.

use crate::auth::CurrentUser;
use crate::clock::at_label;
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::jobs::HistoryEntry;
use serde_json::Value;
use uuid::Uuid;

fn text(value: Option<&Value>, key: &str) -> Option<String> {
    value?.get(key)?.as_str().map(str::to_string)
}

/// What changed between two snapshots of a job, by field label.
fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Vec<&'static str> {
    const FIELDS: [(&str, &str); 7] = [
        ("title", "title"),
        ("description", "description"),
        ("customer_id", "customer"),
        ("worker_id", "worker"),
        ("status_id", "status"),
        ("scheduled_at", "schedule"),
        ("is_archived", "archived"),
    ];
    FIELDS
        .into_iter()
        .filter(|(key, _)| before.and_then(|b| b.get(key)) != after.and_then(|a| a.get(key)))
        .map(|(_, label)| label)
        .collect()
}

/// One audit row in words, e.g. "Moved from New to Done".
pub fn describe(action: &str, before: Option<&Value>, after: Option<&Value>) -> String {
    let quoted = |key: &str| text(after, key).map(|t| format!("“{t}”")).unwrap_or_default();
    match action {
        "job.created" => format!("Created the job {}", quoted("title")),
        "job.updated" => match changed_fields(before, after).as_slice() {
            [] => "Saved the job without changes".into(),
            fields => format!("Edited the {}", fields.join(", ")),
        },
        "job.status_changed" => format!(
            "Moved from {} to {}",
            text(before, "status").unwrap_or_else(|| "?".into()),
            text(after, "status").unwrap_or_else(|| "?".into())
        ),
        "job.worker_assigned" => match text(after, "worker") {
            Some(name) => format!("Assigned to {name}"),
            None => "Removed the assigned worker".into(),
        },
        "job.archived" => "Archived the job".into(),
        "job.restored" => "Restored the job from the archive".into(),
        "job.task_added" => format!("Added the task {}", quoted("title")),
        "job.task_edited" => format!("Renamed a task to {}", quoted("title")),
        "job.task_deleted" => {
            format!("Deleted the task {}", text(before, "title").map(|t| format!("“{t}”")).unwrap_or_default())
        }
        "job.tasks_reordered" => "Reordered the tasks".into(),
        "job.task_completed" => format!("Ticked {}", quoted("title")),
        "job.task_reopened" => format!("Unticked {}", quoted("title")),
        "job.note_added" => match text(after, "visibility").as_deref() {
            Some("CUSTOMER") => "Added a note for the customer".into(),
            _ => "Added an internal note".into(),
        },
        "job.share_link_created" => "Created a share link".into(),
        "job.share_link_revoked" => "Revoked a share link".into(),
        other => other.trim_start_matches("job.").replace('_', " "),
    }
    .trim()
    .to_string()
}

/// The job's history, newest first (admins only; at most the latest 200 entries).
#[tracing::instrument(skip_all)]
pub async fn history(state: &AppState, admin: &CurrentUser, job_id: Uuid) -> Result<Vec<HistoryEntry>> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let company_id = tx.company_id();
    let exists = sqlx::query_scalar!(
        r#"select exists(select 1 from jobs where company_id = $1 and id = $2 and deleted_at is null) as "exists!""#,
        company_id,
        job_id
    )
    .fetch_one(tx.conn())
    .await?;
    if !exists {
        return Err(AppError::NotFound.into());
    }
    let tz = viewer.tz;
    let rows = sqlx::query!(
        r#"select a.action, a.before, a.after, a.created_at,
                  coalesce(u.name, 'API key “' || k.name || '”') as "actor_name?"
           from audit_log a left join users u on u.company_id = a.company_id and u.id = a.actor_user_id
           left join api_keys k on k.company_id = a.company_id and k.id = a.actor_api_key_id
           where a.company_id = $1 and a.entity_type = 'job' and a.entity_id = $2
           order by a.created_at desc, a.id
           limit 200"#,
        company_id,
        job_id
    )
    .fetch_all(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| HistoryEntry {
            at: row.created_at,
            at_label: at_label(row.created_at, tz),
            actor_name: row.actor_name,
            summary: describe(&row.action, row.before.as_ref(), row.after.as_ref()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::describe;
    use serde_json::json;

    #[test]
    fn audit_rows_read_as_sentences() {
        let before = json!({ "title": "Gate", "status_id": 1, "status": "New" });
        let after = json!({ "title": "Fix gate", "status_id": 2, "status": "Done" });
        assert_eq!(describe("job.updated", Some(&before), Some(&after)), "Edited the title, status");
        assert_eq!(describe("job.status_changed", Some(&before), Some(&after)), "Moved from New to Done");
        assert_eq!(
            describe("job.task_completed", None, Some(&json!({ "title": "Oil hinges" }))),
            "Ticked “Oil hinges”"
        );
        assert_eq!(
            describe("job.worker_assigned", None, Some(&json!({ "worker": null }))),
            "Removed the assigned worker"
        );
    }
}
