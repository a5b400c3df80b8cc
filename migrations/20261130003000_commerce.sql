-- Commerce (ARCHITECTURE §8): what a school sells, how, and the ledger of what was paid.
--
-- A product grants courses; an offer is one way to buy it (a one-time price, a plan of N
-- payments, or a subscription). A checkout is one buyer's attempt at an offer with the totals
-- computed on the server; paying it makes an order. Payments, refunds and subscription changes
-- are append-only rows: what an order or a subscription shows is derived from them, and each
-- provider object (a charge, a refund, a webhook event) is recorded once by a unique key, so a
-- repeated or late webhook changes nothing. Access is granted from `order.paid` through the
-- outbox and recorded in `access_grants`, one row per order and course, written once.

-- What a school sells: a bundle of courses (and later, community and live sessions).
create table products (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  name         text not null check (length(name) between 1 and 200),
  description  text not null default '' check (length(description) <= 2000),
  archived_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index products_recent on products (tenant_id, created_at desc);
create trigger products_updated before update on products for each row execute function set_updated_at();

-- The courses a product opens.
create table product_courses (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  product_id  uuid not null,
  course_id   uuid not null,
  position    int not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, product_id, course_id),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade,
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade
);
create index product_courses_course on product_courses (tenant_id, course_id);

-- How a product is sold.
--   one_time      `amount` once
--   plan          `amount` every `interval`, `installments` times, then access for good
--   subscription  `amount` every `interval` until cancelled, after `trial_days` free, plus
--                 `setup_fee` with the first payment
create table offers (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  product_id       uuid not null,
  slug             text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name             text not null check (length(name) between 1 and 200),
  kind             text not null check (kind in ('one_time', 'plan', 'subscription')),
  currency         char(3) not null check (currency ~ '^[A-Z]{3}$'),
  amount           bigint not null check (amount >= 0 and amount <= 100000000000),
  interval         text check (interval in ('month', 'year')),
  installments     int check (installments between 2 and 36),
  trial_days       int not null default 0 check (trial_days between 0 and 365),
  setup_fee        bigint not null default 0 check (setup_fee >= 0),
  -- Hidden offers sell only through their link; limited ones stop after `max_sales` orders.
  visible          boolean not null default true,
  max_sales        int check (max_sales > 0),
  closes_at        timestamptz,
  -- An extra offer shown as a checkbox on this checkout, and one offered after payment.
  bump_offer_id    uuid,
  bump_headline    text not null default '' check (length(bump_headline) <= 200),
  upsell_offer_id  uuid,
  archived_at      timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade,
  foreign key (tenant_id, bump_offer_id) references offers (tenant_id, id) on delete set null (bump_offer_id),
  foreign key (tenant_id, upsell_offer_id) references offers (tenant_id, id) on delete set null (upsell_offer_id),
  check ((kind = 'one_time') = (interval is null)),
  check ((kind = 'plan') = (installments is not null)),
  check (kind = 'subscription' or (trial_days = 0 and setup_fee = 0))
);
create unique index offers_slug on offers (tenant_id, slug);
create index offers_product on offers (tenant_id, product_id);
create trigger offers_updated before update on offers for each row execute function set_updated_at();

-- Discounts. `offer_ids` null: every offer. `duration` says how many payments of a
-- subscription or plan it applies to: `once`, `forever`, or `months` (`duration_months`).
create table coupons (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null,
  code                text not null check (code ~ '^[A-Z0-9_-]{3,40}$'),
  percent_off         int check (percent_off between 1 and 100),
  amount_off          bigint check (amount_off > 0),
  currency            char(3),
  duration            text not null default 'once' check (duration in ('once', 'forever', 'months')),
  duration_months     int check (duration_months between 1 and 120),
  offer_ids           uuid[],
  expires_at          timestamptz,
  max_redemptions     int check (max_redemptions > 0),
  per_customer_limit  int check (per_customer_limit > 0),
  archived_at         timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((percent_off is null) <> (amount_off is null)),
  check ((amount_off is null) = (currency is null)),
  check ((duration = 'months') = (duration_months is not null))
);
create unique index coupons_code on coupons (tenant_id, code);
create trigger coupons_updated before update on coupons for each row execute function set_updated_at();

-- A school's seller details, tax and refund rules, and its payment provider.
create table commerce_settings (
  tenant_id             uuid not null primary key references tenants (id) on delete cascade,
  legal_name            text not null default '' check (length(legal_name) <= 200),
  address               text not null default '' check (length(address) <= 500),
  tax_id                text not null default '' check (length(tax_id) <= 60),
  prices_include_tax    boolean not null default false,
  -- On a refund or chargeback: take the courses away, or let the student keep them.
  refund_access         text not null default 'revoke' check (refund_access in ('revoke', 'keep')),
  -- Days a subscription that failed to renew keeps access while payment is retried.
  grace_days            int not null default 7 check (grace_days between 0 and 60),
  provider              text not null default 'sandbox' check (provider in ('sandbox', 'stripe')),
  stripe_account_id     text,
  stripe_secret_sealed  text,
  stripe_tax            boolean not null default false,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create trigger commerce_settings_updated before update on commerce_settings for each row execute function set_updated_at();

-- A tax rate per buyer country (ISO 3166-1 alpha-2), in basis points (2000 = 20%).
create table tax_rates (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  country     char(2) not null check (country ~ '^[A-Z]{2}$'),
  rate_bp     int not null check (rate_bp between 0 and 10000),
  label       text not null default 'Tax' check (length(label) between 1 and 40),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, country)
);
create trigger tax_rates_updated before update on tax_rates for each row execute function set_updated_at();

