-- Media: the school's library of videos, audio and files (ARCHITECTURE §7).
--
-- A `media` row is what lessons point to; its id never changes. Each file sent for it is a
-- `media_uploads` row (a tus upload, then a processing run): the first one makes the item,
-- later ones replace its file. The item plays the version in `current_upload`; a replacement
-- that fails leaves the old version playing. Objects live in storage under
-- `{tenant}/media/{media_id}/{upload_id}/…`.

create table media (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  id              uuid not null,
  title           text not null check (length(title) between 1 and 200),
  kind            text not null check (kind in ('video', 'audio', 'file')),
  status          text not null default 'uploading' check (status in ('uploading', 'processing', 'ready', 'failed')),
  current_upload  uuid,
  file_name       text not null default '',
  content_type    text,
  source_bytes    bigint not null default 0,
  storage_bytes   bigint not null default 0,
  duration_ms     bigint,
  width           int,
  height          int,
  renditions      jsonb not null default '[]',
  hls_key         text,
  downloadable    boolean not null default false,
  mp4_status      text check (mp4_status in ('processing', 'ready', 'failed')),
  mp4_bytes       bigint,
  created_by      uuid,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index media_recent on media (tenant_id, created_at desc);
create index media_title on media (tenant_id, lower(title) text_pattern_ops);
create trigger media_updated before update on media for each row execute function set_updated_at();

create table media_uploads (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  media_id      uuid not null,
  length        bigint not null check (length >= 0),
  received      bigint not null default 0 check (received >= 0 and received <= length),
  file_name     text not null,
  file_type     text not null default '',
  state         text not null default 'receiving'
                check (state in ('receiving', 'processing', 'ready', 'failed', 'replaced')),
  progress      real not null default 0,
  error_key     text,
  error_detail  text,
  expires_at    timestamptz not null,
  created_by    uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete cascade
);
create index media_uploads_of on media_uploads (tenant_id, media_id, created_at desc);
create index media_uploads_expiring on media_uploads (expires_at) where state = 'receiving';
create trigger media_uploads_updated before update on media_uploads for each row execute function set_updated_at();

create table media_captions (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  id          uuid not null,
  media_id    uuid not null,
  label       text not null check (length(label) between 1 and 60),
  lang        text not null check (length(lang) between 2 and 20),
  byte_size   bigint not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete cascade
);
create index media_captions_of on media_captions (tenant_id, media_id);

-- Seconds of real playback per viewer and item (from the player's heartbeats), and where they
-- stopped; progress and analytics read this.
create table media_views (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  media_id         uuid not null,
  user_id          uuid not null,
  seconds_watched  double precision not null default 0,
  position         double precision not null default 0,
  heartbeats       int not null default 0,
  last_beat_at     timestamptz not null default now(),
  created_at       timestamptz not null default now(),
  primary key (tenant_id, media_id, user_id),
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete cascade,
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);

-- Where an item is used: other domains (a lesson, a lead magnet) record their uses through
-- `media::uses`, so the library can say where a video appears before it is deleted.
create table media_uses (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  media_id    uuid not null,
  owner_kind  text not null,
  owner_id    uuid not null,
  label       text not null,
  url         text not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, media_id, owner_kind, owner_id),
  foreign key (tenant_id, media_id) references media (tenant_id, id) on delete cascade
);

do $$
declare t text;
begin
  foreach t in array array['media', 'media_uploads', 'media_captions', 'media_views', 'media_uses'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
