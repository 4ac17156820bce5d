-- The metrics endpoint's view of the outbox across companies: how many messages wait
-- to be sent and how long the oldest has waited (counts only, no rows), like the
-- delivery loop's own cross-company lookups.
create function outbox_backlog(out pending bigint, out oldest_age_seconds double precision)
  language sql stable security definer set search_path = public
  as $$
    select count(*), coalesce(extract(epoch from now() - min(created_at))::double precision, 0)
    from outbox where status = 'PENDING'
  $$;
revoke all on function outbox_backlog() from public;
grant execute on function outbox_backlog() to fieldbook_app;
