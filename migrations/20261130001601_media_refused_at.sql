-- When an item's only file was refused. Such an item counts nothing toward storage and is
-- removed seven days later by the `media.sweep_refused` job (its row says when).
alter table media add column refused_at timestamptz;
update media set refused_at = updated_at where status = 'failed';
insert into jobs (tenant_id, id, kind, payload, run_at, idempotency_key)
select tenant_id, gen_random_uuid(), 'media.sweep_refused', jsonb_build_object('media', id),
       refused_at + interval '7 days', id::text
from media where status = 'failed';
