-- Time tracking: work logs (timers and manual entries) with customer approval,
-- contracts with hour budgets, and monthly sign-offs. Same tenancy rules as before:
-- company_id leads every key, composite foreign keys, forced row-level security.

-- Lets an exclusion constraint combine equality on uuids with range overlap.
create extension if not exists btree_gist;

-- Pending logs are approved automatically this many days after submission (null = never).
alter table companies add column auto_approve_days integer
  constraint companies_auto_approve_days_check check (auto_approve_days between 1 and 90);

-- A work log names its job's customer too (reports and approvals filter by customer);
-- this key lets the log's foreign key check that pair, and follow a job that moves
-- to another customer.
alter table jobs add constraint jobs_company_id_customer_key unique (company_id, id, customer_id);

create type work_log_status as enum ('DRAFT', 'PENDING', 'APPROVED', 'DECLINED');

create table work_logs (
  id               uuid not null default gen_random_uuid(),
  company_id       uuid not null,
  worker_id        uuid not null,
  job_id           uuid not null,
  customer_id      uuid not null,
  started_at       timestamptz not null,
  -- Null while the timer runs.
  ended_at         timestamptz,
  -- Set while a running timer is paused.
  paused_at        timestamptz,
  -- Pauses and breaks, subtracted from the span.
  break_seconds    integer not null default 0 constraint work_logs_break_check check (break_seconds >= 0),
  description      text not null default '' constraint work_logs_description_check check (length(description) <= 2000),
  billable         boolean not null default true,
  status           work_log_status not null default 'DRAFT',
  -- Bumped when an admin changes an approved log: the new revision needs approval again.
  revision         integer not null default 1,
  submitted_at     timestamptz,
  -- When a pending log is approved on its own (the company's setting at submission).
  auto_approve_at  timestamptz,
  decided_by       uuid,
  decided_at       timestamptz,
  -- Why the customer declined; kept until the log is resubmitted.
  decline_reason   text constraint work_logs_decline_reason_check check (length(decline_reason) between 1 and 1000),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint work_logs_pkey primary key (company_id, id),
  constraint work_logs_id_key unique (id),
  constraint work_logs_worker_fkey foreign key (company_id, worker_id) references users (company_id, id),
  constraint work_logs_job_fkey foreign key (company_id, job_id, customer_id)
    references jobs (company_id, id, customer_id) on update cascade,
  constraint work_logs_customer_fkey foreign key (company_id, customer_id) references customers (company_id, id),
  constraint work_logs_decided_by_fkey foreign key (company_id, decided_by) references users (company_id, id),
  constraint work_logs_span_check check (ended_at is null or ended_at > started_at),
  constraint work_logs_length_check check (ended_at is null or ended_at - started_at <= interval '24 hours'),
  constraint work_logs_break_fits_check check (
    ended_at is null or break_seconds < extract(epoch from ended_at - started_at)),
  constraint work_logs_paused_check check (paused_at is null or (ended_at is null and paused_at >= started_at)),
  constraint work_logs_running_draft_check check (ended_at is not null or status = 'DRAFT'),
  constraint work_logs_declined_check check ((status = 'DECLINED') = (decline_reason is not null)),
  -- One worker cannot be in two places at once. Half-open ranges: 09:00–10:00 and
  -- 10:00–11:00 touch but do not overlap; a running timer reaches to infinity.
  constraint work_logs_no_overlap exclude using gist (
    company_id with =,
    worker_id with =,
    tstzrange(started_at, coalesce(ended_at, 'infinity'), '[)') with &&
  )
);
-- At most one running timer per worker.
create unique index work_logs_one_running_idx on work_logs (company_id, worker_id) where ended_at is null;
create index work_logs_worker_started_idx on work_logs (company_id, worker_id, started_at desc);
create index work_logs_customer_started_idx on work_logs (company_id, customer_id, started_at);
create index work_logs_job_idx on work_logs (company_id, job_id, started_at);
create index work_logs_started_idx on work_logs (company_id, started_at);
create index work_logs_pending_idx on work_logs (company_id, customer_id, submitted_at) where status = 'PENDING';
create index work_logs_auto_approve_idx on work_logs (auto_approve_at) where status = 'PENDING';
create index work_logs_decided_by_idx on work_logs (company_id, decided_by) where decided_by is not null;
create trigger work_logs_updated_at before update on work_logs
  for each row execute function set_updated_at();

-- Net seconds worked: the span (to the pause, the end, or now while running) less breaks.
-- A plain SQL function, so the planner inlines it.
create function work_log_seconds(started_at timestamptz, ended_at timestamptz, paused_at timestamptz,
                                 break_seconds integer) returns bigint
  language sql stable parallel safe
  as $$ select greatest(0, floor(extract(epoch from coalesce(paused_at, ended_at, now()) - started_at))::bigint
                           - break_seconds) $$;

create type contract_period as enum ('MONTHLY', 'TOTAL');

-- An agreement between a worker and a customer: so many hours per month, or in total.
create table contracts (
  id              uuid not null default gen_random_uuid(),
  company_id      uuid not null,
  worker_id       uuid not null,
  customer_id     uuid not null,
  title           text not null constraint contracts_title_check check (length(title) between 1 and 120),
  budget_minutes  integer not null constraint contracts_budget_check check (budget_minutes between 1 and 1000000),
  period          contract_period not null,
  starts_on       date not null,
  ends_on         date,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint contracts_pkey primary key (company_id, id),
  constraint contracts_worker_fkey foreign key (company_id, worker_id) references users (company_id, id),
  constraint contracts_customer_fkey foreign key (company_id, customer_id) references customers (company_id, id),
  constraint contracts_dates_check check (ends_on is null or ends_on >= starts_on)
);
create index contracts_customer_idx on contracts (company_id, customer_id, worker_id);
create index contracts_worker_idx on contracts (company_id, worker_id);
create trigger contracts_updated_at before update on contracts
  for each row execute function set_updated_at();

-- A customer signs off a month of approved hours; that month's logs are locked until
-- an admin reopens it (reopened rows stay as history).
create table month_signoffs (
  id           uuid not null default gen_random_uuid(),
  company_id   uuid not null,
  customer_id  uuid not null,
  -- First day of the month, in the company's calendar.
  month        date not null constraint month_signoffs_month_check check (extract(day from month) = 1),
  signed_by    uuid not null,
  signed_at    timestamptz not null default now(),
  reopened_by  uuid,
  reopened_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint month_signoffs_pkey primary key (company_id, id),
  constraint month_signoffs_customer_fkey foreign key (company_id, customer_id) references customers (company_id, id),
  constraint month_signoffs_signed_by_fkey foreign key (company_id, signed_by) references users (company_id, id),
  constraint month_signoffs_reopened_by_fkey foreign key (company_id, reopened_by) references users (company_id, id),
  constraint month_signoffs_reopen_check check ((reopened_by is null) = (reopened_at is null))
);
create unique index month_signoffs_active_key on month_signoffs (company_id, customer_id, month) where reopened_at is null;
create index month_signoffs_signed_by_idx on month_signoffs (company_id, signed_by);
create trigger month_signoffs_updated_at before update on month_signoffs
  for each row execute function set_updated_at();

do $$
declare
  t text;
begin
  foreach t in array array['work_logs', 'contracts', 'month_signoffs'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()))',
      t || '_tenant', t);
  end loop;
end
$$;

grant select, insert, update, delete on work_logs, contracts, month_signoffs to fieldbook_app;

-- The auto-approval sweep runs without a signed-in user, so it cannot see companies
-- under row-level security. This function tells it which companies have pending logs
-- past their deadline (ids only); the sweep then works in each company's own tenant
-- transaction. It runs as its owner, who bypasses RLS only if it is a superuser or has
-- BYPASSRLS; the migration owner is expected to be one of those.
create function companies_with_due_approvals() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct company_id from work_logs where status = 'PENDING' and auto_approve_at <= now() $$;
revoke all on function companies_with_due_approvals() from public;
grant execute on function companies_with_due_approvals() to fieldbook_app;
