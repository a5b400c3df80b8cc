-- Email marketing (issue 12): the tables every part of it shares.
--
-- `emails` holds what is written (blocks, subject, merge fields), used by a broadcast or by an
-- automation's "send email" step. `email_deliveries` has one row per recipient of one send:
-- the sending engine claims rows in batches, renders each for its contact at send time (so a
-- contact who unsubscribed after scheduling is skipped, not mailed), and moves the row to
-- `sent` with the SMTP message id in the same transaction that releases the claim. Opens,
-- clicks, unsubscribes, bounces and complaints are `email_events` on a delivery.
-- `suppressions` is the list every send checks: an address there is never mailed by marketing.

create table emails (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  name          text not null default '' check (length(name) <= 200),
  subject       text not null default '' check (length(subject) <= 300),
  preheader     text not null default '' check (length(preheader) <= 300),
  -- {"blocks": [{"kind": "heading"|"text"|"image"|"button"|"divider"|"columns"|"course"|"product"|"footer", ...}]}
  doc           jsonb not null default '{"blocks": []}',
  -- The plain-text part as the creator edited it; null = generated from the blocks.
  text_body     text,
  topic         text not null default '' check (length(topic) <= 60),
  revision      int not null default 1,
  created_by    uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index emails_recent on emails (tenant_id, updated_at desc);
create trigger emails_updated before update on emails for each row execute function set_updated_at();

-- One recipient of one send.
--   source       broadcast | automation | test
--   status       queued -> sent | failed | skipped | cancelled
create table email_deliveries (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  email_id       uuid not null,
  contact_id     uuid,
  to_email       text not null,
  source         text not null check (source in ('broadcast', 'automation', 'test')),
  broadcast_id   uuid,
  automation_id  uuid,
  step_id        text,
  -- The subject used for this send (a resend to non-openers has its own).
  subject        text,
  status         text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'skipped', 'cancelled')),
  not_before     timestamptz not null default now(),
  attempts       int not null default 0,
  last_error     text,
  claimed_by     uuid,
  claimed_until  timestamptz,
  message_id     text,
  sent_at        timestamptz,
  opened_at      timestamptz,
  clicked_at     timestamptz,
  unsubscribed_at timestamptz,
  bounced_at     timestamptz,
  complained_at  timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, email_id) references emails (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null
);
-- Nobody gets one broadcast twice.
create unique index email_deliveries_broadcast_once on email_deliveries (tenant_id, broadcast_id, to_email) where broadcast_id is not null;
-- What the engine claims: queued rows whose time has come.
create index email_deliveries_due on email_deliveries (not_before) where status = 'queued';
create index email_deliveries_broadcast on email_deliveries (tenant_id, broadcast_id) where broadcast_id is not null;
create index email_deliveries_contact on email_deliveries (tenant_id, contact_id, created_at desc);
create unique index email_deliveries_message on email_deliveries (message_id) where message_id is not null;
create trigger email_deliveries_updated before update on email_deliveries for each row execute function set_updated_at();

--   kind   open | click | unsubscribe | bounce | complaint
create table email_events (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  delivery_id   uuid not null,
  kind          text not null check (kind in ('open', 'click', 'unsubscribe', 'bounce', 'complaint')),
  url           text,
  -- An open reported by Apple Mail Privacy Protection's proxy, not by a person.
  machine       boolean not null default false,
  detail        jsonb not null default '{}',
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, delivery_id) references email_deliveries (tenant_id, id) on delete cascade
);
create index email_events_delivery on email_events (tenant_id, delivery_id, at);
create trigger email_events_updated before update on email_events for each row execute function set_updated_at();

--   reason   unsubscribe | bounce | complaint | manual
create table suppressions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  email         text not null check (email = lower(email)),
  reason        text not null check (reason in ('unsubscribe', 'bounce', 'complaint', 'manual')),
  detail        text not null default '',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, email)
);
create trigger suppressions_updated before update on suppressions for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['emails', 'email_deliveries', 'email_events', 'suppressions'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
