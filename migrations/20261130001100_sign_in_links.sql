-- Sign-in links: a one-time link that logs a school's staff member in on the school's host,
-- handed over from the platform host (after "Create my school", or mailed from the platform's
-- /login). They live with the other single-use links in user_tokens, hashed and bound to the
-- school and the account; only the allowed purposes grow.
alter table user_tokens drop constraint user_tokens_purpose_check;
alter table user_tokens add constraint user_tokens_purpose_check
  check (purpose in ('verify_email', 'reset_password', 'change_email', 'sign_in'));

-- The platform's login page looks an address up across schools (only the team's accounts).
create index users_staff_email on users (lower(email)) where role in ('owner', 'admin', 'instructor', 'support');
