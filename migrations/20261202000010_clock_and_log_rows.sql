-- One clock: a company or user timezone is always a name PostgreSQL knows, so no code
-- path has to guess one (a user without their own reads the company's).
create function is_timezone_name(name text) returns boolean
  language sql stable
  as $$ select exists(select 1 from pg_timezone_names z where z.name = $1) $$;

alter table companies add constraint companies_timezone_check check (is_timezone_name(timezone));
alter table users add constraint users_timezone_check check (timezone is null or is_timezone_name(timezone));

-- Every work-log listing reads this view: one row per log with the names the pages
-- show, its net seconds, and whether its month is signed off (by the company's
-- calendar). It runs with the caller's rights, so row-level security still applies.
create view work_log_rows with (security_invoker = true) as
  select l.company_id, l.id, l.job_id, j.title as job_title, l.customer_id, c.name as customer_name,
         l.worker_id, w.name as worker_name, l.started_at, l.ended_at, l.paused_at, l.break_seconds,
         work_log_seconds(l.started_at, l.ended_at, l.paused_at, l.break_seconds) as seconds,
         l.description, l.billable, l.status, l.revision, l.decline_reason,
         d.name as decided_by_name, l.decided_at, l.auto_approve_at,
         exists(select 1 from month_signoffs s
                where s.company_id = l.company_id and s.customer_id = l.customer_id and s.reopened_at is null
                  and s.month = date_trunc('month', l.started_at at time zone co.timezone)::date) as locked
  from work_logs l
  join companies co on co.id = l.company_id
  join jobs j on j.company_id = l.company_id and j.id = l.job_id
  join customers c on c.company_id = l.company_id and c.id = l.customer_id
  join users w on w.company_id = l.company_id and w.id = l.worker_id
  left join users d on d.company_id = l.company_id and d.id = l.decided_by;

grant select on work_log_rows to fieldbook_app;
