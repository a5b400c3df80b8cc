-- An invitation may carry the personal rate the invited affiliate gets (basis points).
alter table affiliate_invites add column personal_percent_bp int check (personal_percent_bp between 0 and 10000);
