-- Custom domains: only a verified domain holds its name across the platform. Pending claims by
-- several schools may coexist until one of them proves control with its TXT record (the others
-- are then removed), so an unverified claim can no longer block a domain's real owner.
drop index tenant_domains_domain_key;
create unique index tenant_domains_verified_key on tenant_domains (lower(domain)) where verified_at is not null;
create unique index tenant_domains_school_key on tenant_domains (tenant_id, lower(domain));
-- The daily re-check: since when the TXT record of a verified domain has been missing, and when
-- the domain stopped serving because it stayed missing (verified_at is cleared then).
alter table tenant_domains add column failing_since timestamptz, add column stopped_at timestamptz;

-- Schools that already have domains get the daily check that adding a domain now schedules.
insert into job_schedules (tenant_id, id, kind, payload, interval_seconds, next_run_at)
select tenant_id, uuid_v7(), 'domains.check', '{}', 86400, now()
from (select distinct tenant_id from tenant_domains) d
on conflict (tenant_id, kind) do nothing;

-- The school's sender address is used as From only once the school has shown, with a TXT
-- record carrying its own token, that it controls the address's domain.
alter table tenant_settings
  add column sender_token text not null default replace(gen_random_uuid()::text, '-', ''),
  add column sender_verified_domain text;

-- Mail: the school's address as Reply-To when it is not the sender, and bodies purged after
-- the retention period (the partial index keeps the maintenance sweep off purged rows).
alter table mail_messages add column reply_to text, add column purged_at timestamptz;
create index mail_messages_unpurged on mail_messages (created_at) where purged_at is null;
