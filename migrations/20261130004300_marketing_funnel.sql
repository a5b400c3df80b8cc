-- Funnel tracking (issue 11, item 6): page views counted without cookies, funnel events
-- (opt-ins, checkout starts, purchases) recorded from other domains' events, and A/B tests.
--
-- A view stores no personal data: `visitor_key` is a hash of a salt that changes every day,
-- the school, the address and the browser, so one visitor is one key for one day only; unique
-- visitors over a period are the distinct keys per day, summed.

create table page_views (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  page_id       uuid not null,
  variant       text not null default '' check (variant in ('', 'a', 'b')),
  visitor_key   text not null,
  day           date not null,
  utm_source    text not null default '',
  utm_medium    text not null default '',
  utm_campaign  text not null default '',
  referrer_host text not null default '',
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, page_id) references pages (tenant_id, id) on delete cascade
);
create index page_views_page_at on page_views (tenant_id, page_id, at);
create trigger page_views_updated before update on page_views for each row execute function set_updated_at();

-- One row per event received (the event's id is the row's id, so a redelivery changes nothing).
create table funnel_events (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  kind          text not null check (kind in ('optin', 'checkout', 'purchase')),
  page_id       uuid not null,
  variant       text not null default '' check (variant in ('', 'a', 'b')),
  utm_source    text not null default '',
  utm_campaign  text not null default '',
  amount        bigint,
  currency      char(3),
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, page_id) references pages (tenant_id, id) on delete cascade
);
create index funnel_events_page_at on funnel_events (tenant_id, page_id, at);
create trigger funnel_events_updated before update on funnel_events for each row execute function set_updated_at();

-- A page's A/B tests: variant A is the published version, variant B the document kept here.
create table page_experiments (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  page_id     uuid not null,
  variant_b   jsonb not null,
  goal        text not null default 'optin' check (goal in ('optin', 'purchase')),
  started_at  timestamptz not null,
  ended_at    timestamptz,
  winner      text check (winner in ('a', 'b')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, page_id) references pages (tenant_id, id) on delete cascade
);
create unique index page_experiments_one_running on page_experiments (tenant_id, page_id) where ended_at is null;
create trigger page_experiments_updated before update on page_experiments for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['page_views', 'funnel_events', 'page_experiments'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
