-- Benchmark data for the jobs pages (run by bench/jobs.sh; see docs/PERFORMANCE.md).
--
-- Expects a migrated database in which the big company has already signed up through
-- the application (so its admin has a real Argon2id hash and its default statuses).
-- Adds to it workers, customers and jobs with tasks, notes and history, then creates
-- the other companies (admin, default statuses, workers, customers, jobs) directly.
--
-- psql variables (all optional):
--   big_slug         the signed-up company                      (bench)
--   big_jobs         its jobs                                   (100000)
--   big_customers    its customers                              (1000)
--   big_workers      its field workers                          (50)
--   other_companies  companies besides it                       (50)
--   other_jobs       jobs of each other company                 (2000)
--   tasks_per_job    average checklist length (1 … 2n-1 tasks)  (3)
--
-- Row-level security is forced on every tenant table, so each company's rows are
-- written with app.company_id set to that company, exactly as the application does;
-- the script therefore works for an owner that is not a superuser, too.
-- The random choices are seeded, so two runs produce the same distribution.

\set ON_ERROR_STOP on
\if :{?big_slug} \else \set big_slug bench \endif
\if :{?big_jobs} \else \set big_jobs 100000 \endif
\if :{?big_customers} \else \set big_customers 1000 \endif
\if :{?big_workers} \else \set big_workers 50 \endif
\if :{?other_companies} \else \set other_companies 50 \endif
\if :{?other_jobs} \else \set other_jobs 2000 \endif
\if :{?tasks_per_job} \else \set tasks_per_job 3 \endif

begin;

select setseed(0.20261121);

