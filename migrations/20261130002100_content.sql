-- Editing course content: who saved a lesson or course last (named when a second tab's save is
-- refused), and a mark on a lesson whose video or audio was deleted from the library.
--
-- `lessons.media_id` is cleared by its foreign key when the item is deleted. The trigger below
-- tells that apart from an editor clearing it: a save bumps `version`, the foreign key's update
-- does not. The lesson editor then shows staff "the video was deleted — choose another".

alter table courses add column updated_by uuid;
alter table courses add foreign key (tenant_id, updated_by) references users (tenant_id, id) on delete set null (updated_by);

alter table lessons add column updated_by uuid;
alter table lessons add foreign key (tenant_id, updated_by) references users (tenant_id, id) on delete set null (updated_by);
alter table lessons add column media_deleted boolean not null default false;

create function lessons_mark_media_deleted() returns trigger language plpgsql as $$
begin
  if old.media_id is not null and new.media_id is null and new.version = old.version then
    new.media_deleted := true;
  end if;
  return new;
end
$$;
create trigger lessons_media_deleted before update on lessons for each row execute function lessons_mark_media_deleted();
