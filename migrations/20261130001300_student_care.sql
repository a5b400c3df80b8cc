-- Helping students from /admin/people: a suspended account cannot log in, a deleted one keeps
-- its row (other tables point at it) with the personal data erased, and each successful login
-- is recorded so staff can see when and from where a student signed in.

alter table users add column suspended_at timestamptz;
alter table users add column deleted_at timestamptz;

create table login_events (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  user_id     uuid not null,
  ip          text not null,
  user_agent  text not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create index login_events_user on login_events (tenant_id, user_id, created_at desc);
create trigger login_events_updated before update on login_events for each row execute function set_updated_at();
alter table login_events enable row level security;
alter table login_events force row level security;
create policy login_events_tenant on login_events
  using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy login_events_platform on login_events
  using ((select app_platform())) with check ((select app_platform()));