-- Fills one company: workers, customers, jobs (with tasks, notes and audit history).
-- p_admin authors the history and the notes of unassigned jobs.
create function pg_temp.bench_fill(
  p_company uuid, p_admin uuid, p_hash text, p_domain text,
  p_customers int, p_workers int, p_jobs int, p_tasks int
) returns void
language plpgsql
as $fn$
declare
  first_names text[] := array[
    'Anna', 'Ben', 'Carla', 'David', 'Eva', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas',
    'Karin', 'Liam', 'Maya', 'Noah', 'Olga', 'Paul', 'Quinn', 'Rosa', 'Sam', 'Tara',
    'Umar', 'Vera', 'Walter', 'Xenia', 'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Conor', 'Dana',
    'Emil', 'Fatima', 'Georg', 'Hanna', 'Igor', 'Julia', 'Kofi', 'Lena', 'Marek', 'Nora'];
  last_names text[] := array[
    'Meyer', 'Schmidt', 'Jensen', 'Novak', 'Keller', 'Brandt', 'Okafor', 'Rossi', 'Garcia', 'Smith',
    'Kowalski', 'Dubois', 'Larsen', 'Murphy', 'Silva', 'Yilmaz', 'Nguyen', 'Fischer', 'Weber', 'Hansen',
    'Berg', 'Costa', 'Doyle', 'Evans', 'Fontaine', 'Gruber', 'Horvat', 'Ivanova', 'Jovanovic', 'Kaya',
    'Lambert', 'Moreau', 'Nielsen', 'Olsen', 'Petrov', 'Quinlan', 'Richter', 'Sousa', 'Tanaka', 'Vogel'];
  trades text[] := array[
    'Bakery', 'Cafe', 'Dental Practice', 'Veterinary Clinic', 'Hotel', 'Pharmacy', 'Gym',
    'Primary School', 'Library', 'Surgery', 'Pub', 'Restaurant', 'Garage', 'Office Park',
    'Community Hall', 'Nursery', 'Hair Salon', 'Florist', 'Bookshop', 'Deli', 'Care Home',
    'Sports Club', 'Brewery', 'Print Shop', 'Laundrette'];
  streets text[] := array[
    'High Street', 'Mill Lane', 'Station Road', 'Church Street', 'Park Avenue', 'Harbour Road',
    'Oak Close', 'Market Square', 'Bridge Street', 'Kings Road', 'Orchard Way', 'Victoria Terrace'];
  towns text[] := array[
    'Northwick', 'Eastbury', 'Southport', 'Westford', 'Ashby', 'Brookfield', 'Claymore', 'Dunmore'];
  -- Each object appears in about 1 % of the titles; "chimney" is the benchmark's search
  -- term, so it must not occur in any other word, place or customer name.
  actions text[] := array[
    'Replace', 'Repair', 'Install', 'Service', 'Inspect', 'Paint', 'Clean', 'Fix', 'Check',
    'Upgrade', 'Remove', 'Fit', 'Seal', 'Patch', 'Test', 'Quote for', 'Maintain', 'Unblock',
    'Rewire', 'Regrout', 'Assemble', 'Adjust', 'Descale', 'Survey', 'Secure'];
  objects text[] := array[
    'boiler', 'radiator', 'kitchen tap', 'bathroom sink', 'shower head', 'garden fence',
    'gate hinges', 'roof tiles', 'gutter', 'downpipe', 'chimney', 'skylight', 'front door',
    'back door', 'door lock', 'window frame', 'sash window', 'letterbox', 'doorbell', 'intercom',
    'smoke alarm', 'carbon monoxide alarm', 'fuse box', 'light fittings', 'ceiling fan',
    'extractor fan', 'cooker hood', 'oven', 'dishwasher', 'washing machine', 'tumble dryer',
    'fridge seal', 'water heater', 'heat pump', 'air conditioning unit', 'thermostat',
    'underfloor heating', 'towel rail', 'toilet cistern', 'shower tray', 'bath panel',
    'tiles around the bath', 'kitchen worktop', 'cupboard doors', 'shelving', 'wardrobe',
    'loft hatch', 'loft insulation', 'damp patch', 'mould in the bathroom', 'leaking pipe',
    'outside tap', 'drainage', 'manhole cover', 'patio', 'decking', 'garden shed', 'greenhouse',
    'garage door', 'driveway', 'paving slabs', 'retaining wall', 'hedge', 'lawn', 'tree stump',
    'security light', 'CCTV camera', 'alarm panel', 'wifi access point', 'network cabling',
    'sockets in the hall', 'spotlights', 'stair carpet', 'banister', 'skirting boards',
    'laminate floor', 'vinyl floor', 'wall cracks', 'plasterwork', 'ceiling stain',
    'window sills', 'conservatory roof', 'fascia boards', 'soffits', 'flat roof', 'roof valley',
    'solar panels', 'EV charger', 'water softener', 'pressure valve', 'expansion vessel',
    'meter cupboard', 'bin store', 'bike shelter', 'fire door', 'emergency lighting',
    'accessible ramp', 'handrail', 'reception desk', 'display cabinet'];
  places text[] := array[
    'upstairs', 'downstairs', 'back garden', 'front garden', 'kitchen', 'main bathroom',
    'en suite', 'utility room', 'attic', 'basement', 'unit 4', 'flat 2', 'rear entrance',
    'staff room', 'shop floor', 'east wing', 'car park', 'second floor', 'annexe', 'stairwell'];
  descriptions text[] := array[
    'Customer reports the problem started last week. Access via the side gate; ring before arriving.',
    'Follow-up to the previous visit. Bring spare parts and the long ladder.',
    'Tenant is home in the mornings only. Keys are with the neighbour at number 12.',
    'Quote approved by phone. Materials ordered; check delivery before going out.',
    'Annual service as per the maintenance contract. Leave the certificate with reception.',
    'Urgent: water coming through the ceiling. Isolate the supply first, then assess the damage and take photos for the insurer.',
    'Small job, should take under an hour. Park in the visitor bay and sign in at the front desk.',
    'Part of the spring refurbishment. Coordinate with the decorators who are on site the same week.'];
  task_titles text[] := array[
    'Confirm the appointment with the customer', 'Isolate the power', 'Isolate the water supply',
    'Take before photos', 'Take after photos', 'Remove the old part', 'Fit the new part',
    'Test and check for leaks', 'Clean up the work area', 'Explain the work to the customer',
    'Get the customer''s signature', 'Order materials', 'Measure up', 'Check the warranty',
    'Dispose of waste', 'Update the service sticker'];
  note_bodies text[] := array[
    'Arrived on site, customer was expecting us.',
    'Needed a second part; ordered it, back on Thursday.',
    'All done, tested twice. Customer happy.',
    'No access today: nobody home. Left a card.',
    'Found corrosion on the fittings, recommend replacing next year.',
    'Customer asked for a quote for extra work in the garden.'];
  customer_ids uuid[];
  worker_ids uuid[];
  st_new uuid;
  st_scheduled uuid;
  st_progress uuid;
  st_done uuid;
  n_workers int;
