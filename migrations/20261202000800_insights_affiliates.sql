-- Revenue by affiliate on the admin dashboard, kept by insights from the affiliate program's
-- events (never from commerce's tables): who each affiliate is (`affiliate.approved`), which
-- orders they were credited with (the first level-1 `commission.created` of an order), and
-- their commissions net of cancellations and clawbacks. Revenue itself comes from
-- `insights_sales`, joined by order, so refunds count against the affiliate who sold.
create table insights_affiliates (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  affiliate_id  uuid not null,
  code          text not null default '',
  name          text not null default '',
  email         text not null default '',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, affiliate_id)
);
create trigger insights_affiliates_updated before update on insights_affiliates for each row execute function set_updated_at();

create table insights_affiliate_orders (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  order_id      uuid not null,
  affiliate_id  uuid not null,
  day           date not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, order_id)
);
create index insights_affiliate_orders_of on insights_affiliate_orders (tenant_id, affiliate_id, day);
create trigger insights_affiliate_orders_updated before update on insights_affiliate_orders for each row execute function set_updated_at();

-- One row per commission event: + when created, − when cancelled or clawed back.
create table insights_affiliate_commissions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  affiliate_id  uuid not null,
  currency      char(3) not null,
  amount        bigint not null,
  day           date not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index insights_affiliate_commissions_days on insights_affiliate_commissions (tenant_id, day);
create trigger insights_affiliate_commissions_updated before update on insights_affiliate_commissions for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['insights_affiliates', 'insights_affiliate_orders', 'insights_affiliate_commissions'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
