-- Security hardening: one table for every rate limit, and purging dead sessions.

-- The login throttle becomes the store of every limit (sign-in, sign-up, password
-- changes, emails to one address…). Counting happens in one upsert per attempt, so a
-- burst of parallel requests cannot read a stale count.
alter table login_throttle rename to rate_limits;
alter table rate_limits rename column failures to hits;
alter table rate_limits rename constraint login_throttle_pkey to rate_limits_pkey;
alter index login_throttle_window_idx rename to rate_limits_window_idx;
alter trigger login_throttle_updated_at on rate_limits rename to rate_limits_updated_at;
alter table rate_limits add column window_seconds integer not null default 900
  constraint rate_limits_window_seconds_check check (window_seconds > 0);
comment on table rate_limits is 'Attempts per limit and subject in fixed windows; holds no tenant data';
comment on column rate_limits.key_hash is 'sha-256 of "<limit>:<subject>": emails and addresses are never stored in clear';
comment on column rate_limits.hits is 'Attempts counted since window_start, including refused ones';
comment on column rate_limits.window_seconds is 'Length of the window this key counts in';

-- Sessions that can no longer be used (expired a day ago, or revoked a month ago) are
-- deleted by a background sweep. Like the other sweeps it learns which companies have
-- some (ids only) and deletes them in each company's own tenant transaction.
create function companies_with_dead_sessions() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct company_id from sessions
        where expires_at < now() - interval '1 day' or revoked_at < now() - interval '30 days' $$;
revoke all on function companies_with_dead_sessions() from public;
grant execute on function companies_with_dead_sessions() to fieldbook_app;
