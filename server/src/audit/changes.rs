//! What an audit entry changed, field by field, from its two snapshots.

use app::audit::FieldChange;
use serde_json::Value;
use std::collections::BTreeSet;

/// Bookkeeping every row has; a change of these alone says nothing to a reader.
const IGNORED: [&str; 4] = ["company_id", "created_at", "updated_at", "version"];
/// Longest value shown; the rest is cut with "…".
const VALUE_MAX: usize = 200;

/// Values never shown, whatever the snapshot holds.
fn is_secret(field: &str) -> bool {
    ["password", "token", "secret", "hash"].iter().any(|word| field.contains(word))
}

fn shown(field: &str, value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::Null => return None,
        _ if is_secret(field) => return Some("(hidden)".into()),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > VALUE_MAX {
        Some(format!("{}…", text.chars().take(VALUE_MAX).collect::<String>()))
    } else {
        Some(text)
    }
}

/// The fields that differ between `before` and `after` (a creation lists what was set,
/// a deletion what was there), in field-name order.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let object = |value: Option<&Value>| value.and_then(Value::as_object).cloned();
    match (object(before), object(after)) {
        (None, None) if before.is_some() || after.is_some() => {
            let (before, after) = (shown("value", before), shown("value", after));
            if before == after {
                Vec::new()
            } else {
                vec![FieldChange { field: "value".into(), before, after }]
            }
        }
        (before, after) => {
            let empty = serde_json::Map::new();
            let (before, after) = (before.unwrap_or_else(|| empty.clone()), after.unwrap_or(empty));
            let fields: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            fields
                .into_iter()
                .filter(|field| !IGNORED.contains(&field.as_str()))
                .filter(|field| before.get(*field) != after.get(*field))
                .map(|field| FieldChange {
                    field: field.clone(),
                    before: shown(field, before.get(field)),
                    after: shown(field, after.get(field)),
                })
                .filter(|change| change.before != change.after || is_secret(&change.field))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange { field: field.into(), before: before.map(String::from), after: after.map(String::from) }
    }

    #[test]
    fn only_what_differs_is_listed_and_secrets_never_show() {
        let before = json!({ "title": "Gate", "status": "New", "version": 1, "hours": 2 });
        let after = json!({ "title": "Fix gate", "status": "New", "version": 2, "hours": 2.5, "password_hash": "x" });
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                change("hours", Some("2"), Some("2.5")),
                change("password_hash", None, Some("(hidden)")),
                change("title", Some("Gate"), Some("Fix gate")),
            ]
        );
        let created = changes(None, Some(&json!({ "name": "Miller", "email": null })));
        assert_eq!(created, vec![change("name", None, Some("Miller"))]);
        assert_eq!(changes(None, None), vec![]);
        let long = "x".repeat(500);
        let cut = changes(None, Some(&json!({ "note": long })));
        assert_eq!(cut[0].after.as_ref().unwrap().chars().count(), VALUE_MAX + 1);
    }
}
