-- Certificates: one design per school, and the certificates it issued. A certificate keeps a
-- snapshot of what it certifies (name, course, date, hours, instructor), so renaming a course
-- or a student later never changes a certificate already handed out.

create table certificate_templates (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  title            text not null default '' check (length(title) <= 80),
  layout           text not null default 'classic' check (layout in ('classic', 'modern', 'minimal')),
  accent_color     text not null default '' check (accent_color = '' or accent_color ~ '^#[0-9a-f]{6}$'),
  show_hours       boolean not null default true,
  signer_name      text not null default '' check (length(signer_name) <= 80),
  signer_title     text not null default '' check (length(signer_title) <= 80),
  signature_type   text check (signature_type in ('image/png', 'image/jpeg')),
  signature        bytea check (length(signature) <= 1048576),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  -- One template per school.
  unique (tenant_id)
);
create trigger certificate_templates_updated before update on certificate_templates
  for each row execute function set_updated_at();

create table certificates (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  id               uuid not null,
  code             text not null check (code ~ '^LYC-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
  user_id          uuid not null,
  course_id        uuid not null,
  student_name     text not null,
  course_title     text not null,
  instructor_name  text not null default '',
  -- The course's length when issued: the sum of its lessons' duration estimates.
  minutes          int not null default 0 check (minutes >= 0),
  issued_at        timestamptz not null,
  -- The date printed on it, in the school's time zone when it was issued.
  issued_on        date not null,
  locale           text not null default 'en',
  pdf_key          text,
  revoked_at       timestamptz,
  revoked_reason   text not null default '' check (length(revoked_reason) <= 500),
  revoked_by       uuid,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade
);
-- One valid certificate per student and course: issuing twice does nothing. A revoked one
-- stays (its code then verifies as revoked) and staff may issue a new one beside it.
create unique index certificates_one_valid on certificates (tenant_id, user_id, course_id) where revoked_at is null;
create index certificates_of_user on certificates (tenant_id, user_id, issued_at desc);
create index certificates_recent on certificates (tenant_id, issued_at desc);
create trigger certificates_updated before update on certificates for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['certificate_templates', 'certificates'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
