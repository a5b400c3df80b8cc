-- Billing: a downgrade the student chose waits for the next renewal; the offer it moves to is
-- kept on the subscription until the billing sweep applies it (the change itself is recorded
-- in `subscription_changes` both when scheduled and when applied).
alter table subscriptions add column scheduled_offer_id uuid;
alter table subscriptions add constraint subscriptions_scheduled_offer
  foreign key (tenant_id, scheduled_offer_id) references offers (tenant_id, id) on delete set null (scheduled_offer_id);

-- The sweep looks for past-due and paused subscriptions whose retry is due.
create index subscriptions_retry_due on subscriptions (tenant_id, retry_at) where status in ('past_due', 'paused') and retry_at is not null;
