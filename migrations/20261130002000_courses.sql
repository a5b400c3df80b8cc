-- Courses: what students pay for (ARCHITECTURE §3).
--
-- A course holds modules, a module holds lessons, each in its `position` order. Drafts and
-- deletions are soft: `status` says whether students see a course or lesson, `deleted_at`
-- keeps a deleted item for its undo. Access comes from an `enrollments` row; progress is one
-- `lesson_progress` row per completed lesson, written once, so `lesson.completed` and
-- `course.completed` are published exactly once. Quizzes, assignments and certificates add
-- their own tables in later migrations.

create table courses (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  slug              text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title             text not null check (length(title) between 1 and 200),
  subtitle          text not null default '' check (length(subtitle) <= 300),
  description_html  text not null default '',
  category          text not null default '' check (length(category) <= 80),
  cover_media_id    uuid,
  status            text not null default 'draft' check (status in ('draft', 'published')),
  -- Whether a student may enrol themselves at no charge.
  is_free           boolean not null default false,
  published_at      timestamptz,
  deleted_at        timestamptz,
  version           int not null default 1,
  created_by        uuid,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, cover_media_id) references media (tenant_id, id) on delete set null (cover_media_id)
);
create unique index courses_slug on courses (tenant_id, slug) where deleted_at is null;
create index courses_recent on courses (tenant_id, created_at desc);
create trigger courses_updated before update on courses for each row execute function set_updated_at();

-- Staff who teach a course, in the order shown on it.
create table course_instructors (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  course_id   uuid not null,
  user_id     uuid not null,
  position    int not null default 0,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, course_id, user_id),
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);

-- What a course page says about a staff member who teaches.
create table instructor_profiles (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  user_id         uuid not null,
  headline        text not null default '' check (length(headline) <= 120),
  bio_html        text not null default '',
  photo_media_id  uuid,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, user_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, photo_media_id) references media (tenant_id, id) on delete set null (photo_media_id)
);
create trigger instructor_profiles_updated before update on instructor_profiles for each row execute function set_updated_at();

-- When a module or lesson opens to an enrolled student.
--   now           at once
--   days          `drip_days` after the student's enrolment started
--   date          at `drip_at`
--   after_lesson  once the student completed lesson `drip_after`
--   after_module  once the student completed every required lesson of module `drip_after`
create table course_modules (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  course_id    uuid not null,
  title        text not null check (length(title) between 1 and 200),
  position     int not null default 0,
  drip         text not null default 'now' check (drip in ('now', 'days', 'date', 'after_lesson', 'after_module')),
  drip_days    int check (drip_days between 0 and 3650),
  drip_at      timestamptz,
  drip_after   uuid,
  deleted_at   timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade
);
create index course_modules_of on course_modules (tenant_id, course_id, position);
create trigger course_modules_updated before update on course_modules for each row execute function set_updated_at();

create table lessons (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  course_id         uuid not null,
  module_id         uuid not null,
  title             text not null check (length(title) between 1 and 200),
  kind              text not null check (kind in ('video', 'audio', 'text', 'quiz', 'assignment', 'files', 'embed')),
  position          int not null default 0,
  status            text not null default 'draft' check (status in ('draft', 'published')),
  -- Text lessons' body, and the introduction of any other kind; sanitised on save and output.
  body_html         text not null default '',
  media_id          uuid,
  embed_url         text,
  duration_minutes  int check (duration_minutes between 0 and 10000),
  free_preview      boolean not null default false,
  -- Whether course progress counts this lesson.
  required          boolean not null default true,
  -- Whether "mark complete" is offered before the lesson's own rule (watching, passing) is met.
  allow_manual      boolean not null default true,
  -- The share of a video or audio the student must watch for it to complete by itself.
  watch_percent     int not null default 90 check (watch_percent between 1 and 100),
  drip              text not null default 'now' check (drip in ('now', 'days', 'date', 'after_lesson', 'after_module')),
  drip_days         int check (drip_days between 0 and 3650),
  drip_at           timestamptz,
  drip_after        uuid,
  -- Bumped by every save; a save that names an older version is refused.
  version           int not null default 1,
  deleted_at        timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade,
  foreign key (tenant_id, module_id) references course_modules (tenant_id, id) on delete cascade,
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete set null (media_id)
);
create index lessons_of_course on lessons (tenant_id, course_id, position);
create index lessons_of_module on lessons (tenant_id, module_id, position);
create index lessons_by_media on lessons (tenant_id, media_id) where media_id is not null;
create trigger lessons_updated before update on lessons for each row execute function set_updated_at();

-- Library files offered for download beside a lesson.
create table lesson_attachments (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  lesson_id   uuid not null,
  media_id    uuid not null,
  position    int not null default 0,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, lesson_id, media_id),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade,
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete cascade
);

-- A student's access to a course. One row per student and course; revoking keeps the row
-- (and the progress) so that enrolling again picks up where they were.
create table enrollments (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  user_id           uuid not null,
  course_id         uuid not null,
  source            text not null check (source in ('purchase', 'staff', 'import', 'self', 'api')),
  -- What granted it, e.g. the order id of a purchase.
  source_ref        text,
  started_at        timestamptz not null default now(),
  ends_at           timestamptz,
  paused_at         timestamptz,
  revoked_at        timestamptz,
  completed_at      timestamptz,
  last_lesson_id    uuid,
  last_activity_at  timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, user_id, course_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade
);
create index enrollments_of_course on enrollments (tenant_id, course_id, created_at desc);
create index enrollments_of_user on enrollments (tenant_id, user_id);
create trigger enrollments_updated before update on enrollments for each row execute function set_updated_at();

-- One row per lesson a student completed, written once.
create table lesson_progress (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  user_id       uuid not null,
  lesson_id     uuid not null,
  course_id     uuid not null,
  -- How: marked by the student, watched, quiz passed, assignment approved, or set by staff.
  how           text not null check (how in ('marked', 'watched', 'quiz', 'assignment', 'staff')),
  completed_at  timestamptz not null default now(),
  primary key (tenant_id, user_id, lesson_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade
);
create index lesson_progress_of_course on lesson_progress (tenant_id, course_id, user_id);

-- What a student writes for themselves beside a lesson.
create table lesson_notes (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  user_id     uuid not null,
  lesson_id   uuid not null,
  body        text not null default '' check (length(body) <= 20000),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, user_id, lesson_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade
);
create trigger lesson_notes_updated before update on lesson_notes for each row execute function set_updated_at();

-- The discussion under a lesson; a reply names its parent. Staff replies are marked.
create table lesson_comments (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  lesson_id   uuid not null,
  course_id   uuid not null,
  user_id     uuid not null,
  parent_id   uuid,
  body        text not null check (length(body) between 1 and 5000),
  by_staff    boolean not null default false,
  deleted_at  timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, parent_id) references lesson_comments (tenant_id, id) on delete cascade
);
create index lesson_comments_of on lesson_comments (tenant_id, lesson_id, created_at);
create trigger lesson_comments_updated before update on lesson_comments for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['courses', 'course_instructors', 'instructor_profiles', 'course_modules', 'lessons',
                           'lesson_attachments', 'enrollments', 'lesson_progress', 'lesson_notes', 'lesson_comments'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
