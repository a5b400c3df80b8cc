-- A claim on a job is a lease: the worker holding it renews `lease_until` while the job runs,
-- and a job whose lease has run out is taken back by any worker (its worker died).
alter table jobs add column lease_until timestamptz;

-- Jobs claimed before this migration by workers that do not renew keep the old 30-minute rule.
update jobs set lease_until = coalesce(locked_at, now()) + interval '30 minutes' where status = 'running';

create index jobs_leases on jobs (lease_until) where status = 'running';
