-- Notifications: the email outbox, in-app notifications, email preferences, and the
-- single-use tokens behind verification, password reset and invitations. Same tenancy
-- rules as before: company_id leads every key, composite foreign keys, forced RLS.

-- Which non-essential emails a user wants (account emails are always sent).
alter table users
  add column email_on_submitted boolean not null default true,
  add column email_on_decided   boolean not null default true,
  add column email_on_assigned  boolean not null default true;

-- Users who already exist were created before verification existed: trust them.
update users set email_verified_at = coalesce(email_verified_at, created_at);

create type outbox_status as enum ('PENDING', 'SENT', 'DEAD');

-- One row per email. Business actions insert here inside their own transaction, so a
-- rolled-back change sends nothing and a committed one cannot lose its email. The
-- delivery loop claims rows with FOR UPDATE SKIP LOCKED and holds the lock while it
-- sends: a crashed sender releases it and the message is sent again (at least once);
-- the id travels as Message-ID and X-Fieldbook-Idempotency-Key so a repeat is recognisable.
create table outbox (
  id               uuid not null default gen_random_uuid(),
  company_id       uuid not null references companies (id) on delete cascade,
  -- What kind of email (work_log.submitted, account.verify_email, …), for the admin list.
  kind             text not null constraint outbox_kind_check check (length(kind) between 1 and 60),
  recipient_id     uuid,
  to_address       text not null constraint outbox_to_check check (length(to_address) between 3 and 320),
  subject          text not null constraint outbox_subject_check check (length(subject) between 1 and 300),
  body_text        text not null,
  body_html        text not null,
  -- For non-essential mail: the one-click unsubscribe address (List-Unsubscribe).
  unsubscribe_url  text,
  status           outbox_status not null default 'PENDING',
  attempts         integer not null default 0 constraint outbox_attempts_check check (attempts >= 0),
  next_attempt_at  timestamptz not null default now(),
  last_attempt_at  timestamptz,
  last_error       text,
  sent_at          timestamptz,
  created_at       timestamptz not null default now(),
  constraint outbox_pkey primary key (company_id, id),
  constraint outbox_id_key unique (id),
  constraint outbox_recipient_fkey foreign key (company_id, recipient_id) references users (company_id, id) on delete cascade,
  constraint outbox_sent_check check ((status = 'SENT') = (sent_at is not null))
);
-- The delivery loop's question: what is due now?
create index outbox_due_idx on outbox (next_attempt_at) where status = 'PENDING';
-- The admin list, newest first per status.
create index outbox_company_status_idx on outbox (company_id, status, created_at desc);

-- Wakes the delivery loops when a message is committed (NOTIFY is delivered on commit).
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('fieldbook_outbox', new.company_id::text);
  return null;
end
$$;
create trigger outbox_enqueued after insert on outbox
  for each row execute function outbox_notify();

-- The in-app notification centre. A bigint id orders them and doubles as the event
-- id of the live stream (a reconnecting browser asks for everything after the last one).
create table notifications (
  id          bigint generated always as identity,
  company_id  uuid not null references companies (id) on delete cascade,
  user_id     uuid not null,
  kind        text not null constraint notifications_kind_check check (length(kind) between 1 and 60),
  title       text not null constraint notifications_title_check check (length(title) between 1 and 200),
  body        text not null default '' constraint notifications_body_check check (length(body) <= 2000),
  -- Path inside the app of what it is about, e.g. /app/time/<id>.
  link        text not null constraint notifications_link_check check (link like '/%'),
  read_at     timestamptz,
  created_at  timestamptz not null default now(),
  constraint notifications_pkey primary key (company_id, id),
  constraint notifications_id_key unique (id),
  constraint notifications_user_fkey foreign key (company_id, user_id) references users (company_id, id) on delete cascade
);
create index notifications_user_idx on notifications (company_id, user_id, id desc);
create index notifications_unread_idx on notifications (company_id, user_id) where read_at is null;

-- Every server process listens on this channel and pushes to the browsers of the user
-- named, so a notification made in one process reaches a browser connected to another.
create function notifications_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('fieldbook_notifications',
    json_build_object('company_id', new.company_id, 'user_id', new.user_id, 'id', new.id)::text);
  return null;
end
$$;
create trigger notifications_created after insert on notifications
  for each row execute function notifications_notify();

-- Single-use links mailed to a user: email verification and password reset. Only the
-- SHA-256 of the token is stored; the token itself starts with the company id.
create type account_token_purpose as enum ('VERIFY_EMAIL', 'RESET_PASSWORD');

create table account_tokens (
  id          uuid not null default gen_random_uuid(),
  company_id  uuid not null references companies (id) on delete cascade,
  user_id     uuid not null,
  purpose     account_token_purpose not null,
  token_hash  bytea not null,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now(),
  constraint account_tokens_pkey primary key (company_id, id),
  constraint account_tokens_hash_key unique (token_hash),
  constraint account_tokens_user_fkey foreign key (company_id, user_id) references users (company_id, id) on delete cascade
);
create index account_tokens_user_idx on account_tokens (company_id, user_id, purpose, created_at desc);

-- Invitations: an admin invites an address with a role (and, for customer users, the
-- customer record); the invitee chooses a name and password on the accept page.
create table invitations (
  id           uuid not null default gen_random_uuid(),
  company_id   uuid not null references companies (id) on delete cascade,
  email        text not null constraint invitations_email_lowercase check (email = lower(email)),
  role         user_role not null,
  customer_id  uuid,
  invited_by   uuid not null,
  token_hash   bytea not null,
  expires_at   timestamptz not null,
  accepted_at  timestamptz,
  accepted_user_id uuid,
  revoked_at   timestamptz,
  sent_count   integer not null default 1,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint invitations_pkey primary key (company_id, id),
  constraint invitations_id_key unique (id),
  constraint invitations_hash_key unique (token_hash),
  constraint invitations_customer_fkey foreign key (company_id, customer_id) references customers (company_id, id),
  constraint invitations_invited_by_fkey foreign key (company_id, invited_by) references users (company_id, id),
  constraint invitations_user_fkey foreign key (company_id, accepted_user_id) references users (company_id, id),
  constraint invitations_customer_role_check check ((role = 'CUSTOMER') = (customer_id is not null))
);
-- At most one open invitation per address.
create unique index invitations_open_email_key on invitations (company_id, email)
  where accepted_at is null and revoked_at is null;
create trigger invitations_updated_at before update on invitations
  for each row execute function set_updated_at();

do $$
declare
  t text;
begin
  foreach t in array array['outbox', 'notifications', 'account_tokens', 'invitations'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I using (company_id = (select current_company_id())) with check (company_id = (select current_company_id()))',
      t || '_tenant', t);
  end loop;
end
$$;

grant select, insert, update, delete on outbox, notifications, account_tokens, invitations to fieldbook_app;

-- The delivery loops run without a signed-in user; like the auto-approval sweep they
-- learn which companies have mail due (ids only) and then work in each company's own
-- tenant transaction.
create function companies_with_due_mail() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct company_id from outbox where status = 'PENDING' and next_attempt_at <= now() $$;
revoke all on function companies_with_due_mail() from public;
grant execute on function companies_with_due_mail() to fieldbook_app;

-- When the next message falls due (the loop sleeps until then, or until woken).
create function next_mail_due_at() returns timestamptz
  language sql stable security definer set search_path = public
  as $$ select min(next_attempt_at) from outbox where status = 'PENDING' $$;
revoke all on function next_mail_due_at() from public;
grant execute on function next_mail_due_at() to fieldbook_app;
