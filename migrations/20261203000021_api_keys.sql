-- API keys: a company's integrations call /api/v1 with a key an admin made. The
-- secret is shown once and stored only as its SHA-256 (it is 256 random bits, so a
-- slow password hash would add nothing but latency to every call). A key acts for
-- the admin who made it (records it creates name them as their maker) but appears
-- as itself in the audit log, and only within its scopes.
create table api_keys (
  id                     uuid not null default gen_random_uuid(),
  company_id             uuid not null references companies (id) on delete cascade,
  name                   text not null constraint api_keys_name_check check (length(name) between 1 and 100),
  -- The first characters of the key, shown in lists so a key can be recognised.
  prefix                 text not null constraint api_keys_prefix_check check (length(prefix) between 8 and 20),
  secret_hash            bytea not null constraint api_keys_secret_hash_check check (length(secret_hash) = 32),
  -- "<area>:read" or "<area>:write"; write includes read.
  scopes                 text[] not null constraint api_keys_scopes_check check (
                           scopes <@ array['jobs:read', 'jobs:write', 'customers:read', 'customers:write',
                                           'time:read', 'time:write', 'reports:read', 'users:read',
                                           'users:write', 'webhooks:read', 'webhooks:write']::text[]
                           and cardinality(scopes) between 1 and 11),
  requests_per_minute    integer not null constraint api_keys_rate_check check (requests_per_minute between 1 and 100000),
  created_by             uuid not null,
  created_at             timestamptz not null default now(),
  expires_at             timestamptz,
  last_used_at           timestamptz,
  revoked_at             timestamptz,
  updated_at             timestamptz not null default now(),
  constraint api_keys_pkey primary key (company_id, id),
  constraint api_keys_creator_fkey foreign key (company_id, created_by) references users (company_id, id)
);
create index api_keys_company_created_idx on api_keys (company_id, created_at desc, id);
create unique index api_keys_secret_idx on api_keys (company_id, secret_hash);
create trigger api_keys_updated_at before update on api_keys
  for each row execute function set_updated_at();

alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy api_keys_tenant on api_keys
  using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()));
grant select, insert, update on api_keys to fieldbook_app;

-- Who acted, when it was a key.
alter table audit_log add column actor_api_key_id uuid;
alter table audit_log add constraint audit_log_api_key_fkey
  foreign key (company_id, actor_api_key_id) references api_keys (company_id, id);

-- Customers get a row version, so API clients can update with If-Match like jobs.
alter table customers add column version integer not null default 1;
