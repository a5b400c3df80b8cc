-- The sending engine (issue 12): a school whose engine run is waiting has a row here, so a
-- kick while one waits adds nothing and a kick after a run started makes the next one.
create table email_engine_pending (
  tenant_id   uuid primary key references tenants (id) on delete cascade,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create trigger email_engine_pending_updated before update on email_engine_pending for each row execute function set_updated_at();

-- What one school's engine claims: its queued rows in the order they became due.
create index email_deliveries_claim on email_deliveries (tenant_id, not_before) where status = 'queued';

alter table email_engine_pending enable row level security;
alter table email_engine_pending force row level security;
create policy email_engine_pending_tenant on email_engine_pending
  using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy email_engine_pending_platform on email_engine_pending
  using ((select app_platform())) with check ((select app_platform()));

-- Erasing a contact keeps its deliveries (the engine skips them as "contact deleted"): the
-- foreign key must clear only `contact_id`, not the school's id with it.
alter table email_deliveries drop constraint email_deliveries_tenant_id_contact_id_fkey;
alter table email_deliveries add constraint email_deliveries_tenant_id_contact_id_fkey
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id);
