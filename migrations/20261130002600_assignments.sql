-- Assignments: what a student hands in for an assignment lesson, each version kept, and staff's
-- review. Drip-unlock emails: which unlocked lessons a student was told about, and when each
-- school's check last ran. Notification preferences belong to identity (courses reads them
-- through identity's lib).

-- One row per student and assignment lesson: where the work stands now.
create table assignment_submissions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  lesson_id     uuid not null,
  course_id     uuid not null,
  user_id       uuid not null,
  status        text not null default 'pending' check (status in ('pending', 'approved', 'changes_requested')),
  -- The version staff review now (the latest).
  version       integer not null default 1 check (version >= 1),
  submitted_at  timestamptz not null default now(),
  reviewed_at   timestamptz,
  reviewed_by   uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, lesson_id, user_id),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade,
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, reviewed_by) references users (tenant_id, id) on delete set null (reviewed_by)
);
create index assignment_submissions_queue on assignment_submissions (tenant_id, status, submitted_at);
create trigger assignment_submissions_updated before update on assignment_submissions
  for each row execute function set_updated_at();

-- Each version handed in, with the review it got. A resubmission while pending replaces the
-- latest version; one after "changes requested" adds a version.
create table assignment_versions (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  submission_id  uuid not null,
  number         integer not null check (number >= 1),
  body_html      text not null default '' check (length(body_html) <= 100000),
  submitted_at   timestamptz not null default now(),
  outcome        text check (outcome in ('approved', 'changes_requested')),
  feedback       text not null default '' check (length(feedback) <= 10000),
  reviewed_at    timestamptz,
  reviewed_by    uuid,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, submission_id, number),
  foreign key (tenant_id, submission_id) references assignment_submissions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, reviewed_by) references users (tenant_id, id) on delete set null (reviewed_by)
);
create trigger assignment_versions_updated before update on assignment_versions
  for each row execute function set_updated_at();

-- Files attached to a version; the bytes are in the school's storage under `storage_key`.
create table assignment_files (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  id             uuid not null,
  version_id     uuid not null,
  submission_id  uuid not null,
  file_name      text not null check (length(file_name) between 1 and 255),
  content_type   text not null,
  size_bytes     bigint not null check (size_bytes >= 0),
  storage_key    text not null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, version_id) references assignment_versions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, submission_id) references assignment_submissions (tenant_id, id) on delete cascade
);
create index assignment_files_of on assignment_files (tenant_id, version_id);
create trigger assignment_files_updated before update on assignment_files
  for each row execute function set_updated_at();

-- The lessons a student was emailed about when they unlocked: never twice.
create table lesson_unlock_notices (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  user_id     uuid not null,
  lesson_id   uuid not null,
  sent_at     timestamptz not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, user_id, lesson_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade
);
create trigger lesson_unlock_notices_updated before update on lesson_unlock_notices
  for each row execute function set_updated_at();

-- When a school's unlock check last ran (by the application's clock): the next run looks at
-- what opened after it.
create table lesson_unlock_runs (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  last_run_at  timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id)
);
create trigger lesson_unlock_runs_updated before update on lesson_unlock_runs
  for each row execute function set_updated_at();

-- Identity's notification preferences: no row means the defaults (every email on).
create table user_notification_preferences (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  user_id        uuid not null,
  unlock_emails  boolean not null default true,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, user_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create trigger user_notification_preferences_updated before update on user_notification_preferences
  for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['assignment_submissions', 'assignment_versions', 'assignment_files',
                           'lesson_unlock_notices', 'lesson_unlock_runs', 'user_notification_preferences'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
