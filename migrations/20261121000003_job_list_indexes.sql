-- The job list sorted by title pages through this index instead of sorting every job.
create index jobs_company_title_idx on jobs (company_id, lower(title), id) where deleted_at is null;
-- Archived jobs are a small minority; the list of active ones filters them while walking
-- the sort index, the list of archived ones finds them here.
create index jobs_company_archived_idx on jobs (company_id, created_at desc, id desc)
  where deleted_at is null and is_archived;
