-- Email deliverability (issue 12): each school's sending settings and its DKIM-signed domains.
--
-- `email_settings` has one row per school (made on first save): the postal address every
-- marketing footer shows, whether opens and clicks are tracked, when warm-up started, the
-- secret token of its bounce/complaint webhook, and the hold (held_at/hold_reason) set when the
-- complaint or hard-bounce rate passes the bulk-sender thresholds; staff lift it after review.
create table email_settings (
  tenant_id          uuid primary key references tenants (id) on delete cascade,
  postal_address     text not null default '' check (length(postal_address) <= 500),
  tracking_enabled   boolean not null default true,
  warmup_started_at  timestamptz,
  bounce_token       text not null,
  held_at            timestamptz,
  hold_reason        text,
  hold_notified_at   timestamptz,
  -- The last lift: the rates that trip the hold count only what was sent after it.
  hold_lifted_at     timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
create unique index email_settings_bounce_token on email_settings (bounce_token);
create trigger email_settings_updated before update on email_settings for each row execute function set_updated_at();

-- A domain the school sends from, with its DKIM key (RSA-2048, private key sealed) and what
-- the last DNS check found for DKIM, SPF and DMARC: found | missing | wrong (null: never checked).
create table sending_domains (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  domain        text not null check (domain = lower(domain) and length(domain) between 3 and 253),
  selector      text not null,
  private_key   text not null,
  public_key    text not null,
  dkim_status   text check (dkim_status in ('found', 'missing', 'wrong')),
  spf_status    text check (spf_status in ('found', 'missing', 'wrong')),
  dmarc_status  text check (dmarc_status in ('found', 'missing', 'wrong')),
  checked_at    timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, domain)
);
create trigger sending_domains_updated before update on sending_domains for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['email_settings', 'sending_domains'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
