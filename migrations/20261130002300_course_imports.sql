-- Student imports waiting for their creator: a CSV is uploaded, mapped and previewed, and only
-- the confirm step enrols anyone. The file's rows wait here between those steps; `status`
-- turns to `done` in the transaction that imports them, so a second confirm does nothing.

create table course_imports (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  id              uuid not null,
  course_id       uuid not null,
  created_by      uuid,
  file_name       text not null default '' check (length(file_name) <= 255),
  -- The header and rows as read: {"headers": [...], "rows": [[...], ...]}.
  sheet           jsonb not null,
  status          text not null default 'pending' check (status in ('pending', 'done')),
  enrolled_count  bigint,
  created_count   bigint,
  skipped_count   bigint,
  failed_count    bigint,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, course_id) references courses (tenant_id, id) on delete cascade,
  foreign key (tenant_id, created_by) references users (tenant_id, id) on delete set null (created_by)
);
create index course_imports_of on course_imports (tenant_id, course_id, created_at desc);
create trigger course_imports_updated before update on course_imports for each row execute function set_updated_at();

alter table course_imports enable row level security;
alter table course_imports force row level security;
create policy course_imports_tenant on course_imports using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()));
create policy course_imports_platform on course_imports using ((select app_platform())) with check ((select app_platform()));