-- A saved card (never its number: the provider's reference, brand, last four digits and
-- expiry). The sandbox keeps its test behaviour in `provider_ref`.
create table payment_methods (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  user_id       uuid not null,
  provider      text not null,
  provider_ref  text not null,
  brand         text not null default 'card',
  last4         char(4) not null,
  exp_month     int not null check (exp_month between 1 and 12),
  exp_year      int not null check (exp_year between 2000 and 2200),
  -- Card fingerprint (same card, different checkouts), for affiliate self-referral checks.
  fingerprint   text not null default '',
  detached_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, provider, provider_ref),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create index payment_methods_user on payment_methods (tenant_id, user_id, created_at desc);
create trigger payment_methods_updated before update on payment_methods for each row execute function set_updated_at();

-- One buyer's attempt at an offer, with the totals the server computed. `status`:
-- open → paid, or open → abandoned (no payment within the hour; still payable).
create table checkouts (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  offer_id       uuid not null,
  user_id        uuid,
  email          text not null default '',
  name           text not null default '',
  country        char(2),
  billing_address text not null default '' check (length(billing_address) <= 500),
  coupon_id      uuid,
  with_bump      boolean not null default false,
  -- Totals in `currency` minor units: first payment (what is charged now).
  currency       char(3) not null,
  subtotal       bigint not null check (subtotal >= 0),
  discount       bigint not null default 0 check (discount >= 0),
  tax            bigint not null default 0 check (tax >= 0),
  total          bigint not null check (total >= 0),
  tax_rate_bp    int not null default 0,
  tax_inclusive  boolean not null default false,
  -- The upsell's checkout points at the order whose card it charges.
  parent_order_id uuid,
  status         text not null default 'open' check (status in ('open', 'paid', 'abandoned')),
  provider       text not null default 'sandbox',
  provider_ref   text,
  -- Where the buyer came from (UTM, referral code), carried into the order.
  attribution    jsonb not null default '{}',
  abandoned_at   timestamptz,
  paid_at        timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, offer_id) references offers (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete set null (user_id),
  foreign key (tenant_id, coupon_id) references coupons (tenant_id, id) on delete set null (coupon_id)
);
create index checkouts_open on checkouts (tenant_id, created_at) where status = 'open';
create unique index checkouts_provider_ref on checkouts (tenant_id, provider, provider_ref) where provider_ref is not null;
create trigger checkouts_updated before update on checkouts for each row execute function set_updated_at();

-- A paid checkout (or staff's comp). Never updated but for `number`-free fields: its state
-- (paid, partly refunded, refunded) is derived from payments and refunds.
create table orders (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  checkout_id   uuid,
  user_id       uuid not null,
  email         text not null,
  name          text not null default '',
  country       char(2),
  billing_address text not null default '',
  offer_id      uuid not null,
  coupon_id     uuid,
  currency      char(3) not null,
  subtotal      bigint not null,
  discount      bigint not null default 0,
  tax           bigint not null default 0,
  total         bigint not null,
  tax_rate_bp   int not null default 0,
  tax_inclusive boolean not null default false,
  -- 'checkout', 'upsell', 'comp' (staff gave it, nothing charged).
  source        text not null default 'checkout' check (source in ('checkout', 'upsell', 'comp')),
  provider      text not null,
  attribution   jsonb not null default '{}',
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, offer_id) references offers (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id),
  foreign key (tenant_id, checkout_id) references checkouts (tenant_id, id)
);
create unique index orders_checkout on orders (tenant_id, checkout_id) where checkout_id is not null;
create index orders_recent on orders (tenant_id, created_at desc);
create index orders_user on orders (tenant_id, user_id, created_at desc);
create trigger orders_updated before update on orders for each row execute function set_updated_at();

