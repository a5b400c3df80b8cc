-- Opt-in forms' submissions and the one-time links they send (issue 11, forms).
--
-- A submission is kept for every accepted post (bots get a quiet answer and nothing here). With
-- double opt-in it waits, `pending`, for its confirmation link; tokens are stored only as their
-- SHA-256 hash. A lead magnet's download link is tied to the contact and the library file and
-- works a few times for 30 days.

create table form_submissions (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null,
  form_id             uuid not null,
  contact_id          uuid not null,
  page_id             uuid,
  variant             text not null default '',
  data                jsonb not null default '{}',
  utm                 jsonb not null default '{}',
  status              text not null check (status in ('pending', 'confirmed')),
  confirm_token_hash  text,
  confirm_expires_at  timestamptz,
  confirmed_at        timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, form_id) references forms (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade,
  unique (tenant_id, confirm_token_hash)
);
create index form_submissions_form on form_submissions (tenant_id, form_id, created_at desc);
create index form_submissions_contact on form_submissions (tenant_id, contact_id);
create trigger form_submissions_updated before update on form_submissions for each row execute function set_updated_at();

create table lead_magnet_links (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  form_id      uuid not null,
  contact_id   uuid not null,
  media_id     uuid not null,
  token_hash   text not null,
  uses         int not null default 0,
  max_uses     int not null,
  expires_at   timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, form_id) references forms (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade,
  unique (tenant_id, token_hash)
);
create index lead_magnet_links_contact on lead_magnet_links (tenant_id, contact_id);
create trigger lead_magnet_links_updated before update on lead_magnet_links for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['form_submissions', 'lead_magnet_links'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