begin
  perform set_config('app.company_id', p_company::text, true);

  -- The default statuses (the sign-up creates them): New, Scheduled, In progress, Done.
  select id into strict st_new from job_statuses
   where company_id = p_company and kind = 'OPEN' order by order_index, id limit 1;
  select coalesce((select id from job_statuses where company_id = p_company and kind = 'OPEN'
                    order by order_index, id offset 1 limit 1), st_new) into st_scheduled;
  select coalesce((select id from job_statuses where company_id = p_company and kind = 'IN_PROGRESS'
                    order by order_index, id limit 1), st_new) into st_progress;
  select coalesce((select id from job_statuses where company_id = p_company and kind = 'DONE'
                    order by order_index, id limit 1), st_new) into st_done;

  insert into users (company_id, email, name, role, password_hash, email_verified_at, created_at, updated_at)
  select p_company, format('worker%s@%s', g, p_domain),
         first_names[1 + (g * 7) % cardinality(first_names)] || ' ' || last_names[1 + (g * 13) % cardinality(last_names)],
         'WORKER', p_hash, now() - interval '400 days', now() - interval '400 days', now() - interval '400 days'
    from generate_series(1, p_workers) g;

  insert into customers (company_id, name, email, phone, address, deactivated_at, created_at, updated_at)
  select p_company,
         case when g % 3 = 0
              then last_names[1 + (g * 11) % cardinality(last_names)] || ' ' || trades[1 + (g * 3) % cardinality(trades)]
              else first_names[1 + (g * 17) % cardinality(first_names)] || ' ' || last_names[1 + (g * 29) % cardinality(last_names)] end
           || case when g > 200 then ' (' || towns[1 + g % cardinality(towns)] || ')' else '' end,
         case when g % 4 <> 0 then lower(format('%s.%s%s@example.net',
              first_names[1 + (g * 17) % cardinality(first_names)], last_names[1 + (g * 29) % cardinality(last_names)], g)) end,
         case when g % 5 <> 0 then format('+44 20 %s %s', 7000 + g % 3000, lpad((g * 37 % 10000)::text, 4, '0')) end,
         case when g % 6 <> 0 then format('%s %s, %s', 1 + g % 180, streets[1 + g % cardinality(streets)], towns[1 + (g / 12) % cardinality(towns)]) end,
         case when g % 50 = 0 then now() - interval '30 days' end,
         now() - interval '400 days' + g * interval '5 minutes',
         now() - interval '400 days' + g * interval '5 minutes'
    from generate_series(1, p_customers) g;

  select array_agg(id order by created_at, id) into customer_ids
    from customers where company_id = p_company and deactivated_at is null;
  select array_agg(id order by email) into worker_ids
    from users where company_id = p_company and role = 'WORKER';
  n_workers := coalesce(array_length(worker_ids, 1), 0);

  -- Jobs created evenly over the last year (newest last), scheduled 1–45 days after
  -- creation during working hours (10 % unscheduled); the status follows the schedule.
  insert into jobs (company_id, customer_id, assigned_worker_id, status_id, title, description,
                    scheduled_at, is_archived, deleted_at, version, created_at, updated_at)
  select p_company, s.customer_id,
         case when n_workers = 0 or (s.status_id = st_new and s.r_worker < 0.7) or s.r_worker < 0.05 then null
              else worker_ids[1 + floor(random() * n_workers)::int] end,
         s.status_id, s.title, s.description, s.scheduled_at,
         s.status_id = st_done and s.created_at < now() - interval '90 days' and s.r_archive < 0.15,
         case when s.r_archive > 0.995 then s.created_at + interval '1 day' end,
         1 + floor(random() * 3)::int,
         s.created_at,
         least(now(), greatest(s.created_at, coalesce(s.scheduled_at, s.created_at)))
    from (
      select b.*,
             case
               when b.scheduled_at is null then st_new
               when b.scheduled_at > now() then case when b.r_status < 0.8 then st_scheduled else st_new end
               when b.scheduled_at > now() - interval '7 days' then case when b.r_status < 0.6 then st_progress else st_done end
               else case when b.r_status < 0.03 then st_progress when b.r_status < 0.05 then st_new else st_done end
             end as status_id
        from (
          select c.*,
                 case when random() < 0.1 then null
                      else date_trunc('day', c.created_at + (1 + floor(random() * 45)) * interval '1 day')
                           + (7 + floor(random() * 10)) * interval '1 hour'
                           + floor(random() * 4) * interval '15 minutes' end as scheduled_at
            from (
              select g,
                     now() - interval '365 days' * ((p_jobs - g)::float8 / p_jobs)
                       - random() * (interval '365 days' / p_jobs) as created_at,
                     customer_ids[1 + floor(random() * array_length(customer_ids, 1))::int] as customer_id,
                     actions[1 + floor(random() * cardinality(actions))::int] || ' ' || objects[1 + floor(random() * cardinality(objects))::int]
                       || case when random() < 0.4 then ' – ' || places[1 + floor(random() * cardinality(places))::int] else '' end
                       as title,
                     case when random() < 0.2 then '' else descriptions[1 + floor(random() * cardinality(descriptions))::int] end as description,
                     random() as r_status, random() as r_worker, random() as r_archive
                from generate_series(1, p_jobs) g
            ) c
        ) b
    ) s;

  -- Checklists: 1 … 2n-1 tasks per job (n on average), ticked on finished jobs.
  insert into job_tasks (company_id, job_id, title, position, is_completed, completed_by, completed_at,
                         created_at, updated_at)
  select j.company_id, j.id, task_titles[1 + (p + get_byte(uuid_send(j.id), 1)) % cardinality(task_titles)], p,
         d.done,
         case when d.done then coalesce(j.assigned_worker_id, p_admin) end,
         case when d.done then coalesce(j.scheduled_at, j.created_at) + p * interval '20 minutes' end,
         j.created_at,
         case when d.done then coalesce(j.scheduled_at, j.created_at) + p * interval '20 minutes' else j.created_at end
    from jobs j
    cross join lateral generate_series(1, 1 + get_byte(uuid_send(j.id), 0) % greatest(2 * p_tasks - 1, 1)) p
    cross join lateral (select j.status_id = st_done or (j.status_id = st_progress and p <= 2) as done) d
   where j.company_id = p_company;

  -- Notes on about a quarter of the jobs.
  insert into job_notes (company_id, job_id, author_id, body, visibility, created_at, updated_at)
  select j.company_id, j.id, coalesce(j.assigned_worker_id, p_admin),
         note_bodies[1 + (n + get_byte(uuid_send(j.id), 4)) % cardinality(note_bodies)],
         case when get_byte(uuid_send(j.id), 5) < 80 then 'CUSTOMER' else 'INTERNAL' end::note_visibility,
         j.created_at + n * interval '1 day', j.created_at + n * interval '1 day'
    from jobs j
    cross join lateral generate_series(1, 1 + get_byte(uuid_send(j.id), 2) % 2) n
   where j.company_id = p_company and get_byte(uuid_send(j.id), 3) < 64;

  -- History: every job was created (as New), and those no longer New moved since.
  insert into audit_log (company_id, actor_user_id, action, entity_type, entity_id, before, after,
                         created_at, updated_at)
  select j.company_id, p_admin, 'job.created', 'job', j.id, null,
         jsonb_build_object('title', j.title, 'description', j.description, 'customer_id', j.customer_id,
                            'worker_id', j.assigned_worker_id, 'status', 'New', 'status_id', st_new,
                            'scheduled_at', j.scheduled_at, 'is_archived', false),
         j.created_at, j.created_at
    from jobs j
   where j.company_id = p_company
  union all
  select j.company_id, coalesce(j.assigned_worker_id, p_admin), 'job.status_changed', 'job', j.id,
         jsonb_build_object('status', 'New', 'status_id', st_new),
         jsonb_build_object('status', s.name, 'status_id', s.id),
         j.updated_at, j.updated_at
    from jobs j join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
   where j.company_id = p_company and j.status_id <> st_new;
