-- Seeds the time-tracking benchmark (bench/time.sh): for the company signed up as
-- :slug, 200 workers, 50 customers, 2 000 jobs (10 per worker) and 500 000 work logs,
-- 2 500 per worker spread over the last two years in four non-overlapping daily slots.
-- Statuses: 90 % approved, 5 % pending, 5 % declined. Runs as the owner (a superuser,
-- so row-level security does not apply to the seeding itself).

select id as company from companies where slug = :'slug' \gset
select id as status from job_statuses where company_id = :'company' order by order_index limit 1 \gset

insert into users (company_id, email, name, role, password_hash)
select :'company', format('worker%s@bench.example', lpad(g::text, 3, '0')), format('Worker %s', lpad(g::text, 3, '0')),
       'WORKER', 'not-a-login'
from generate_series(0, 199) g;

insert into customers (company_id, name)
select :'company', format('Customer %s', lpad(g::text, 2, '0')) from generate_series(0, 49) g;

create temp table bench_workers as
  select id, (row_number() over (order by email) - 1)::int as n from users where company_id = :'company' and role = 'WORKER';
create temp table bench_customers as
  select id, (row_number() over (order by name) - 1)::int as n from customers where company_id = :'company';

-- Job g belongs to worker g % 200 (so each worker has jobs j = g / 200 in 0..9) and
-- customer (g / 4) % 50.
insert into jobs (company_id, customer_id, assigned_worker_id, status_id, title)
select :'company', c.id, w.id, :'status', format('Job %s', g)
from generate_series(0, 1999) g
join bench_workers w on w.n = g % 200
join bench_customers c on c.n = (g / 4) % 50;

create temp table bench_jobs as
  select substr(title, 5)::int % 200 as wn, substr(title, 5)::int / 200 as j, id as job_id, customer_id,
         assigned_worker_id as worker_id
  from jobs where company_id = :'company';

-- Log k of a worker: day k * 730 / 2500 of the last two years (at least a day after log
-- k - 4, so the four daily slots never collide), slot k % 4, on the worker's job k % 10.
insert into work_logs (company_id, worker_id, job_id, customer_id, started_at, ended_at, description, billable,
                       status, submitted_at, decided_at, decline_reason)
select :'company', bj.worker_id, bj.job_id, bj.customer_id, s.start, s.start + make_interval(mins => s.minutes),
       format('Work item %s of worker %s: checked, fixed and cleaned up', k, n), k % 5 <> 0,
       s.status, s.start + interval '1 day',
       case when s.status <> 'PENDING' then s.start + interval '2 days' end,
       case when s.status = 'DECLINED' then 'Please log the travel time separately.' end
from generate_series(0, 199) n
cross join generate_series(0, 2499) k
cross join lateral (
  select ((current_date - 731 + (k * 730 / 2500))::timestamp
          + (array['08:00', '10:30', '13:30', '16:30'])[k % 4 + 1]::time) at time zone 'Europe/Berlin' as start,
         (array[120, 120, 150, 60])[k % 4 + 1] as minutes,
         (case (k * 7 + n) % 20 when 0 then 'DECLINED' when 1 then 'PENDING' else 'APPROVED' end)::work_log_status as status
) s
join bench_jobs bj on bj.wn = n and bj.j = k % 10;

vacuum analyze users, customers, jobs, work_logs;
