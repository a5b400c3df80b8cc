-- Quizzes (issue 9 item 6): a quiz lesson's settings, its questions, and the students'
-- attempts, graded on the server only.
--
-- A question's `spec` holds what its kind needs (options and which are right, accepted
-- answers, the number and its tolerance, pairs, the right order) as JSON written by
-- `courses::quiz::model::Spec`; it never leaves the server before an attempt is submitted.
-- An attempt stores the questions it drew and the order it shows them and their options in,
-- its deadline (from the school's clock), the answers saved as the student goes, and once
-- submitted its score; each graded answer is
-- one `quiz_answers` row, which the statistics read.

create table quizzes (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  lesson_id           uuid not null,
  passing_percent     int not null default 70 check (passing_percent between 0 and 100),
  -- null: unlimited.
  attempts_allowed    int check (attempts_allowed between 1 and 100),
  shuffle_questions   boolean not null default false,
  shuffle_answers     boolean not null default false,
  -- null: no time limit.
  time_limit_minutes  int check (time_limit_minutes between 1 and 600),
  -- never | each (after every attempt) | passed (after a passing attempt)
  show_answers        text not null default 'each' check (show_answers in ('never', 'each', 'passed')),
  -- Questions drawn per attempt; null: all of them.
  pool_size           int check (pool_size between 1 and 500),
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, lesson_id),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade
);
create trigger quizzes_updated before update on quizzes for each row execute function set_updated_at();

create table quiz_questions (
  tenant_id         uuid not null references tenants (id) on delete cascade,
  id                uuid not null,
  lesson_id         uuid not null,
  position          int not null default 0,
  kind              text not null check (kind in ('single', 'multiple', 'true_false', 'short', 'numeric', 'matching', 'ordering')),
  prompt            text not null check (length(prompt) between 1 and 2000),
  points            int not null default 1 check (points between 1 and 100),
  -- Sanitised rich text shown with the correct answer.
  explanation_html  text not null default '',
  spec              jsonb not null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade
);
create index quiz_questions_of on quiz_questions (tenant_id, lesson_id, position);
create trigger quiz_questions_updated before update on quiz_questions for each row execute function set_updated_at();

create table quiz_attempts (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  lesson_id     uuid not null,
  course_id     uuid not null,
  user_id       uuid not null,
  -- 1 for the student's first attempt at this quiz.
  number        int not null,
  -- The drawn questions in the order shown, and each one's options in the order shown.
  question_ids  uuid[] not null,
  layout        jsonb not null default '{}',
  -- Answers saved as the student goes ({question id: answer}); a timed-out attempt is graded
  -- with them.
  saved         jsonb not null default '{}',
  started_at    timestamptz not null,
  deadline      timestamptz,
  submitted_at  timestamptz,
  -- Set when the submit came after the deadline (plus the grace) or never came.
  timed_out     boolean not null default false,
  score         int check (score between 0 and 100),
  passed        boolean,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, lesson_id, user_id, number),
  foreign key (tenant_id, lesson_id) references lessons (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create index quiz_attempts_of_lesson on quiz_attempts (tenant_id, lesson_id, started_at desc);
create trigger quiz_attempts_updated before update on quiz_attempts for each row execute function set_updated_at();

-- One graded answer of a submitted attempt. `answer` is what the student gave (option ids,
-- text, a number, pairs); `summary` names a wrong answer for the statistics.
create table quiz_answers (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  attempt_id   uuid not null,
  question_id  uuid not null,
  answer       jsonb not null,
  credit       real not null check (credit between 0 and 1),
  correct      boolean not null,
  summary      text,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, attempt_id, question_id),
  foreign key (tenant_id, attempt_id) references quiz_attempts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, question_id) references quiz_questions (tenant_id, id) on delete cascade
);
create index quiz_answers_of_question on quiz_answers (tenant_id, question_id);

do $$
declare t text;
begin
  foreach t in array array['quizzes', 'quiz_questions', 'quiz_attempts', 'quiz_answers'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
