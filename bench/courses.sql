-- make bench, courses at scale: brings the database to `course_schools` schools,
-- `course_students` students and `enrolments` enrolments with their progress rows, in
-- set-based SQL as the owner role (minutes, not hours). Runs after seed.sql. Every school
-- gets `courses_per_school` published courses of 3 modules × 4 lessons; students are spread
-- evenly over the schools and enrolled in their school's courses round-robin until the
-- enrolment count is reached; each enrolment completed between 0 and 11 of its 12 lessons.
-- The bench school's first student (student1@{bench_slug}.test) is enrolled in every course of
-- that school, half-way through each, so the lesson page and dashboard scenarios have data.
-- Variables: bench_slug, course_schools, course_students, enrolments, courses_per_school.

create function pg_temp.uuid_v7(at timestamptz) returns uuid language sql volatile as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send((extract(epoch from at) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

-- Schools: as many new ones as needed to reach course_schools.
with have as (select count(*) as n from tenants),
new as (
  select g, pg_temp.uuid_v7(now() - make_interval(days => (g % 700)::int)) as id
  from have, generate_series(1, greatest(:course_schools::int - have.n, 0)) g
),
t as (
  insert into tenants (id, slug, name)
  select id, 'school-' || g, 'School ' || g from new
  returning id
)
insert into tenant_settings (tenant_id) select id from t;

-- Students: top every school up to its share of course_students (the bench school keeps the
-- students seed.sql gave it if it already has more).
with hash as (
  select u.password_hash from users u join tenants t on t.id = u.tenant_id
  where t.slug = :'bench_slug' and u.role = 'owner'
),
share as (
  select t.id as tenant_id, t.slug,
         greatest(:course_students::int / :course_schools::int
                  - (select count(*) from users u where u.tenant_id = t.id and u.role = 'student'), 0) as missing,
         (select count(*) from users u where u.tenant_id = t.id and u.role = 'student') as have
  from tenants t
),
people as (
  select s.tenant_id, s.slug, s.have + g as n,
         now() - make_interval(days => ((g * 7919) % 365)::int, secs => (g * 104729) % 86400) as joined
  from share s, generate_series(1, s.missing) g
)
insert into users (tenant_id, id, email, name, password_hash, role, email_verified_at, created_at, updated_at)
select tenant_id, pg_temp.uuid_v7(joined), format('student%s@%s.test', n, slug),
       (array['Ana', 'Ben', 'Chloé', 'Dev', 'Emeka', 'Fatima', 'Grace', 'Hiro', 'Ines', 'Jonas'])[1 + n % 10]
         || ' ' || (array['García', 'Smith', 'Okafor', 'Nakamura', 'Rossi', 'Müller', 'Khan', 'Silva'])[1 + n % 8],
       (select password_hash from hash), 'student', joined, joined, joined
from people;

-- Courses, modules and lessons: the same shape in every school.
create temporary table bench_courses as
select t.id as tenant_id, pg_temp.uuid_v7(now() - interval '400 days') as id, c as n
from tenants t, generate_series(1, :courses_per_school::int) c;

insert into courses (tenant_id, id, slug, title, subtitle, description_html, category, status, published_at)
select tenant_id, id, 'course-' || n,
       (array['Portrait Photography', 'Watercolour Basics', 'Spanish for Travellers', 'Home Barista',
              'Public Speaking', 'Python for Analysts', 'Yoga at Home', 'Songwriting'])[1 + (n - 1) % 8]
         || case when n > 8 then ' ' || n else '' end,
       'From first steps to confident practice',
       '<p>Twelve lessons, three modules, and a certificate at the end.</p>',
       'Skills', 'published', now() - interval '300 days'
from bench_courses;

create temporary table bench_modules as
select c.tenant_id, c.id as course_id, pg_temp.uuid_v7(now() - interval '400 days') as id, m
from bench_courses c, generate_series(0, 2) m;

insert into course_modules (tenant_id, id, course_id, title, position)
select tenant_id, id, course_id, (array['Getting started', 'Core skills', 'Putting it together'])[m + 1], m
from bench_modules;

insert into lessons (tenant_id, id, course_id, module_id, title, kind, position, status, body_html, duration_minutes)
select m.tenant_id, pg_temp.uuid_v7(now() - interval '400 days'), m.course_id, m.id,
       'Lesson ' || (m.m * 4 + l + 1), 'text', l, 'published',
       '<h2>What you will learn</h2><p>' || repeat('A clear explanation with an example. ', 40) || '</p>'
         || '<ul><li>One idea</li><li>Another idea</li><li>A small exercise</li></ul>',
       5 + l * 3
from bench_modules m, generate_series(0, 3) l;

-- Enrolments: student k of a school takes courses k, k+1, … (mod courses_per_school) until the
-- school's share of `enrolments` is reached.
create temporary table bench_students as
select u.tenant_id, u.id as user_id, u.created_at,
       row_number() over (partition by u.tenant_id order by u.id) as k
from users u where u.role = 'student';

create temporary table bench_enrolments as
with per_student as (
  select greatest(1, least(:courses_per_school::int,
           ceil(:enrolments::numeric / greatest((select count(*) from bench_students), 1))::int)) as n
)
select s.tenant_id, s.user_id, c.id as course_id, s.created_at + interval '1 day' as started_at,
       ((s.k * 31 + c.n * 17) % 12)::int as done
from bench_students s
  cross join per_student p
  join bench_courses c on c.tenant_id = s.tenant_id
   and (((c.n - 1 - s.k) % :courses_per_school::int) + :courses_per_school::int) % :courses_per_school::int < p.n
limit :enrolments::int;

insert into enrollments (tenant_id, id, user_id, course_id, source, started_at, last_activity_at, created_at, updated_at)
select tenant_id, pg_temp.uuid_v7(started_at), user_id, course_id, 'purchase', started_at,
       case when done > 0 then started_at + make_interval(days => done) end, started_at, started_at
from bench_enrolments;

-- Progress: the first `done` lessons of each enrolment, in course order.
create temporary table bench_lesson_order as
select l.tenant_id, l.course_id, l.id as lesson_id,
       row_number() over (partition by l.tenant_id, l.course_id order by m.position, l.position) - 1 as i
from lessons l join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id;
create index on bench_lesson_order (tenant_id, course_id, i);

insert into lesson_progress (tenant_id, user_id, lesson_id, course_id, how, completed_at)
select e.tenant_id, e.user_id, o.lesson_id, e.course_id, 'marked', e.started_at + make_interval(days => o.i::int)
from bench_enrolments e
  join bench_lesson_order o on o.tenant_id = e.tenant_id and o.course_id = e.course_id and o.i < e.done;

-- The bench student: enrolled everywhere in the bench school, six lessons into each course.
with me as (
  select u.tenant_id, u.id from users u join tenants t on t.id = u.tenant_id
  where t.slug = :'bench_slug' and u.email = 'student1@' || :'bench_slug' || '.test'
)
insert into enrollments (tenant_id, id, user_id, course_id, source, started_at, last_activity_at)
select c.tenant_id, pg_temp.uuid_v7(now() - interval '30 days'), me.id, c.id, 'purchase',
       now() - interval '30 days', now() - interval '1 day'
from me join bench_courses c on c.tenant_id = me.tenant_id
on conflict (tenant_id, user_id, course_id) do nothing;

with me as (
  select u.tenant_id, u.id from users u join tenants t on t.id = u.tenant_id
  where t.slug = :'bench_slug' and u.email = 'student1@' || :'bench_slug' || '.test'
)
insert into lesson_progress (tenant_id, user_id, lesson_id, course_id, how, completed_at)
select o.tenant_id, me.id, o.lesson_id, o.course_id, 'marked', now() - interval '2 days'
from me join bench_lesson_order o on o.tenant_id = me.tenant_id and o.i < 6
on conflict do nothing;

vacuum analyze;
