-- Job title search that row-level security does not slow down.
--
-- Under forced RLS, PostgreSQL applies a query's conditions before the policy only
-- when they are leakproof; `lower(title) like …` is not, so the trigram index on
-- titles went unused for the app role and a search read every job of the company.
-- Here each job's title is split into lowercase words, and a search for a word
-- prefix is a range on `term` (text comparisons in the "C" collation are leakproof),
-- which the (company_id, term) index serves.
create table job_search_terms (
  company_id  uuid not null,
  job_id      uuid not null,
  term        text collate "C" not null,
  constraint job_search_terms_pkey primary key (company_id, term, job_id),
  constraint job_search_terms_job_fkey foreign key (company_id, job_id) references jobs (company_id, id) on delete cascade
);
create index job_search_terms_job_idx on job_search_terms (company_id, job_id);

alter table job_search_terms enable row level security;
alter table job_search_terms force row level security;
create policy job_search_terms_tenant on job_search_terms
  using (company_id = (select current_company_id()))
  with check (company_id = (select current_company_id()));
grant select, insert, update, delete on job_search_terms to fieldbook_app;

-- The words of a title: lowercase runs of letters and digits (the app splits a search the same way).
create function job_title_terms(title text) returns setof text
  language sql immutable strict parallel safe
  as $$ select distinct word from regexp_split_to_table(lower(title), '[^[:alnum:]]+') as word where word <> '' $$;

create function job_search_terms_refresh() returns trigger
  language plpgsql
  as $$
begin
  if tg_op = 'UPDATE' then
    if new.title is not distinct from old.title then
      return new;
    end if;
    delete from job_search_terms where company_id = new.company_id and job_id = new.id;
  end if;
  insert into job_search_terms (company_id, job_id, term)
    select new.company_id, new.id, t from job_title_terms(new.title) as t;
  return new;
end
$$;

create trigger jobs_search_terms after insert or update of title on jobs
  for each row execute function job_search_terms_refresh();

insert into job_search_terms (company_id, job_id, term)
  select j.company_id, j.id, t from jobs j, job_title_terms(j.title) as t;