end
$fn$;

-- Creates one more company as the sign-up does (company, admin, default statuses), then fills it.
create function pg_temp.bench_company(
  p_index int, p_hash text, p_customers int, p_workers int, p_jobs int, p_tasks int
) returns void
language plpgsql
as $fn$
declare
  zones text[] := array['Europe/London', 'Europe/Berlin', 'Europe/Madrid', 'America/New_York',
                        'America/Chicago', 'Australia/Sydney', 'Asia/Singapore', 'UTC'];
  company uuid := gen_random_uuid();
  slug text := format('bench-co-%s', lpad(p_index::text, 2, '0'));
  admin uuid;
begin
  perform set_config('app.company_id', company::text, true);
  insert into companies (id, name, slug, timezone, created_at, updated_at)
  values (company, format('Benchmark Company %s', p_index), slug, zones[1 + p_index % cardinality(zones)],
          now() - interval '400 days', now() - interval '400 days');
  insert into users (company_id, email, name, role, password_hash, email_verified_at, created_at, updated_at)
  values (company, format('admin@%s.example', slug), format('Admin %s', p_index), 'ADMIN', p_hash,
          now() - interval '400 days', now() - interval '400 days', now() - interval '400 days')
  returning id into admin;
  insert into job_statuses (company_id, name, colour, kind, order_index)
  values (company, 'New', '#64748b', 'OPEN', 0),
         (company, 'Scheduled', '#2563eb', 'OPEN', 1),
         (company, 'In progress', '#d97706', 'IN_PROGRESS', 2),
         (company, 'Done', '#16a34a', 'DONE', 3);
  perform pg_temp.bench_fill(company, admin, p_hash, slug || '.example', p_customers, p_workers, p_jobs, p_tasks);
