-- Jobs: customers, job statuses, jobs with tasks and notes, share links.
-- Same tenancy rules as the foundation: company_id leads every key and index,
-- composite foreign keys, forced row-level security.

create extension if not exists pg_trgm;
-- Lets a trigram GIN index lead with company_id (uuid).
create extension if not exists btree_gin;

create table customers (
  id              uuid not null default gen_random_uuid(),
  company_id      uuid not null references companies (id) on delete cascade,
  name            text not null constraint customers_name_check check (length(name) between 1 and 200),
  email           text constraint customers_email_lowercase check (email = lower(email)),
  phone           text constraint customers_phone_check check (length(phone) <= 40),
  address         text constraint customers_address_check check (length(address) <= 500),
  -- Soft delete: a deactivated customer keeps their jobs but gets no new ones.
  deactivated_at  timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint customers_pkey primary key (company_id, id),
  constraint customers_id_key unique (id)
);
create index customers_company_name_idx on customers (company_id, lower(name), id);
create index customers_name_trgm_idx on customers using gin (company_id, lower(name) gin_trgm_ops);
create trigger customers_updated_at before update on customers
  for each row execute function set_updated_at();

-- A CUSTOMER login belongs to one customer record.
alter table users add column customer_id uuid;
alter table users add constraint users_customer_fkey foreign key (company_id, customer_id)
  references customers (company_id, id);
alter table users add constraint users_customer_role_check check (customer_id is null or role = 'CUSTOMER');
create index users_customer_idx on users (company_id, customer_id) where customer_id is not null;

-- What a status means to the system: open work, work under way, or finished work.
create type job_status_kind as enum ('OPEN', 'IN_PROGRESS', 'DONE');

create table job_statuses (
  id           uuid not null default gen_random_uuid(),
  company_id   uuid not null references companies (id) on delete cascade,
  name         text not null constraint job_statuses_name_check check (length(name) between 1 and 40),
  -- #rrggbb, lowercase.
  colour       text not null constraint job_statuses_colour_check check (colour ~ '^#[0-9a-f]{6}$'),
  kind         job_status_kind not null,
  -- Display order; gaps allowed.
  order_index  integer not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint job_statuses_pkey primary key (company_id, id),
  constraint job_statuses_id_key unique (id)
);
create unique index job_statuses_company_name_key on job_statuses (company_id, lower(name));
create index job_statuses_company_order_idx on job_statuses (company_id, order_index, id);
create trigger job_statuses_updated_at before update on job_statuses
  for each row execute function set_updated_at();

create table jobs (
  id                  uuid not null default gen_random_uuid(),
  company_id          uuid not null references companies (id) on delete cascade,
  customer_id         uuid not null,
  assigned_worker_id  uuid,
  status_id           uuid not null,
  title               text not null constraint jobs_title_check check (length(title) between 1 and 200),
  description         text not null default '' constraint jobs_description_check check (length(description) <= 20000),
  -- When the work is planned to start (UTC); null = not scheduled yet.
  scheduled_at        timestamptz,
  is_archived         boolean not null default false,
  -- Soft delete.
  deleted_at          timestamptz,
  -- Optimistic concurrency: every update bumps it; an edit based on an older version is refused.
  version             integer not null default 1,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  constraint jobs_pkey primary key (company_id, id),
  constraint jobs_id_key unique (id),
  constraint jobs_customer_fkey foreign key (company_id, customer_id) references customers (company_id, id),
  constraint jobs_worker_fkey foreign key (company_id, assigned_worker_id) references users (company_id, id),
  constraint jobs_status_fkey foreign key (company_id, status_id) references job_statuses (company_id, id)
);
create index jobs_company_created_idx on jobs (company_id, created_at desc, id desc) where deleted_at is null;
create index jobs_company_status_idx on jobs (company_id, status_id, created_at desc, id desc) where deleted_at is null;
create index jobs_company_worker_idx on jobs (company_id, assigned_worker_id, scheduled_at) where deleted_at is null;
create index jobs_company_customer_idx on jobs (company_id, customer_id, created_at desc) where deleted_at is null;
create index jobs_company_scheduled_idx on jobs (company_id, scheduled_at, id) where deleted_at is null;
create index jobs_title_trgm_idx on jobs using gin (company_id, lower(title) gin_trgm_ops) where deleted_at is null;
create trigger jobs_updated_at before update on jobs
  for each row execute function set_updated_at();

create table job_tasks (
  id            uuid not null default gen_random_uuid(),
  company_id    uuid not null,
  job_id        uuid not null,
  title         text not null constraint job_tasks_title_check check (length(title) between 1 and 200),
  position      integer not null,
  is_completed  boolean not null default false,
  completed_by  uuid,
  completed_at  timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint job_tasks_pkey primary key (company_id, id),
  constraint job_tasks_job_fkey foreign key (company_id, job_id) references jobs (company_id, id) on delete cascade,
  constraint job_tasks_completed_by_fkey foreign key (company_id, completed_by) references users (company_id, id),
  constraint job_tasks_completion_check check (is_completed = (completed_at is not null))
);
create index job_tasks_job_idx on job_tasks (company_id, job_id, position);
create trigger job_tasks_updated_at before update on job_tasks
  for each row execute function set_updated_at();

create type note_visibility as enum ('INTERNAL', 'CUSTOMER');

create table job_notes (
  id          uuid not null default gen_random_uuid(),
  company_id  uuid not null,
  job_id      uuid not null,
  author_id   uuid not null,
  body        text not null constraint job_notes_body_check check (length(body) between 1 and 5000),
  -- INTERNAL notes are never shown to customers or on share links.
  visibility  note_visibility not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  constraint job_notes_pkey primary key (company_id, id),
  constraint job_notes_job_fkey foreign key (company_id, job_id) references jobs (company_id, id) on delete cascade,
  constraint job_notes_author_fkey foreign key (company_id, author_id) references users (company_id, id)
);
create index job_notes_job_idx on job_notes (company_id, job_id, created_at);
create trigger job_notes_updated_at before update on job_notes
  for each row execute function set_updated_at();

-- Read-only links to one job for people without a login. The token is random, embeds
-- the company id (so the lookup knows its tenant), and is stored only as a SHA-256 hash.
create table customer_links (
  id              uuid not null default gen_random_uuid(),
  company_id      uuid not null,
  job_id          uuid not null,
  token_hash      bytea not null constraint customer_links_token_hash_key unique,
  expires_at      timestamptz not null,
  revoked_at      timestamptz,
  created_by      uuid not null,
  last_viewed_at  timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint customer_links_pkey primary key (company_id, id),
  constraint customer_links_job_fkey foreign key (company_id, job_id) references jobs (company_id, id) on delete cascade,
  constraint customer_links_creator_fkey foreign key (company_id, created_by) references users (company_id, id)
);
create index customer_links_job_idx on customer_links (company_id, job_id);
create trigger customer_links_updated_at before update on customer_links
  for each row execute function set_updated_at();

do $$
declare
  t text;
begin
  foreach t in array array['customers', 'job_statuses', 'jobs', 'job_tasks', 'job_notes', 'customer_links'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()))',
      t || '_tenant', t);
  end loop;
end
$$;

grant select, insert, update, delete on customers, job_statuses, jobs, job_tasks, job_notes, customer_links to fieldbook_app;
