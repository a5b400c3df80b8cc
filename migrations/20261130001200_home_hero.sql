-- The public home page's hero, editable in the branding settings until the page builder exists.
-- An empty text means "the default in the visitor's language"; the button goes to one of the
-- school's own pages, never to an address typed by the creator.
alter table tenant_settings
  add column hero_headline text not null default '' check (char_length(hero_headline) <= 80),
  add column hero_text text not null default '' check (char_length(hero_text) <= 280),
  add column hero_button_label text not null default '' check (char_length(hero_button_label) <= 30),
  add column hero_button_target text not null default 'signup'
    check (hero_button_target in ('signup', 'login', 'dashboard'));
