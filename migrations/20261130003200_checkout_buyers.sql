-- Which browser started a checkout, so only that browser is signed in after paying for a new
-- account and only it may accept a one-click upsell; and whether the account is new.
create table checkout_buyers (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  checkout_id   uuid not null,
  -- SHA-256 of the buyer cookie's random value (never the value itself).
  browser_hash  text not null,
  -- No account had the checkout's address when it started: paying creates it.
  new_account   boolean not null default false,
  -- When the thank-you page signed the new account in (once).
  signed_in_at  timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, checkout_id),
  foreign key (tenant_id, checkout_id) references checkouts (tenant_id, id) on delete cascade
);
create trigger checkout_buyers_updated before update on checkout_buyers for each row execute function set_updated_at();
create index checkouts_abandoned on checkouts (tenant_id, abandoned_at) where status = 'abandoned';

alter table checkout_buyers enable row level security;
alter table checkout_buyers force row level security;
create policy checkout_buyers_tenant on checkout_buyers using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy checkout_buyers_platform on checkout_buyers using ((select app_platform())) with check ((select app_platform()));
