-- Email tracking (issue 12): topics a contact may opt out of, the school's attribution window,
-- and revenue attributed to an email a buyer clicked before paying.
--
-- Opens, clicks and unsubscribes themselves are `email_events` (20261201000100_email.sql).

-- A topic an email may carry (`emails.topic` is its key); the preference centre lists them.
create table email_topics (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  key           text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  name          text not null check (length(name) between 1 and 100),
  description   text not null default '' check (length(description) <= 300),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, key)
);
create trigger email_topics_updated before update on email_topics for each row execute function set_updated_at();

-- A contact who said, through the preference centre, that they want no mail of a topic.
create table contact_topic_optouts (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  contact_id    uuid not null,
  topic         text not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, contact_id, topic),
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create trigger contact_topic_optouts_updated before update on contact_topic_optouts for each row execute function set_updated_at();

-- One row per school that changed the defaults.
create table email_tracking_settings (
  tenant_id         uuid primary key references tenants (id) on delete cascade,
  -- A purchase this many days or fewer after a click counts as the email's revenue.
  attribution_days  int not null default 5 check (attribution_days between 1 and 90),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create trigger email_tracking_settings_updated before update on email_tracking_settings for each row execute function set_updated_at();

-- An order attributed to the last email its buyer clicked (once per order).
create table email_revenue (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  order_id       uuid not null,
  delivery_id    uuid not null,
  email_id       uuid not null,
  broadcast_id   uuid,
  automation_id  uuid,
  step_id        text,
  url            text,
  amount         bigint not null,
  currency       text not null,
  at             timestamptz not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, delivery_id) references email_deliveries (tenant_id, id) on delete cascade
);
create unique index email_revenue_order on email_revenue (tenant_id, order_id);
create index email_revenue_broadcast on email_revenue (tenant_id, broadcast_id) where broadcast_id is not null;
create index email_revenue_automation on email_revenue (tenant_id, automation_id) where automation_id is not null;
create trigger email_revenue_updated before update on email_revenue for each row execute function set_updated_at();

-- Clicks by address, for attribution.
create index email_deliveries_clicked on email_deliveries (tenant_id, to_email, clicked_at) where clicked_at is not null;

do $$
declare t text;
begin
  foreach t in array array['email_topics', 'contact_topic_optouts', 'email_tracking_settings', 'email_revenue'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
