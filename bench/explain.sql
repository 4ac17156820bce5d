-- EXPLAIN (ANALYZE, BUFFERS) of the queries behind the benchmarked pages, run the
-- way the server runs them (bench/jobs.sh; see docs/PERFORMANCE.md):
--   * as fieldbook_app, inside a transaction with app.company_id set, so the
--     row-level security policies apply exactly as in the application;
--   * as prepared statements with bound parameters (sqlx prepares and caches every
--     query per connection), executed a few times first, so the plan shown is the one
--     a warm connection uses (PostgreSQL switches to a generic plan after five
--     executions when it judges it no worse);
--   * with the SQL text server/src/jobs/list.rs and server/src/jobs/mod.rs build : keep them in sync.
--
-- psql variables: company (uuid), status (uuid), pattern (the LIKE pattern, e.g. %chimney%),
-- job (uuid), outdir (where the explain-*.txt files go). Nothing is changed: it ends in rollback.

\set ON_ERROR_STOP on
\pset pager off
\pset format aligned
\pset tuples_only off
\pset footer off

begin;
set local role fieldbook_app;
select set_config('app.company_id', :'company', true) as company_set \gset

-- ── The job list filtered by status (list.rs: status filter, newest first, page of 50 + 1).
prepare list_by_status(uuid, bool, uuid, bigint) as
select j.id, j.title, j.customer_id, c.name as customer_name, w.name as worker_name,
       s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as status_kind,
       j.scheduled_at, j.is_archived, j.created_at
  from jobs j
  join customers c on c.company_id = j.company_id and c.id = j.customer_id
  join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
  left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
 where j.deleted_at is null and j.company_id = $1 and j.is_archived = $2 and j.status_id = $3 order by j.created_at desc, j.id desc limit $4;

-- ── The job list searched by title or customer name (list.rs: search, newest first).
prepare list_by_search(uuid, bool, uuid, text, text, uuid, text, bigint) as
select j.id, j.title, j.customer_id, c.name as customer_name, w.name as worker_name,
       s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as status_kind,
       j.scheduled_at, j.is_archived, j.created_at
  from jobs j
  join customers c on c.company_id = j.company_id and c.id = j.customer_id
  join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
  left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
 where j.deleted_at is null and j.company_id = $1 and j.is_archived = $2 and ((j.id = any(array(select job_id from job_search_terms where company_id = $3 and term >= $4 and term < $5))) or j.customer_id = any(array(select id from customers where company_id = $6 and lower(name) like $7))) order by j.created_at desc, j.id desc limit $8;

