-- Insights: learning analytics kept from events (ARCHITECTURE §6), so the dashboard and a
-- course's analytics read a few small rollup rows instead of counting enrolments and progress.
--
-- Every event insights handles leaves one `insights_activity` row keyed by the event's id, in
-- the same transaction as its counters: a repeated job finds the row and changes nothing, so
-- each event counts exactly once. The rows also feed the dashboard's recent-activity list.
--
-- Course, lesson and user ids are not foreign keys: events arrive after the fact (a lesson may
-- be gone when its completion is counted) and numbers of the past stay true.

create table insights_activity (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  -- The event's id.
  id           uuid not null,
  kind         text not null,
  user_id      uuid,
  course_id    uuid,
  lesson_id    uuid,
  -- The course or lesson's title when it happened (the feed reads "Ana completed Lesson X").
  subject      text not null default '',
  -- A quiz score, 0–100.
  score        double precision,
  occurred_at  timestamptz not null,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index insights_activity_recent on insights_activity (tenant_id, occurred_at desc);
create index insights_activity_of_course on insights_activity (tenant_id, course_id, occurred_at desc);

-- One row per course and day (in the school's time zone).
create table insights_course_days (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  course_id           uuid not null,
  day                 date not null,
  enrollments         int not null default 0,
  revocations         int not null default 0,
  completions         int not null default 0,
  lesson_completions  int not null default 0,
  quiz_attempts       int not null default 0,
  quiz_passes         int not null default 0,
  certificates        int not null default 0,
  -- Students with any learning event that day.
  active_learners     int not null default 0,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, course_id, day)
);
create index insights_course_days_by_day on insights_course_days (tenant_id, day);
create trigger insights_course_days_updated before update on insights_course_days for each row execute function set_updated_at();

-- One row per lesson and day: completions (the drop-off chart) and quiz results.
create table insights_lesson_days (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  course_id       uuid not null,
  lesson_id       uuid not null,
  day             date not null,
  completions     int not null default 0,
  quiz_attempts   int not null default 0,
  quiz_passes     int not null default 0,
  quiz_score_sum  double precision not null default 0,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, course_id, lesson_id, day)
);
create trigger insights_lesson_days_updated before update on insights_lesson_days for each row execute function set_updated_at();

-- Which students were active in a course on a day (counts `active_learners` once per day).
create table insights_learner_days (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  course_id   uuid not null,
  user_id     uuid not null,
  day         date not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, course_id, day, user_id)
);

-- One row per student and course: where they stand, for the student table, the averages and
-- "active in the last 7/30 days".
create table insights_learners (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  course_id       uuid not null,
  user_id         uuid not null,
  enrolled_at     timestamptz,
  revoked_at      timestamptz,
  completed_at    timestamptz,
  -- Required lessons completed, as courses counted them at the last completion.
  required_done   int not null default 0,
  lessons_done    int not null default 0,
  last_active_at  timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, course_id, user_id)
);
create index insights_learners_progress on insights_learners (tenant_id, course_id, required_done desc, user_id);
create index insights_learners_active on insights_learners (tenant_id, course_id, last_active_at desc nulls last, user_id);
create index insights_learners_school_active on insights_learners (tenant_id, last_active_at desc);
create trigger insights_learners_updated before update on insights_learners for each row execute function set_updated_at();

-- "Active learners" also counts people who watched a video lately: media's read function
-- `media::views::viewers_since` asks its watch records by time, which needs this index.
create index media_views_recent on media_views (tenant_id, last_beat_at desc);

do $$
declare t text;
begin
  foreach t in array array['insights_activity', 'insights_course_days', 'insights_lesson_days',
                           'insights_learner_days', 'insights_learners'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
