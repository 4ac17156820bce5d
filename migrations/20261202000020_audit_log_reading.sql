-- The audit log is read by admins (the "Audit log" page, its CSV and the API), filtered
-- by action; the action filter's choices are found by skipping through this index.
create index audit_log_company_action_idx on audit_log (company_id, action);
