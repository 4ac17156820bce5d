-- Changes a field worker's phone made offline are replayed with a key the phone made.
-- The key is stored with the change's answer in the change's own transaction, so a
-- replay (the phone never heard the first answer) is answered from here and writes
-- nothing. Keys live per company: the same key in another company is another key.
create table idempotency_keys (
  company_id  uuid not null,
  key         uuid not null,
  user_id     uuid not null,
  -- The server function or API call the key was first used for.
  endpoint    text not null constraint idempotency_keys_endpoint_check check (length(endpoint) between 1 and 100),
  -- The first answer, as the client received it.
  response    jsonb not null,
  created_at  timestamptz not null default now(),
  constraint idempotency_keys_pkey primary key (company_id, key),
  constraint idempotency_keys_user_fkey foreign key (company_id, user_id) references users (company_id, id) on delete cascade
);
comment on table idempotency_keys is 'Answers of changes made with an Idempotency-Key, kept at least 7 days';
create index idempotency_keys_created_idx on idempotency_keys (created_at);

alter table idempotency_keys enable row level security;
alter table idempotency_keys force row level security;
create policy idempotency_keys_tenant on idempotency_keys
  using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()));
grant select, insert, update, delete on idempotency_keys to fieldbook_app;

-- The hourly sweep learns which companies have keys older than 8 days (ids only) and
-- deletes them in each company's own tenant transaction.
create function companies_with_old_idempotency_keys() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct company_id from idempotency_keys where created_at < now() - interval '8 days' $$;
revoke all on function companies_with_old_idempotency_keys() from public;
grant execute on function companies_with_old_idempotency_keys() to fieldbook_app;
