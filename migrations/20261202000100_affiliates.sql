-- Affiliate program (issue 13): the school's program settings, its affiliates, their clicks,
-- sign-ups and referred orders, the commission ledger, and payouts.
--
-- The commission ledger is append-mostly: one row per (payment or refund, level), keyed by
-- `source_key` so that the same fact handled twice, or events replayed in any order, writes
-- one row. A commission's balance state is derived: `pending` rows whose `payable_at` has
-- passed are payable; `paid` rows belong to a paid payout; `cancelled` rows count for nothing.

-- One row per school that has set its program up.
create table affiliate_settings (
  tenant_id        uuid primary key references tenants (id) on delete cascade,
  enabled          boolean not null default false,
  -- `open`: anyone who applies is approved at once; `approval`: staff decide.
  signup           text not null default 'approval' check (signup in ('open', 'approval')),
  -- Shown on the application page; the applicant accepts it (markdown-free plain text).
  terms            text not null default '' check (length(terms) <= 20000),
  cookie_days      int not null default 30 check (cookie_days between 1 and 365),
  attribution      text not null default 'last_click' check (attribution in ('first_click', 'last_click')),
  -- Days a commission is held before it becomes payable (longer than the refund window).
  holding_days     int not null default 30 check (holding_days between 0 and 365),
  -- The smallest payout, per currency: {"USD": 5000}. A currency not listed has no minimum.
  min_payout       jsonb not null default '{}' check (jsonb_typeof(min_payout) = 'object'),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create trigger affiliate_settings_updated before update on affiliate_settings for each row execute function set_updated_at();

-- A commission rule: the school's default (`offer_id` null, exactly one) or one per offer.
create table affiliate_rules (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  offer_id          uuid,
  -- `percent`: `percent_bp` basis points of the sale net of tax (3000 = 30 %);
  -- `fixed`: `amounts` per currency in minor units ({"USD": 2500}).
  kind              text not null default 'percent' check (kind in ('percent', 'fixed')),
  percent_bp        int not null default 3000 check (percent_bp between 0 and 10000),
  amounts           jsonb not null default '{}' check (jsonb_typeof(amounts) = 'object'),
  -- On subscriptions and payment plans: the first payment only, the first `months` months,
  -- or every payment.
  recurring         text not null default 'first' check (recurring in ('first', 'months', 'forever')),
  recurring_months  int check (recurring_months between 1 and 120),
  -- A higher rate once the affiliate has made `tier_sales` sales in the calendar month.
  tier_sales        int check (tier_sales between 1 and 100000),
  tier_percent_bp   int check (tier_percent_bp between 0 and 10000),
  tier_amounts      jsonb check (jsonb_typeof(tier_amounts) = 'object'),
  -- The share of the sale (net of tax) earned by the affiliate who recruited the seller.
  second_level_bp   int not null default 0 check (second_level_bp between 0 and 5000),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, offer_id) references offers (tenant_id, id) on delete cascade,
  check ((recurring = 'months') = (recurring_months is not null))
);
create unique index affiliate_rules_offer on affiliate_rules (tenant_id, offer_id) where offer_id is not null;
create unique index affiliate_rules_default on affiliate_rules (tenant_id) where offer_id is null;
create trigger affiliate_rules_updated before update on affiliate_rules for each row execute function set_updated_at();

-- A person in the school's program. A student stays a student: being an affiliate is this row,
-- not their role.
create table affiliates (
  tenant_id          uuid not null references tenants (id) on delete cascade,
  id                 uuid not null,
  user_id            uuid not null,
  -- The public referral code (`?ref=code`).
  code               text not null check (code ~ '^[a-z0-9][a-z0-9-]{2,39}$'),
  status             text not null check (status in ('pending', 'approved', 'rejected', 'suspended')),
  -- The affiliate whose link this one signed up through (second-level commissions).
  recruited_by       uuid,
  -- A personal rate that overrides every rule's percentage (basis points).
  personal_percent_bp int check (personal_percent_bp between 0 and 10000),
  -- What the applicant wrote: where and how they will promote.
  pitch              text not null default '' check (length(pitch) <= 2000),
  website            text not null default '' check (length(website) <= 300),
  terms_accepted_at  timestamptz not null,
  -- Payout details: `paypal` or `bank`; the details sealed with `kernel::secret`, and a
  -- masked summary safe to show ("PayPal j•••@example.com").
  payout_method      text check (payout_method in ('paypal', 'bank')),
  payout_sealed      text,
  payout_summary     text not null default '',
  -- A Stripe Connect Express account the affiliate connected, for payouts by transfer.
  stripe_account_id  text,
  staff_note         text not null default '' check (length(staff_note) <= 2000),
  decided_by         uuid,
  decided_at         timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, recruited_by) references affiliates (tenant_id, id) on delete set null (recruited_by)
);
create unique index affiliates_user on affiliates (tenant_id, user_id);
create unique index affiliates_code on affiliates (tenant_id, code);
create index affiliates_status on affiliates (tenant_id, status, created_at desc);
create trigger affiliates_updated before update on affiliates for each row execute function set_updated_at();

-- An invitation by email from staff: accepting it makes an approved affiliate.
create table affiliate_invites (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  email        text not null check (length(email) between 3 and 320),
  token_hash   text not null,
  invited_by   uuid,
  expires_at   timestamptz not null,
  accepted_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index affiliate_invites_token on affiliate_invites (tenant_id, token_hash);
create trigger affiliate_invites_updated before update on affiliate_invites for each row execute function set_updated_at();

-- A human's click on an affiliate link (bots are not recorded).
create table affiliate_clicks (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  affiliate_id  uuid not null,
  -- The path landed on, and where the visitor came from (host only).
  landing       text not null default '' check (length(landing) <= 500),
  referrer      text not null default '' check (length(referrer) <= 300),
  utm           jsonb not null default '{}',
  -- A keyed hash of the visitor's address: counts per address without keeping it.
  ip_hash       text not null default '',
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id) on delete cascade
);
create index affiliate_clicks_of on affiliate_clicks (tenant_id, affiliate_id, at desc);
create trigger affiliate_clicks_updated before update on affiliate_clicks for each row execute function set_updated_at();

