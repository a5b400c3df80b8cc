-- Failed logins counted per account, whatever the address (kernel::lockout): several servers
-- then agree on a lock-out. Rows are keyed by the typed address, so they exist for addresses
-- without an account too, and are dropped after a quiet day.

create table login_lockouts (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  factor          text not null check (factor in ('password', 'code')),
  subject         text not null,
  failures        integer not null,
  last_failed_at  timestamptz not null,
  locked_until    timestamptz,
  notified        boolean not null default false,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, factor, subject)
);
create index login_lockouts_stale on login_lockouts (tenant_id, last_failed_at);
create trigger login_lockouts_updated before update on login_lockouts for each row execute function set_updated_at();
alter table login_lockouts enable row level security;
alter table login_lockouts force row level security;
create policy login_lockouts_tenant on login_lockouts
  using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy login_lockouts_platform on login_lockouts
  using ((select app_platform())) with check ((select app_platform()));

-- The same for platform operators, who belong to no school.
create table operator_login_lockouts (
  subject         text primary key,
  failures        integer not null,
  last_failed_at  timestamptz not null,
  locked_until    timestamptz,
  notified        boolean not null default false,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index operator_login_lockouts_stale on operator_login_lockouts (last_failed_at);
create trigger operator_login_lockouts_updated before update on operator_login_lockouts
  for each row execute function set_updated_at();
alter table operator_login_lockouts enable row level security;
alter table operator_login_lockouts force row level security;
create policy operator_login_lockouts_platform on operator_login_lockouts
  using ((select app_platform())) with check ((select app_platform()));
