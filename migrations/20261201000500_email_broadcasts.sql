-- Broadcasts (issue 12): one email sent to a segment of contacts, now or at a time, optionally
-- at that wall-clock time in each recipient's own zone. The recipients are rows of
-- `email_deliveries` with this broadcast's id, inserted in one statement when it starts.
--
--   status     draft -> scheduled -> sending -> sent; scheduled | sending -> cancelled
--   segment    {"match": "all"|"any", "rules": [{"kind": "has_tag", "tag": "VIP"}, ...]}
--   send_at    the moment chosen (in the school's zone); with local_time, the same wall-clock
--              time is used in each recipient's zone, and start_at is the earliest of them
--   parent_id  a resend to those who did not open the parent; its subject replaces the email's
create table broadcasts (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  email_id      uuid not null,
  name          text not null default '' check (length(name) <= 200),
  segment       jsonb not null default '{"match": "all", "rules": []}',
  status        text not null default 'draft' check (status in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
  send_at       timestamptz,
  local_time    boolean not null default false,
  time_zone     text not null default 'UTC',
  start_at      timestamptz,
  parent_id     uuid,
  subject       text check (length(subject) <= 300),
  recipients    int not null default 0,
  created_by    uuid,
  started_at    timestamptz,
  finished_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, email_id) references emails (tenant_id, id) on delete cascade,
  foreign key (tenant_id, parent_id) references broadcasts (tenant_id, id) on delete cascade
);
create index broadcasts_recent on broadcasts (tenant_id, created_at desc);
create index broadcasts_due on broadcasts (start_at) where status in ('scheduled', 'sending');
create trigger broadcasts_updated before update on broadcasts for each row execute function set_updated_at();

-- Course completions as contact activity (enrolments are already recorded), for segments.
create index contact_activity_kind on contact_activity (tenant_id, kind, contact_id);

do $$
declare t text;
begin
  foreach t in array array['broadcasts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