-- A person who signed up (an account or an opt-in) with an affiliate's referral.
create table affiliate_signups (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  affiliate_id  uuid not null,
  email         text not null,
  user_id       uuid,
  ip_hash       text not null default '',
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id) on delete cascade
);
create unique index affiliate_signups_once on affiliate_signups (tenant_id, affiliate_id, lower(email));
create index affiliate_signups_ip on affiliate_signups (tenant_id, ip_hash, at desc);
create trigger affiliate_signups_updated before update on affiliate_signups for each row execute function set_updated_at();

-- An order attributed to an affiliate, decided once when it was paid. A self-referral is kept
-- (status `self_referral`) for the fraud view and earns nothing.
create table affiliate_referrals (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  order_id      uuid not null,
  affiliate_id  uuid not null,
  -- `link`: the checkout link's ref; `cookie`: the referral cookie; `coupon`: a coupon tied to
  -- the affiliate.
  via           text not null check (via in ('link', 'cookie', 'coupon')),
  click_id      uuid,
  status        text not null check (status in ('credited', 'self_referral')),
  -- Why a self-referral was refused: `account`, `email` or `card`.
  reason        text,
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, order_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id) on delete cascade
);
create index affiliate_referrals_of on affiliate_referrals (tenant_id, affiliate_id, at desc);
create trigger affiliate_referrals_updated before update on affiliate_referrals for each row execute function set_updated_at();

-- A batch of payouts staff create, export and mark paid.
create table affiliate_payout_batches (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  currency     char(3) not null,
  status       text not null default 'open' check (status in ('open', 'paid')),
  created_by   uuid,
  paid_by      uuid,
  paid_at      timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create trigger affiliate_payout_batches_updated before update on affiliate_payout_batches for each row execute function set_updated_at();

-- One affiliate's payout in a batch: the sum of the ledger rows it settles.
create table affiliate_payouts (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  batch_id      uuid not null,
  affiliate_id  uuid not null,
  currency      char(3) not null,
  amount        bigint not null check (amount > 0),
  -- `paypal`, `bank` or `stripe` (a Connect transfer, `transfer_ref` its id).
  method        text not null check (method in ('paypal', 'bank', 'stripe')),
  status        text not null default 'open' check (status in ('open', 'paid')),
  transfer_ref  text,
  number        text,
  paid_at       timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, batch_id) references affiliate_payout_batches (tenant_id, id) on delete cascade,
  foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id)
);
create unique index affiliate_payouts_once on affiliate_payouts (tenant_id, batch_id, affiliate_id);
create index affiliate_payouts_of on affiliate_payouts (tenant_id, affiliate_id, created_at desc);
create trigger affiliate_payouts_updated before update on affiliate_payouts for each row execute function set_updated_at();

-- The commission ledger.
create table affiliate_commissions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  affiliate_id  uuid not null,
  order_id      uuid not null,
  payment_id    uuid,
  refund_id     uuid,
  -- 1: the referring affiliate; 2: the affiliate who recruited them.
  level         int not null default 1 check (level in (1, 2)),
  -- `sale`: the first payment; `recurring`: a later payment of a subscription or plan;
  -- `clawback`: a refund after the commission was paid out (negative).
  kind          text not null check (kind in ('sale', 'recurring', 'clawback')),
  -- What makes this row unique: `pay:{payment_id}:{level}` or `refund:{refund_id}:{level}`.
  source_key    text not null,
  currency      char(3) not null,
  -- The sale amount net of tax the commission was computed on, and the commission.
  basis         bigint not null,
  amount        bigint not null,
  -- How it was computed, for the statement: "30 %", "$25.00", "tier 40 %", "level 2: 5 %".
  rate_label    text not null default '',
  status        text not null default 'pending' check (status in ('pending', 'paid', 'cancelled')),
  payable_at    timestamptz not null,
  payout_id     uuid,
  cancelled_at  timestamptz,
  cancel_reason text,
  occurred_at   timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id),
  foreign key (tenant_id, payout_id) references affiliate_payouts (tenant_id, id),
  check ((kind = 'clawback') = (amount < 0) or amount = 0)
);
create unique index affiliate_commissions_once on affiliate_commissions (tenant_id, source_key);
create index affiliate_commissions_of on affiliate_commissions (tenant_id, affiliate_id, occurred_at desc);
create index affiliate_commissions_order on affiliate_commissions (tenant_id, order_id);
create index affiliate_commissions_payout on affiliate_commissions (tenant_id, payout_id) where payout_id is not null;
create trigger affiliate_commissions_updated before update on affiliate_commissions for each row execute function set_updated_at();

-- A coupon tied to an affiliate: an order with it is theirs (podcast and video codes).
alter table coupons add column affiliate_id uuid;
alter table coupons add foreign key (tenant_id, affiliate_id) references affiliates (tenant_id, id) on delete set null (affiliate_id);

do $$
declare t text;
begin
  foreach t in array array['affiliate_settings', 'affiliate_rules', 'affiliates', 'affiliate_invites', 'affiliate_clicks',
                           'affiliate_signups', 'affiliate_referrals', 'affiliate_payout_batches', 'affiliate_payouts',
                           'affiliate_commissions'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
