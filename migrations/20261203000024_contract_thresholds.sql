-- Which budget level of a contract was last announced (the `contract.threshold_reached`
-- webhook event), and for which period ("November 2026", or the whole term), so each
-- level is announced once per period and again after usage fell below it.
alter table contracts
  add column announced_level text not null default 'ok'
    constraint contracts_announced_level_check check (announced_level in ('ok', 'warning', 'exceeded')),
  add column announced_period text;