-- ── The job detail page (mod.rs load_detail, the pickers' job choices, history).
prepare detail_job(uuid, uuid, text, uuid) as
select j.id, j.title, j.description, j.scheduled_at, j.is_archived, j.version, j.created_at,
                  j.assigned_worker_id, w.name as "worker_name?",
                  c.id as customer_id, c.name as customer_name, c.email as customer_email, c.phone as customer_phone,
                  c.address as customer_address,
                  s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as "status_kind: StatusKind"
           from jobs j
           join customers c on c.company_id = j.company_id and c.id = j.customer_id
           join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
           left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
           where j.company_id = $1 and j.id = $2 and j.deleted_at is null
             and ($3 <> 'WORKER' or j.assigned_worker_id = $4)
             and ($3 <> 'CUSTOMER' or j.customer_id = (select customer_id from users where company_id = $1 and id = $4));

prepare detail_tasks(uuid, uuid) as
select t.id, t.title, t.position, t.is_completed, u.name as "completed_by_name?", t.completed_at
           from job_tasks t left join users u on u.company_id = t.company_id and u.id = t.completed_by
           where t.company_id = $1 and t.job_id = $2
           order by t.position, t.created_at;

prepare detail_notes(uuid, uuid, bool) as
select n.id, u.name as author_name, n.body, n.visibility as "visibility: NoteVisibility", n.created_at
           from job_notes n join users u on u.company_id = n.company_id and u.id = n.author_id
           where n.company_id = $1 and n.job_id = $2 and (not $3 or n.visibility = 'CUSTOMER')
           order by n.created_at;

prepare detail_statuses(uuid) as
select id, name, colour, kind as "kind: StatusKind" from job_statuses where company_id = $1
           order by order_index, id;

prepare detail_history(uuid, uuid) as
select a.action, a.before, a.after, a.created_at, u.name as "actor_name?"
           from audit_log a left join users u on u.company_id = a.company_id and u.id = a.actor_user_id
           where a.company_id = $1 and a.entity_type = 'job' and a.entity_id = $2
           order by a.created_at desc, a.id
           limit 200;

-- ── Both pages: the filter / assignment options (mod.rs form_options, customers part).
prepare options_customers(uuid) as
select id, name from customers where company_id = $1 and deactivated_at is null order by lower(name), id;

-- Warm-up: six executions each, output discarded.
\o /dev/null
execute list_by_status(:'company', false, :'status', 51);
execute list_by_status(:'company', false, :'status', 51);
execute list_by_status(:'company', false, :'status', 51);
execute list_by_status(:'company', false, :'status', 51);
execute list_by_status(:'company', false, :'status', 51);
execute list_by_status(:'company', false, :'status', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_job(:'company', :'job', 'ADMIN', null);
execute detail_tasks(:'company', :'job');
execute detail_tasks(:'company', :'job');
execute detail_tasks(:'company', :'job');
execute detail_tasks(:'company', :'job');
execute detail_tasks(:'company', :'job');
execute detail_tasks(:'company', :'job');
execute detail_notes(:'company', :'job', false);
execute detail_notes(:'company', :'job', false);
execute detail_notes(:'company', :'job', false);
execute detail_notes(:'company', :'job', false);
execute detail_notes(:'company', :'job', false);
execute detail_notes(:'company', :'job', false);
execute detail_statuses(:'company');
execute detail_statuses(:'company');
execute detail_statuses(:'company');
execute detail_statuses(:'company');
execute detail_statuses(:'company');
execute detail_statuses(:'company');
execute detail_history(:'company', :'job');
execute detail_history(:'company', :'job');
execute detail_history(:'company', :'job');
execute detail_history(:'company', :'job');
execute detail_history(:'company', :'job');
execute detail_history(:'company', :'job');
execute options_customers(:'company');
execute options_customers(:'company');
execute options_customers(:'company');
execute options_customers(:'company');
execute options_customers(:'company');
execute options_customers(:'company');

\set context '-- as fieldbook_app with app.company_id = ' :company ', prepared statements, plan after 6 executions'
\set file :outdir '/explain-list-status.txt'
\o :file
\set line '-- Job list filtered by status: /app/jobs?status=' :status
\qecho :line
\qecho :context
\qecho
explain (analyze, buffers) execute list_by_status(:'company', false, :'status', 51);

\set file :outdir '/explain-list-search.txt'
\o :file
\set line '-- Job list searched: /app/jobs?q=… (title word prefix ' :'word' ' or customer name like ' :'pattern' ')'
\qecho :line
\qecho :context
\qecho
explain (analyze, buffers) execute list_by_search(:'company', false, :'company', :'word', :'word' || chr(1114111), :'company', :'pattern', 51);

\set file :outdir '/explain-detail.txt'
\o :file
\set line '-- Job detail: /app/jobs/' :job
\qecho :line
\qecho :context
\qecho
\qecho '-- job, customer, status, worker (load_detail)'
explain (analyze, buffers) execute detail_job(:'company', :'job', 'ADMIN', null);
\qecho '-- tasks (load_detail)'
explain (analyze, buffers) execute detail_tasks(:'company', :'job');
\qecho '-- notes (load_detail)'
explain (analyze, buffers) execute detail_notes(:'company', :'job', false);
\qecho '-- pickers: statuses (jobs/choices)'
explain (analyze, buffers) execute detail_statuses(:'company');
\qecho '-- history (audit_log)'
explain (analyze, buffers) execute detail_history(:'company', :'job');
\qecho '-- customer options, on both pages (form_options)'
explain (analyze, buffers) execute options_customers(:'company');

\o
rollback;
