-- Stripe Connect: the platform's application fee per plan, and one school per connected
-- account (webhooks name the account; the school is found from it).

-- The application fee the platform takes on a school's Stripe sales, by the school's plan, in
-- basis points (250 = 2.5%). A platform table: the operator writes it, every school reads it
-- (its own plan's row decides the fee on its checkout sessions). A plan without a row pays 0.
create table plan_fees (
  plan        text primary key check (length(plan) between 1 and 40),
  fee_bp      int not null default 0 check (fee_bp between 0 and 5000),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create trigger plan_fees_updated before update on plan_fees for each row execute function set_updated_at();
alter table plan_fees enable row level security;
alter table plan_fees force row level security;
create policy plan_fees_read on plan_fees for select using (true);
create policy plan_fees_platform on plan_fees using (app_platform()) with check (app_platform());

-- A Stripe account sells for one school only.
create unique index commerce_settings_stripe_account on commerce_settings (stripe_account_id)
  where stripe_account_id is not null;
