-- Contacts (ARCHITECTURE §3): what the contacts list adds to the marketing tables.
--
-- Subscribers to other domains' events (order.paid, order.refunded, user.signed_up,
-- enrollment.created) write one activity row per event: the event's id is kept and unique, so
-- an event delivered twice changes nothing the second time.
-- A CSV import waits in `contact_imports` between upload, mapping and confirmation, then a job
-- upserts its rows and counts its progress there. Erasing a contact deletes its row, and with it
-- (by the cascades of 20261130004000) its tags and activity; imports keep no addresses after
-- they finish (their sheet is cleared).
-- Form submissions (the forms helper's table) must reference contacts with `on delete set null`
-- or `cascade` so an erased contact leaves no personal data there either.

alter table contact_activity add column event_id uuid;
create unique index contact_activity_event on contact_activity (tenant_id, event_id) where event_id is not null;
create index contacts_customer on contacts (tenant_id, is_customer);

create table contact_imports (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  file_name    text not null default '',
  sheet        jsonb not null,
  mapping      jsonb not null default '{}',
  tag          text not null default '' check (length(tag) <= 60),
  status       text not null default 'pending' check (status in ('pending', 'queued', 'running', 'done')),
  total        int not null default 0,
  processed    int not null default 0,
  imported     int not null default 0,
  skipped      int not null default 0,
  created_by   uuid,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create trigger contact_imports_updated before update on contact_imports for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['contact_imports'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
