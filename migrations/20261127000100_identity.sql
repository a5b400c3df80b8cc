-- Identity: remember the last time step a two-factor code was accepted, so a code works once
-- (RFC 6238 §5.2). Only a column on an existing tenant table; its row-level security applies.
alter table users add column totp_last_step bigint;
