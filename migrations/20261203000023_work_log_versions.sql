-- Work logs get a row version, so API clients can update them with If-Match like jobs
-- and customers. Every change bumps it, whichever path makes it (edits, timer pauses,
-- submissions, decisions), so a trigger keeps it rather than each statement.
alter table work_logs add column version integer not null default 1;

create function bump_row_version() returns trigger
  language plpgsql
  as $$ begin new.version := old.version + 1; return new; end $$;

create trigger work_logs_version before update on work_logs
  for each row execute function bump_row_version();

-- The listing view shows the version too (a new last column keeps the view replaceable).
create or replace view work_log_rows with (security_invoker = true) as
  select l.company_id, l.id, l.job_id, j.title as job_title, l.customer_id, c.name as customer_name,
         l.worker_id, w.name as worker_name, l.started_at, l.ended_at, l.paused_at, l.break_seconds,
         work_log_seconds(l.started_at, l.ended_at, l.paused_at, l.break_seconds) as seconds,
         l.description, l.billable, l.status, l.revision, l.decline_reason,
         d.name as decided_by_name, l.decided_at, l.auto_approve_at,
         exists(select 1 from month_signoffs s
                where s.company_id = l.company_id and s.customer_id = l.customer_id and s.reopened_at is null
                  and s.month = date_trunc('month', l.started_at at time zone co.timezone)::date) as locked,
         l.version
  from work_logs l
  join companies co on co.id = l.company_id
  join jobs j on j.company_id = l.company_id and j.id = l.job_id
  join customers c on c.company_id = l.company_id and c.id = l.customer_id
  join users w on w.company_id = l.company_id and w.id = l.worker_id
  left join users d on d.company_id = l.company_id and d.id = l.decided_by;
