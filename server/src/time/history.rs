//! A work log's history from the audit log: viewer did what, and for edits, each
//! changed field before → after.

use crate::clock::at_label;
use crate::db::TenantTx;
use crate::error::Result;
use crate::viewer::Viewer;
use app::time::{format_minutes, LogEvent};
use serde_json::Value;
use uuid::Uuid;

fn text(value: Option<&Value>, key: &str) -> Option<String> {
    match value?.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "yes".into() } else { "no".into() }),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// "Duration: 2:00 → 2:30" for every field that differs.
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    const FIELDS: [(&str, &str); 7] = [
        ("job", "Job"),
        ("date", "Date"),
        ("time", "Time"),
        ("minutes", "Duration"),
        ("break_minutes", "Break (minutes)"),
        ("description", "Description"),
        ("billable", "Billable"),
    ];
    let shown = |value: Option<String>, key: &str| match (key, value) {
        ("minutes", Some(m)) => m.parse::<i64>().map(format_minutes).unwrap_or(m),
        (_, Some(v)) if v.is_empty() => "(empty)".into(),
        (_, Some(v)) => v,
        (_, None) => "(none)".into(),
    };
    FIELDS
        .into_iter()
        .filter_map(|(key, label)| {
            let (b, a) = (text(before, key), text(after, key));
            (b != a).then(|| format!("{label}: {} → {}", shown(b, key), shown(a, key)))
        })
        .collect()
}

fn describe(action: &str, after: Option<&Value>) -> String {
    match action {
        "work_log.created" => "Logged the time".into(),
        "work_log.timer_started" => "Started the timer".into(),
        "work_log.timer_paused" => "Paused the timer".into(),
        "work_log.timer_resumed" => "Resumed the timer".into(),
        "work_log.timer_stopped" => "Stopped the timer".into(),
        "work_log.updated" => "Changed the entry".into(),
        "work_log.revised" => format!(
            "Changed the approved entry: revision {} needs approval again",
            text(after, "revision").unwrap_or_else(|| "?".into())
        ),
        "work_log.submitted" => "Submitted for approval".into(),
        "work_log.approved" => "Approved".into(),
        "work_log.declined" => format!("Declined: “{}”", text(after, "reason").unwrap_or_default()),
        "work_log.auto_approved" => "Approved automatically after the approval deadline".into(),
        other => other.replace('_', " "),
    }
}

#[tracing::instrument(skip_all)]
pub async fn events(tx: &mut TenantTx, viewer: &Viewer, id: Uuid) -> Result<Vec<LogEvent>> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select a.action, a.before, a.after, a.created_at,
                  coalesce(u.name, 'API key “' || k.name || '”') as "actor_name?"
           from audit_log a left join users u on u.company_id = a.company_id and u.id = a.actor_user_id
           left join api_keys k on k.company_id = a.company_id and k.id = a.actor_api_key_id
           where a.company_id = $1 and a.entity_type = 'work_log' and a.entity_id = $2
           order by a.created_at, a.id"#,
        company_id,
        id
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let edit = matches!(r.action.as_str(), "work_log.updated" | "work_log.revised");
            LogEvent {
                at_label: at_label(r.created_at, viewer.tz),
                actor_name: r.actor_name,
                summary: describe(&r.action, r.after.as_ref()),
                changes: if edit { changes(r.before.as_ref(), r.after.as_ref()) } else { Vec::new() },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_list_each_changed_field() {
        let before = json!({ "minutes": 120, "description": "Pump", "billable": true, "job": "A" });
        let after = json!({ "minutes": 150, "description": "Pump and valve", "billable": true, "job": "A" });
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec!["Duration: 2:00 → 2:30".to_string(), "Description: Pump → Pump and valve".to_string()]
        );
    }
}
