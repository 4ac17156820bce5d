-- Webhooks: admins register HTTPS endpoints and the events they want. An event is
-- written as one delivery row per subscribed endpoint in the same transaction as the
-- change that caused it (the outbox), so a rolled-back change sends nothing; delivery
-- loops work the rows with FOR UPDATE SKIP LOCKED, like the email outbox.
create table webhook_endpoints (
  id                          uuid not null default gen_random_uuid(),
  company_id                  uuid not null references companies (id) on delete cascade,
  url                         text not null constraint webhook_endpoints_url_check check (length(url) between 8 and 2000),
  description                 text not null default '' constraint webhook_endpoints_description_check check (length(description) <= 200),
  events                      text[] not null constraint webhook_endpoints_events_check check (cardinality(events) between 1 and 30),
  -- Signing keys. Readable (signing needs them), never shown after they are made.
  secret                      text not null,
  -- After a rotation the old key still signs (a second signature) until this moment.
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  enabled                     boolean not null default true,
  disabled_reason             text,
  -- Failed attempts in a row; at the configured number the endpoint is disabled.
  consecutive_failures        integer not null default 0,
  created_by                  uuid not null,
  created_at                  timestamptz not null default now(),
  updated_at                  timestamptz not null default now(),
  constraint webhook_endpoints_pkey primary key (company_id, id),
  constraint webhook_endpoints_creator_fkey foreign key (company_id, created_by) references users (company_id, id)
);
create trigger webhook_endpoints_updated_at before update on webhook_endpoints
  for each row execute function set_updated_at();

create table webhook_deliveries (
  id                uuid not null default gen_random_uuid(),
  company_id        uuid not null references companies (id) on delete cascade,
  endpoint_id       uuid not null,
  -- The event's id: the same for every endpoint it goes to, and for every attempt.
  event_id          uuid not null,
  event_type        text not null,
  -- The exact body sent (signed as is).
  body              text not null,
  status            text not null default 'PENDING'
                      constraint webhook_deliveries_status_check check (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
  attempts          integer not null default 0,
  next_attempt_at   timestamptz not null default now(),
  last_attempt_at   timestamptz,
  response_status   integer,
  response_excerpt  text,
  latency_ms        integer,
  last_error        text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint webhook_deliveries_pkey primary key (company_id, id),
  constraint webhook_deliveries_endpoint_fkey foreign key (company_id, endpoint_id)
    references webhook_endpoints (company_id, id) on delete cascade
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'PENDING';
create index webhook_deliveries_endpoint_idx on webhook_deliveries (company_id, endpoint_id, created_at desc, id);
create trigger webhook_deliveries_updated_at before update on webhook_deliveries
  for each row execute function set_updated_at();

alter table webhook_endpoints enable row level security;
alter table webhook_endpoints force row level security;
create policy webhook_endpoints_tenant on webhook_endpoints
  using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()));
alter table webhook_deliveries enable row level security;
alter table webhook_deliveries force row level security;
create policy webhook_deliveries_tenant on webhook_deliveries
  using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()));
grant select, insert, update, delete on webhook_endpoints, webhook_deliveries to fieldbook_app;

-- The delivery loops learn which companies have deliveries due (ids only), then work in
-- each company's own tenant transaction.
create function companies_with_due_webhooks() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct d.company_id from webhook_deliveries d
         join webhook_endpoints e on e.company_id = d.company_id and e.id = d.endpoint_id and e.enabled
         where d.status = 'PENDING' and d.next_attempt_at <= now() $$;
revoke all on function companies_with_due_webhooks() from public;
grant execute on function companies_with_due_webhooks() to fieldbook_app;

create function next_webhook_due_at() returns timestamptz
  language sql stable security definer set search_path = public
  as $$ select min(d.next_attempt_at) from webhook_deliveries d
         join webhook_endpoints e on e.company_id = d.company_id and e.id = d.endpoint_id and e.enabled
         where d.status = 'PENDING' $$;
revoke all on function next_webhook_due_at() from public;
grant execute on function next_webhook_due_at() to fieldbook_app;