end
$fn$;

-- The big company, found by its slug as the login does, and its signed-up admin.
select set_config('app.company_slug', :'big_slug', true);
select id as big_company from companies where slug = :'big_slug' \gset
select set_config('app.company_id', :'big_company', true);
select id as big_admin, password_hash as big_hash from users
 where company_id = :'big_company' and role = 'ADMIN' order by created_at limit 1 \gset

select clock_timestamp() as started \gset
select pg_temp.bench_fill(:'big_company', :'big_admin', :'big_hash', :'big_slug' || '.example',
                          :big_customers, :big_workers, :big_jobs, :tasks_per_job);
select format('  %s: %s jobs in %s s', :'big_slug', :big_jobs,
              round(extract(epoch from clock_timestamp() - :'started'::timestamptz)::numeric, 1)) as progress \gset
\echo :progress

select clock_timestamp() as started \gset
select pg_temp.bench_company(g, :'big_hash', 100, 5, :other_jobs, :tasks_per_job)
  from generate_series(1, :other_companies) g;
select format('  %s other companies: %s jobs each in %s s', :other_companies, :other_jobs,
              round(extract(epoch from clock_timestamp() - :'started'::timestamptz)::numeric, 1)) as progress \gset
\echo :progress

commit;

-- Fresh statistics and visibility map, as autovacuum would leave a live database.
vacuum (analyze) companies, users, customers, job_statuses, jobs, job_tasks, job_notes, audit_log, sessions;
