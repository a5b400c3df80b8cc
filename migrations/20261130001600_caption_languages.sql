-- A caption track's label becomes optional (the player names the language itself), and one item
-- cannot have two tracks with the same language and label: the player could not tell them apart.
alter table media_captions drop constraint media_captions_label_check;
alter table media_captions add constraint media_captions_label_check check (length(label) <= 60);
create unique index media_captions_lang_label_key on media_captions (tenant_id, media_id, lang, lower(label));