-- What an order holds: the main offer's product, and the bump's when taken.
create table order_items (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  order_id    uuid not null,
  offer_id    uuid not null,
  product_id  uuid not null,
  kind        text not null check (kind in ('main', 'bump')),
  amount      bigint not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, order_id, offer_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index order_items_product on order_items (tenant_id, product_id);

-- Subscriptions and payment plans. The row is the current state; every change to it is
-- also appended to `subscription_changes` with its reason, in the same transaction.
create table subscriptions (
  tenant_id             uuid not null references tenants (id) on delete cascade,
  id                    uuid not null,
  user_id               uuid not null,
  offer_id              uuid not null,
  order_id              uuid not null,
  coupon_id             uuid,
  status                text not null check (status in ('trialing', 'active', 'past_due', 'paused', 'canceled', 'completed')),
  currency              char(3) not null,
  amount                bigint not null,
  current_period_start  timestamptz not null,
  current_period_end    timestamptz not null,
  cancel_at_period_end  boolean not null default false,
  payments_made         int not null default 0,
  -- While past due: when the next retry runs, and when access pauses.
  retry_at              timestamptz,
  failed_attempts       int not null default 0,
  grace_ends_at         timestamptz,
  payment_method_id     uuid,
  provider              text not null,
  provider_ref          text,
  canceled_at           timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id),
  foreign key (tenant_id, offer_id) references offers (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id),
  foreign key (tenant_id, payment_method_id) references payment_methods (tenant_id, id) on delete set null (payment_method_id)
);
create unique index subscriptions_order on subscriptions (tenant_id, order_id);
create unique index subscriptions_provider_ref on subscriptions (tenant_id, provider, provider_ref) where provider_ref is not null;
create index subscriptions_due on subscriptions (tenant_id, current_period_end) where status in ('trialing', 'active');
create index subscriptions_retry on subscriptions (tenant_id, retry_at) where status = 'past_due';
create index subscriptions_user on subscriptions (tenant_id, user_id);
create trigger subscriptions_updated before update on subscriptions for each row execute function set_updated_at();

create table subscription_changes (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  subscription_id  uuid not null,
  kind             text not null,
  from_status      text,
  to_status        text not null,
  detail           jsonb not null default '{}',
  actor_id         uuid,
  occurred_at      timestamptz not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id) on delete cascade
);
create index subscription_changes_of on subscription_changes (tenant_id, subscription_id, occurred_at);

-- Money taken (or a charge that failed). `provider_ref` is the provider's charge id: the
-- same charge reported twice is one row.
create table payments (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  order_id         uuid not null,
  subscription_id  uuid,
  status           text not null check (status in ('succeeded', 'failed')),
  currency         char(3) not null,
  amount           bigint not null check (amount >= 0),
  tax              bigint not null default 0,
  provider         text not null,
  provider_ref     text not null,
  failure_code     text,
  payment_method_id uuid,
  -- The gap-free receipt number of a successful payment.
  receipt_number   text,
  occurred_at      timestamptz not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, provider, provider_ref),
  foreign key (tenant_id, order_id) references orders (tenant_id, id),
  foreign key (tenant_id, subscription_id) references subscriptions (tenant_id, id)
);
create index payments_order on payments (tenant_id, order_id, occurred_at);
create index payments_recent on payments (tenant_id, occurred_at desc) where status = 'succeeded';

-- Money given back, or taken back by a chargeback (`kind = 'dispute'`).
create table refunds (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null,
  order_id            uuid not null,
  payment_id          uuid not null,
  kind                text not null default 'refund' check (kind in ('refund', 'dispute')),
  currency            char(3) not null,
  amount              bigint not null check (amount > 0),
  reason              text not null default '' check (length(reason) <= 500),
  provider            text not null,
  provider_ref        text not null,
  revoke_access       boolean not null,
  credit_note_number  text,
  actor_id            uuid,
  occurred_at         timestamptz not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, provider, provider_ref),
  foreign key (tenant_id, order_id) references orders (tenant_id, id),
  foreign key (tenant_id, payment_id) references payments (tenant_id, id)
);
create index refunds_order on refunds (tenant_id, order_id);

-- Per-school, gap-free numbering of receipts and credit notes: the counter row is locked
-- and bumped in the transaction that records the payment, so a rolled-back payment takes
-- no number.
create table document_sequences (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  kind        text not null check (kind in ('receipt', 'credit_note')),
  last_value  bigint not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, kind)
);
create trigger document_sequences_updated before update on document_sequences for each row execute function set_updated_at();

-- Courses an order opened, once per order and course. `revoked_at`: taken back by a refund;
-- `paused_at`: closed while its subscription lapsed.
create table access_grants (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  order_id    uuid not null,
  course_id   uuid not null,
  user_id     uuid not null,
  granted_at  timestamptz not null,
  revoked_at  timestamptz,
  paused_at   timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, order_id, course_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id)
);
create index access_grants_user on access_grants (tenant_id, user_id, course_id);
create trigger access_grants_updated before update on access_grants for each row execute function set_updated_at();

-- Every provider event received (webhooks, and the sandbox's own), once by its id.
create table provider_events (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  provider      text not null,
  event_id      text not null,
  kind          text not null,
  payload       jsonb not null,
  received_at   timestamptz not null default now(),
  processed_at  timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, provider, event_id)
);
create trigger provider_events_updated before update on provider_events for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['products', 'product_courses', 'offers', 'coupons', 'commerce_settings', 'tax_rates',
                           'payment_methods', 'checkouts', 'orders', 'order_items', 'subscriptions',
                           'subscription_changes', 'payments', 'refunds', 'document_sequences', 'access_grants',
                           'provider_events'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
