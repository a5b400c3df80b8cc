-- The commission email (issue 13): the message queued for a new commission, so the job that
-- sends it runs any number of times and mails the affiliate once.
alter table affiliate_commissions add column mail_id uuid;
