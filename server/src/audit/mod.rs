//! The audit log read back (writing it is `TenantTx::audit`, in the transaction of each
//! change): admins list their company's entries — filtered by person, record type,
//! action and dates, newest first, a page at a time by keyset — in the app, as CSV and
//! through the API.

pub mod backend;
mod changes;

pub use changes::changes;

use crate::auth::CurrentUser;
use crate::clock::{at_label, day_range};
use crate::db::TenantTx;
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::audit::{
    AuditChoice, AuditCursor, AuditEntry, AuditPage, AuditQuery, PersonFilter, ValidAuditQuery, AUDIT_PAGE_SIZE,
};
use app::auth::Role;
use app::error::AppError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// A query checked and put into the company's clock: the UTC bounds of its dates.
#[derive(Clone)]
pub struct AuditFilter {
    query: ValidAuditQuery,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    pub fn new(query: &AuditQuery, tz: Tz) -> Result<Self> {
        let query = query.validate().map_err(AppError::from)?;
        let since = query.from.map(|day| day_range(tz, day).0);
        let until = query.to.map(|day| day_range(tz, day).1);
        Ok(Self { query, since, until })
    }

    /// The same filter from the entry after `cursor` on.
    pub fn after(mut self, cursor: Option<AuditCursor>) -> Self {
        self.query.after = cursor;
        self
    }
}

/// Who may read the log: admins, with a verified address (it names every person).
pub fn require_reader(user: &CurrentUser) -> Result<()> {
    user.require(Role::Admin)?;
    user.ensure_verified()?;
    Ok(())
}

/// One page of entries (at most `limit`), newest first, and the cursor of the next.
pub async fn entries(
    tx: &mut TenantTx,
    tz: Tz,
    filter: &AuditFilter,
    limit: i64,
) -> Result<(Vec<AuditEntry>, Option<AuditCursor>)> {
    let q = &filter.query;
    let (person, system) = match q.person {
        PersonFilter::Anyone => (None, false),
        PersonFilter::User(id) => (Some(id), false),
        PersonFilter::System => (None, true),
    };
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"select a.id, a.created_at, a.actor_user_id, u.name as "actor_name?", k.name as "key_name?", a.action,
                  a.entity_type, a.entity_id, a.before, a.after
           from audit_log a
           left join users u on u.company_id = a.company_id and u.id = a.actor_user_id
           left join api_keys k on k.company_id = a.company_id and k.id = a.actor_api_key_id
           where a.company_id = $1
             and ($2::uuid is null or a.actor_user_id = $2)
             and (not $3 or (a.actor_user_id is null and a.actor_api_key_id is null))
             and ($4::text is null or a.entity_type = $4)
             and ($5::text is null or a.action = $5)
             and ($6::timestamptz is null or a.created_at >= $6)
             and ($7::timestamptz is null or a.created_at < $7)
             and ($8::timestamptz is null or (a.created_at, a.id) < ($8, $9::uuid))
           order by a.created_at desc, a.id desc
           limit $10"#,
        company_id,
        person,
        system,
        q.record.as_deref(),
        q.action.as_deref(),
        filter.since,
        filter.until,
        q.after.map(|c| c.at),
        q.after.map(|c| c.id),
        limit + 1,
    )
    .fetch_all(tx.conn())
    .await?;
    let more = rows.len() as i64 > limit;
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .take(limit as usize)
        .map(|row| AuditEntry {
            id: row.id,
            at: row.created_at,
            at_label: at_label(row.created_at, tz),
            actor_id: row.actor_user_id,
            actor: match (row.actor_user_id, row.actor_name, row.key_name) {
                (None, _, Some(key)) => format!("API key “{key}”"),
                (None, _, None) => "System".into(),
                (Some(_), Some(name), _) => name,
                (Some(_), None, _) => "A removed user".into(),
            },
            changes: changes(row.before.as_ref(), row.after.as_ref()),
            action: row.action,
            record: row.entity_type,
            record_id: row.entity_id,
        })
        .collect();
    let next = more.then(|| entries.last().map(|e| AuditCursor { at: e.at, id: e.id })).flatten();
    Ok((entries, next))
}

/// The record types and the actions in the company's log, each list found by skipping
/// through its index (one probe per distinct value rather than a read of every entry).
async fn record_types_and_actions(tx: &mut TenantTx) -> Result<(Vec<String>, Vec<String>)> {
    let company_id = tx.company_id();
    let rows = sqlx::query!(
        r#"with recursive
             records(value) as (
               (select entity_type from audit_log where company_id = $1 order by entity_type limit 1)
               union all
               select (select a.entity_type from audit_log a
                       where a.company_id = $1 and a.entity_type > records.value
                       order by a.entity_type limit 1)
               from records where records.value is not null),
             actions(value) as (
               (select action from audit_log where company_id = $1 order by action limit 1)
               union all
               select (select a.action from audit_log a
                       where a.company_id = $1 and a.action > actions.value
                       order by a.action limit 1)
               from actions where actions.value is not null)
           select true as "is_record!", value as "value!" from records where value is not null
           union all
           select false, value from actions where value is not null"#,
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let (records, actions): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| row.is_record);
    Ok((records.into_iter().map(|r| r.value).collect(), actions.into_iter().map(|r| r.value).collect()))
}

/// A page of the log with what its filters offer.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, user: &CurrentUser, query: AuditQuery) -> Result<AuditPage> {
    require_reader(user)?;
    let mut tx = TenantTx::begin(&state.pool, user).await?;
    let viewer = Viewer::load(&mut tx, user).await?;
    let filter = AuditFilter::new(&query, viewer.company_tz)?;
    let (entries, next) = self::entries(&mut tx, viewer.company_tz, &filter, AUDIT_PAGE_SIZE).await?;
    let company_id = tx.company_id();
    let people: Vec<(Uuid, String)> =
        sqlx::query!("select id, name from users where company_id = $1 order by lower(name), id", company_id)
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .map(|row| (row.id, row.name))
            .collect();
    let (records, actions) = record_types_and_actions(&mut tx).await?;
    tx.commit().await?;
    let mut choices: Vec<AuditChoice> =
        people.into_iter().map(|(id, name)| AuditChoice { value: id.to_string(), label: name }).collect();
    choices.push(AuditChoice { value: "system".into(), label: "System".into() });
    Ok(AuditPage { entries, next: next.map(|c| c.encode()), people: choices, records, actions })
}

/// A CSV field: quoted when it must be, and never read as a formula by a spreadsheet.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub const CSV_HEADER: &str = "time (UTC),time (company),who,action,record,record id,changes\r\n";

/// One entry as a CSV line; the changes as "field: before → after; …".
pub fn csv_line(entry: &AuditEntry) -> String {
    let changes = entry
        .changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, c.before.as_deref().unwrap_or("—"), c.after.as_deref().unwrap_or("—")))
        .collect::<Vec<_>>()
        .join("; ");
    let fields = [
        entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        entry.at_label.clone(),
        entry.actor.clone(),
        entry.action.clone(),
        entry.record.clone(),
        entry.record_id.map(|id| id.to_string()).unwrap_or_default(),
        changes,
    ];
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-5"), "'-5");
    }
}
