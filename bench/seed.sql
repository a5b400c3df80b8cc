-- make bench: fills the schools that `lyceum tenant create` made with students, straight in
-- SQL as the owner role (thousands of accounts through HTTP would take minutes of argon2).
-- Every student gets the same precomputed argon2 hash (the bench owner's), so any of them can
-- log in with the bench password. Variables: bench_slug, students, other_students.

create function pg_temp.uuid_v7(at timestamptz) returns uuid language sql volatile as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send((extract(epoch from at) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

with hash as (
  select u.password_hash
  from users u join tenants t on t.id = u.tenant_id
  where t.slug = :'bench_slug' and u.role = 'owner'
),
plan as (
  select t.id, t.slug, case when t.slug = :'bench_slug' then :students::int else :other_students::int end as n
  from tenants t
),
people as (
  select p.id as tenant_id, p.slug, g,
         now() - make_interval(days => (g * 7919) % 365, secs => (g * 104729) % 86400) as joined
  from plan p, generate_series(1, p.n) g
)
insert into users (tenant_id, id, email, name, password_hash, role, email_verified_at, last_login_at, created_at, updated_at)
select tenant_id, pg_temp.uuid_v7(joined), format('student%s@%s.test', g, slug),
       (array['Ana', 'Ben', 'Chloé', 'Dev', 'Emeka', 'Fatima', 'Grace', 'Hiro', 'Ines', 'Jonas'])[1 + g % 10]
         || ' ' || (array['García', 'Smith', 'Okafor', 'Nakamura', 'Rossi', 'Müller', 'Khan', 'Silva'])[1 + g % 8]
         || ' ' || g,
       (select password_hash from hash), 'student',
       case when g % 5 = 0 then null else joined end,
       case when g % 3 = 0 then null else joined + interval '1 day' end,
       joined, joined
from people;

-- A steady-state database: statistics current and the visibility map set (index-only scans).
vacuum analyze;
