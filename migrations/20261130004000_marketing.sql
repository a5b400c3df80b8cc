-- Marketing (ARCHITECTURE §3): built pages, opt-in forms and the school's contacts.
--
-- A page's draft is one JSON document (its sections and SEO), saved as the creator edits with a
-- revision number, so a save from a stale tab is refused instead of overwriting. Publishing
-- copies the draft into an append-only `page_versions` row and points the page at it; visitors
-- only ever see a published version, and restoring an older one copies it back into the draft.
-- Contacts are the school's leads and customers in one list, keyed by address.

create table pages (
  tenant_id          uuid not null references tenants (id) on delete cascade,
  id                 uuid not null,
  slug               text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title              text not null check (length(title) between 1 and 200),
  template           text not null default 'blank',
  is_home            boolean not null default false,
  draft              jsonb not null default '{"sections": [], "seo": {}}',
  draft_revision     int not null default 1,
  draft_saved_at     timestamptz not null default now(),
  draft_saved_by     uuid,
  published_version  int,
  published_at       timestamptz,
  archived_at        timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
create unique index pages_one_home on pages (tenant_id) where is_home;
create index pages_recent on pages (tenant_id, updated_at desc);
create trigger pages_updated before update on pages for each row execute function set_updated_at();

-- What was published, never rewritten.
create table page_versions (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  page_id       uuid not null,
  number        int not null check (number > 0),
  title         text not null,
  document      jsonb not null,
  published_by  uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, page_id, number),
  foreign key (tenant_id, page_id) references pages (tenant_id, id) on delete cascade
);
create trigger page_versions_updated before update on page_versions for each row execute function set_updated_at();

-- Opt-in forms.
--   fields        [{key, label, kind: text|email|textarea|select|checkbox, required, options}]
--   lead_magnet   {kind: none|file|course|sequence, media_id?, course_id?, sequence?}
create table forms (
  tenant_id          uuid not null references tenants (id) on delete cascade,
  id                 uuid not null,
  name               text not null check (length(name) between 1 and 200),
  fields             jsonb not null default '[]',
  consent_text       text not null default '' check (length(consent_text) <= 1000),
  consent_required   boolean not null default false,
  double_opt_in      boolean not null default false,
  tags               text[] not null default '{}',
  lead_magnet        jsonb not null default '{"kind": "none"}',
  button_label       text not null default '' check (length(button_label) <= 60),
  thank_you_page_id  uuid,
  thank_you_url      text,
  embed_key          text not null,
  archived_at        timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, embed_key)
);
create index forms_recent on forms (tenant_id, created_at desc);
create trigger forms_updated before update on forms for each row execute function set_updated_at();

-- The school's leads and customers.
--   status      pending (waiting for a double opt-in) | subscribed | unsubscribed
--   consent     {text, at, form_id, ip} as the person agreed
--   source      {kind: form|import|purchase|signup|api|staff, form_id?, page_id?, utm_*}
create table contacts (
  tenant_id           uuid not null references tenants (id) on delete cascade,
  id                  uuid not null,
  email               text not null check (email = lower(email) and length(email) between 3 and 254),
  first_name          text not null default '' check (length(first_name) <= 100),
  last_name           text not null default '' check (length(last_name) <= 100),
  fields              jsonb not null default '{}',
  user_id             uuid,
  status              text not null default 'subscribed' check (status in ('pending', 'subscribed', 'unsubscribed')),
  unsubscribed_at     timestamptz,
  suppressed_at       timestamptz,
  suppression_reason  text,
  consent             jsonb,
  source              jsonb not null default '{}',
  is_customer         boolean not null default false,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, email)
);
create index contacts_recent on contacts (tenant_id, created_at desc);
create index contacts_user on contacts (tenant_id, user_id) where user_id is not null;
create trigger contacts_updated before update on contacts for each row execute function set_updated_at();

create table tags (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  name        text not null check (length(name) between 1 and 60),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index tags_name on tags (tenant_id, lower(name));
create trigger tags_updated before update on tags for each row execute function set_updated_at();

create table contact_tags (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  contact_id  uuid not null,
  tag_id      uuid not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, contact_id, tag_id),
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, tag_id) references tags (tenant_id, id) on delete cascade
);
create index contact_tags_tag on contact_tags (tenant_id, tag_id);
create trigger contact_tags_updated before update on contact_tags for each row execute function set_updated_at();

-- What happened to a contact, newest first on their page (opt-ins, purchases, enrolments).
create table contact_activity (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  contact_id   uuid not null,
  kind         text not null,
  detail       jsonb not null default '{}',
  occurred_at  timestamptz not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_activity_contact on contact_activity (tenant_id, contact_id, occurred_at desc);
create trigger contact_activity_updated before update on contact_activity for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['pages', 'page_versions', 'forms', 'contacts', 'tags', 'contact_tags', 'contact_activity'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
