-- Sales on the admin dashboard, kept by insights from commerce's events (never from
-- commerce's tables): one row per event counted, so a job that runs twice counts nothing the
-- second time. `amount` is signed: a payment adds, a refund or chargeback takes away; an
-- order (`kind = 'order'`) carries its first payment for the recent-orders list and is not
-- summed (its payment is).
create table insights_sales (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  kind         text not null check (kind in ('order', 'payment', 'refund')),
  order_id     uuid,
  email        text not null default '',
  name         text not null default '',
  label        text not null default '',
  source       text not null default '',
  currency     char(3) not null,
  amount       bigint not null,
  day          date not null,
  occurred_at  timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index insights_sales_days on insights_sales (tenant_id, day) where kind <> 'order';
create index insights_sales_orders on insights_sales (tenant_id, occurred_at desc) where kind = 'order';
create trigger insights_sales_updated before update on insights_sales for each row execute function set_updated_at();

alter table insights_sales enable row level security;
alter table insights_sales force row level security;
create policy insights_sales_tenant on insights_sales using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy insights_sales_platform on insights_sales using ((select app_platform())) with check ((select app_platform()));
