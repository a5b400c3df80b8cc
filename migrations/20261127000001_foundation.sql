-- Foundation: roles, platform tables, tenancy, identity, jobs, events, mail, API keys.
-- Conventions (ARCHITECTURE §4): tenant-owned tables lead their primary key with tenant_id,
-- carry composite foreign keys, and have row-level security enabled and forced.
-- Platform tables (no tenant) are visible only inside a PlatformTx (app.platform = 'on').

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'lyceum_app') then
    create role lyceum_app login nosuperuser nobypassrls nocreatedb nocreaterole;
  end if;
exception when duplicate_object or unique_violation then
  null; -- another database in the same cluster created it concurrently
end
$$;

do $$
begin
  execute format('grant connect on database %I to lyceum_app', current_database());
end
$$;
grant usage on schema public to lyceum_app;
grant select on _sqlx_migrations to lyceum_app;
alter default privileges in schema public grant select, insert, update, delete on tables to lyceum_app;
alter default privileges in schema public grant usage, select on sequences to lyceum_app;

create function set_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Time-ordered UUIDs (version 7) generated in SQL, matching the application's Uuid::now_v7.
create function uuid_v7() returns uuid language sql volatile as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

-- The two policy predicates every table uses.
create function app_tenant() returns uuid language sql stable as $$
  select nullif(current_setting('app.tenant_id', true), '')::uuid
$$;
create function app_platform() returns boolean language sql stable as $$
  select coalesce(current_setting('app.platform', true), '') = 'on'
$$;

-- ───────────────────────── platform ─────────────────────────

create table tenants (
  id          uuid primary key,
  slug        text not null,
  name        text not null,
  status      text not null default 'active' check (status in ('active', 'suspended')),
  plan        text not null default 'starter',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  constraint tenants_slug_key unique (slug)
);
create trigger tenants_updated before update on tenants for each row execute function set_updated_at();
alter table tenants enable row level security;
alter table tenants force row level security;
-- A school may read its own row; the platform reads all.
create policy tenants_access on tenants
  using (app_platform() or id = app_tenant())
  with check (app_platform());

create table operators (
  id             uuid primary key,
  email          text not null,
  name           text not null,
  password_hash  text not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create unique index operators_email_key on operators (lower(email));
create trigger operators_updated before update on operators for each row execute function set_updated_at();
alter table operators enable row level security;
alter table operators force row level security;
create policy operators_platform on operators using (app_platform()) with check (app_platform());

create table operator_sessions (
  id             text primary key,
  operator_id    uuid not null references operators (id) on delete cascade,
  expires_at     timestamptz not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create trigger operator_sessions_updated before update on operator_sessions for each row execute function set_updated_at();
alter table operator_sessions enable row level security;
alter table operator_sessions force row level security;
create policy operator_sessions_platform on operator_sessions using (app_platform()) with check (app_platform());

-- ───────────────────────── tenancy ─────────────────────────

create table tenant_settings (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  tagline         text not null default '',
  logo_key        text,
  brand_color     text not null default '#4f46e5' check (brand_color ~ '^#[0-9a-f]{6}$'),
  accent_color    text not null default '#0f172a' check (accent_color ~ '^#[0-9a-f]{6}$'),
  heading_font    text not null default 'inter',
  default_locale  text not null default 'en',
  currency        char(3) not null default 'USD',
  time_zone       text not null default 'UTC',
  sender_name     text not null default '',
  sender_email    text not null default '',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id)
);
create trigger tenant_settings_updated before update on tenant_settings for each row execute function set_updated_at();

create table tenant_domains (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null,
  domain              text not null,
  verification_token  text not null,
  verified_at         timestamptz,
  last_checked_at     timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id)
);
-- A domain routes to one school only, so this one is unique across the platform.
create unique index tenant_domains_domain_key on tenant_domains (lower(domain));
create trigger tenant_domains_updated before update on tenant_domains for each row execute function set_updated_at();

create table brand_assets (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  content_type  text not null,
  byte_size     bigint not null,
  data          bytea not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id)
);
create trigger brand_assets_updated before update on brand_assets for each row execute function set_updated_at();

-- ───────────────────────── identity ─────────────────────────

