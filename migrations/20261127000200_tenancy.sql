-- Tenancy: a school renames itself in the same transaction as the rest of its settings.
-- The foundation policy lets only the platform write `tenants`; this adds an update policy
-- for the school's own row, and a trigger keeps everything but the name platform-only.

create policy tenants_self_update on tenants for update
  using (id = app_tenant())
  with check (id = app_tenant());

create function tenants_guard() returns trigger language plpgsql as $$
begin
  if not app_platform()
     and (new.id, new.slug, new.status, new.plan, new.created_at)
         is distinct from (old.id, old.slug, old.status, old.plan, old.created_at) then
    raise exception 'a school may change only its own name' using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;
create trigger tenants_guard before update on tenants for each row execute function tenants_guard();
