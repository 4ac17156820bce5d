-- Foundation: companies (tenants), users, sessions, audit log, login throttle.
--
-- Tenancy (see docs/ARCHITECTURE.md):
--   * every tenant table carries company_id, leads its primary key and indexes with it,
--     and points at other tenant tables through composite (company_id, x_id) foreign keys;
--   * row-level security is ENABLEd and FORCEd on every tenant table, with policies on the
--     transaction-local setting app.company_id;
--   * the application connects as fieldbook_app, which owns nothing and cannot bypass RLS.
--     Migrations run as the owner.

create extension if not exists pgcrypto;

-- The runtime role. Roles are cluster-wide, so tolerate another database (or a parallel
-- test database) having created it first.
do $$
begin
  create role fieldbook_app login nosuperuser nocreatedb nocreaterole nobypassrls;
exception
  when duplicate_object or unique_violation then null;
end
$$;

grant usage on schema public to fieldbook_app;
alter default privileges in schema public grant select, insert, update, delete on tables to fieldbook_app;
alter default privileges in schema public grant usage, select on sequences to fieldbook_app;

-- The company the current transaction acts for; null outside a tenant transaction.
-- current_setting(..., true) returns '' once the placeholder exists, hence nullif.
create function current_company_id() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.company_id', true), '')::uuid $$;

create function set_updated_at() returns trigger
  language plpgsql
  as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create type user_role as enum ('ADMIN', 'WORKER', 'CUSTOMER');

create table companies (
  id          uuid primary key default gen_random_uuid(),
  name        text not null constraint companies_name_check check (length(name) between 1 and 120),
  -- URL slug used in /{slug}/login; globally unique, lowercase.
  slug        text not null constraint companies_slug_key unique
                   constraint companies_slug_check check (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$'),
  -- IANA zone name; month boundaries and displayed times use it.
  timezone    text not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create trigger companies_updated_at before update on companies
  for each row execute function set_updated_at();

create table users (
  id                 uuid not null default gen_random_uuid(),
  company_id         uuid not null references companies (id) on delete cascade,
  -- Stored lowercased so uniqueness per company is case-insensitive.
  email              text not null constraint users_email_lowercase check (email = lower(email)),
  name               text not null constraint users_name_check check (length(name) between 1 and 120),
  role               user_role not null,
  -- Argon2id PHC string.
  password_hash      text not null,
  -- Null until the address is verified (verification arrives with email delivery).
  email_verified_at  timestamptz,
  -- Null means "use the company's timezone".
  timezone           text,
  -- Soft delete: a deactivated user cannot sign in and has no live sessions.
  deactivated_at     timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  constraint users_pkey primary key (company_id, id),
  constraint users_id_key unique (id),
  constraint users_company_email_key unique (company_id, email)
);
create index users_company_name_idx on users (company_id, lower(name), id);
create trigger users_updated_at before update on users
  for each row execute function set_updated_at();

-- One row per refresh token. A login starts a family; each refresh rotates the token
-- (the old row gets rotated_at, a new row joins the family). Presenting a rotated token
-- again is reuse: the whole family is revoked.
create table sessions (
  id                  uuid not null default gen_random_uuid(),
  company_id          uuid not null,
  user_id             uuid not null,
  family_id           uuid not null,
  -- SHA-256 of the opaque refresh token; the token itself is never stored.
  refresh_token_hash  bytea not null constraint sessions_refresh_token_hash_key unique,
  user_agent          text,
  ip                  inet,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  last_used_at        timestamptz not null default now(),
  expires_at          timestamptz not null,
  rotated_at          timestamptz,
  revoked_at          timestamptz,
  -- logout, logout_all, reuse_detected, deactivated, session_cap, password_changed
  revoked_reason      text,
  constraint sessions_pkey primary key (company_id, id),
  constraint sessions_user_fkey foreign key (company_id, user_id)
    references users (company_id, id) on delete cascade
);
create index sessions_family_idx on sessions (company_id, family_id);
create index sessions_user_live_idx on sessions (company_id, user_id)
  where revoked_at is null and rotated_at is null;
create trigger sessions_updated_at before update on sessions
  for each row execute function set_updated_at();

create table audit_log (
  id             uuid not null default gen_random_uuid(),
  company_id     uuid not null references companies (id) on delete cascade,
  -- Null for actions without a signed-in actor (e.g. a failed refresh that revokes a family).
  actor_user_id  uuid,
  action         text not null,
  entity_type    text not null,
  entity_id      uuid,
  before         jsonb,
  after          jsonb,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint audit_log_pkey primary key (company_id, id),
  constraint audit_log_actor_fkey foreign key (company_id, actor_user_id)
    references users (company_id, id)
);
create index audit_log_company_created_idx on audit_log (company_id, created_at desc, id);
create index audit_log_entity_idx on audit_log (company_id, entity_type, entity_id);
create index audit_log_actor_idx on audit_log (company_id, actor_user_id);

-- Failed sign-in counters, keyed by a hash of "account:<slug>:<email>" or "ip:<addr>".
-- Not tenant data (no company_id, no readable identifiers), so no row-level security.
create table login_throttle (
  key_hash      bytea primary key,
  window_start  timestamptz not null,
  failures      integer not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index login_throttle_window_idx on login_throttle (window_start);
create trigger login_throttle_updated_at before update on login_throttle
  for each row execute function set_updated_at();

-- Row-level security. FORCE makes it apply to the table owner as well.
alter table companies enable row level security;
alter table companies force row level security;
-- A tenant transaction sees its own company. Before sign-in, a transaction that declares
-- the slug it is resolving (app.company_slug) may read that one row, nothing else.
create policy companies_tenant on companies
  using (id = (select current_company_id()))
  with check (id = (select current_company_id()));
create policy companies_slug_lookup on companies for select
  using (slug = nullif(current_setting('app.company_slug', true), ''));

alter table users enable row level security;
alter table users force row level security;
create policy users_tenant on users
  using (company_id = (select current_company_id()))
  with check (company_id = (select current_company_id()));

alter table sessions enable row level security;
alter table sessions force row level security;
create policy sessions_tenant on sessions
  using (company_id = (select current_company_id()))
  with check (company_id = (select current_company_id()));

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_tenant on audit_log
  using (company_id = (select current_company_id()))
  with check (company_id = (select current_company_id()));

grant select, insert, update, delete on all tables in schema public to fieldbook_app;
-- The audit trail is append-only for the application.
revoke update, delete on audit_log from fieldbook_app;