create table users (
  tenant_id          uuid not null references tenants (id) on delete cascade,
  id                 uuid not null,
  email              text not null,
  name               text not null,
  password_hash      text,
  role               text not null check (role in ('owner', 'admin', 'instructor', 'support', 'affiliate', 'student')),
  email_verified_at  timestamptz,
  locale             text,
  time_zone          text,
  totp_secret        text,
  totp_enabled_at    timestamptz,
  last_login_at      timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index users_email_key on users (tenant_id, lower(email));
create index users_tenant_role on users (tenant_id, role, created_at);
create trigger users_updated before update on users for each row execute function set_updated_at();

create table recovery_codes (
  tenant_id  uuid not null,
  id         uuid not null,
  user_id    uuid not null,
  code_hash  text not null,
  used_at    timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create index recovery_codes_user on recovery_codes (tenant_id, user_id);
create trigger recovery_codes_updated before update on recovery_codes for each row execute function set_updated_at();

create table sessions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            text not null,
  user_id       uuid,
  pending_user_id uuid,
  expires_at    timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, pending_user_id) references users (tenant_id, id) on delete cascade
);
create index sessions_user on sessions (tenant_id, user_id);
create index sessions_expiry on sessions (tenant_id, expires_at);
create trigger sessions_updated before update on sessions for each row execute function set_updated_at();

create table user_tokens (
  tenant_id   uuid not null,
  id          uuid not null,
  user_id     uuid not null,
  purpose     text not null check (purpose in ('verify_email', 'reset_password', 'change_email')),
  token_hash  text not null,
  new_email   text,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create unique index user_tokens_hash on user_tokens (tenant_id, token_hash);
create trigger user_tokens_updated before update on user_tokens for each row execute function set_updated_at();

create table invitations (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  email        text not null,
  role         text not null check (role in ('admin', 'instructor', 'support', 'affiliate')),
  token_hash   text not null,
  invited_by   uuid,
  expires_at   timestamptz not null,
  accepted_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, invited_by) references users (tenant_id, id) on delete set null (invited_by)
);
create unique index invitations_hash on invitations (tenant_id, token_hash);
create trigger invitations_updated before update on invitations for each row execute function set_updated_at();

create table api_keys (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  name          text not null,
  prefix        text not null,
  key_hash      text not null,
  scope         text not null check (scope in ('read', 'read_write')),
  created_by    uuid,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, created_by) references users (tenant_id, id) on delete set null (created_by)
);
-- Looked up by hash before the tenant is known only through PlatformTx.
create unique index api_keys_hash on api_keys (key_hash);
create index api_keys_tenant on api_keys (tenant_id, created_at);
create trigger api_keys_updated before update on api_keys for each row execute function set_updated_at();

create table audit_log (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  actor_id    uuid,
  action      text not null,
  detail      jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index audit_log_recent on audit_log (tenant_id, created_at desc);

-- ───────────────────────── jobs, events, mail ─────────────────────────

create table jobs (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  kind             text not null,
  payload          jsonb not null default '{}',
  status           text not null default 'queued' check (status in ('queued', 'running', 'done', 'dead')),
  attempts         int not null default 0,
  max_attempts     int not null default 8,
  run_at           timestamptz not null default now(),
  locked_at        timestamptz,
  locked_by        text,
  last_error       text,
  idempotency_key  text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index jobs_due on jobs (run_at) where status = 'queued';
create index jobs_tenant_status on jobs (tenant_id, status, created_at);
create unique index jobs_idempotency on jobs (tenant_id, kind, idempotency_key) where idempotency_key is not null;
create trigger jobs_updated before update on jobs for each row execute function set_updated_at();

create table job_schedules (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  kind              text not null,
  payload           jsonb not null default '{}',
  interval_seconds  int not null check (interval_seconds > 0),
  next_run_at       timestamptz not null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint job_schedules_kind_key unique (tenant_id, kind)
);
create index job_schedules_due on job_schedules (next_run_at);
create trigger job_schedules_updated before update on job_schedules for each row execute function set_updated_at();

create table events (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  kind        text not null,
  payload     jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index events_recent on events (tenant_id, kind, created_at desc);

create table mail_messages (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  to_email    text not null,
  to_name     text not null default '',
  from_email  text not null,
  from_name   text not null default '',
  subject     text not null,
  html        text not null,
  text        text not null,
  template    text not null,
  status      text not null default 'queued' check (status in ('queued', 'sent', 'kept', 'failed')),
  sent_at     timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index mail_messages_recent on mail_messages (tenant_id, created_at desc);
create trigger mail_messages_updated before update on mail_messages for each row execute function set_updated_at();

-- Row-level security for every tenant-owned table: the school's own rows, or the platform.
do $$
declare t text;
begin
  for t in
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind = 'r'
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t || '_tenant', t);
    execute format('create policy %I on %I using (app_platform()) with check (app_platform())', t || '_platform', t);
  end loop;
end
$$;
