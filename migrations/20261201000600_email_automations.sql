-- Email automations (issue 12, item 3): a trigger, then steps, run once per contact per entry.
--
-- `automations.steps` is a tree of steps with stable ids (`[{"id": "s1", "kind": "send_email",
-- ...}, {"id": "s2", "kind": "if_else", "yes": [...], "no": [...]}]`), so editing a live
-- automation keeps people at the step they are on. `automation_runs` is one contact's way
-- through one automation; `seq` grows with every step taken and guards the `automation.step`
-- job (a job for an old `seq` does nothing). `automation_run_steps` is the path, for people.
--   automations.status        draft | active | paused
--   automation_runs.status    active | waiting | done | exited

create table automations (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  name          text not null check (length(name) between 1 and 200),
  status        text not null default 'draft' check (status in ('draft', 'active', 'paused')),
  trigger       jsonb not null default '{"kind": "form_submitted"}',
  steps         jsonb not null default '[]',
  allow_reentry boolean not null default false,
  recipe        text,
  revision      int not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index automations_active on automations (tenant_id) where status = 'active';
create trigger automations_updated before update on automations for each row execute function set_updated_at();

create table automation_runs (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  automation_id  uuid not null,
  contact_id     uuid not null,
  -- What made them enter (an event id, or a sweep's key): one run per entry.
  entry_key      text not null,
  current_step   text,
  seq            int not null default 0,
  status         text not null default 'active' check (status in ('active', 'waiting', 'done', 'exited')),
  wake_at        timestamptz,
  waiting_for    text,
  timeout_at     timestamptz,
  trigger_data   jsonb not null default '{}',
  started_at     timestamptz not null,
  finished_at    timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, automation_id) references automations (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create unique index automation_runs_entry on automation_runs (tenant_id, automation_id, entry_key);
create index automation_runs_contact on automation_runs (tenant_id, automation_id, contact_id);
create index automation_runs_due on automation_runs (tenant_id, wake_at) where status = 'waiting';
create index automation_runs_waiting_for on automation_runs (tenant_id, waiting_for, contact_id) where status = 'waiting';
create trigger automation_runs_updated before update on automation_runs for each row execute function set_updated_at();

create table automation_run_steps (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  run_id        uuid not null,
  step_id       text not null,
  kind          text not null,
  outcome       text not null,
  at            timestamptz not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, run_id) references automation_runs (tenant_id, id) on delete cascade
);
create index automation_run_steps_run on automation_run_steps (tenant_id, run_id, at, created_at);
create trigger automation_run_steps_updated before update on automation_run_steps for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['automations', 'automation_runs', 'automation_run_steps'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
