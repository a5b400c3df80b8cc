-- Receipts and credit notes (issue 10, item 7): the documents themselves are drawn from the
-- ledger (payments, refunds, orders) whenever they are asked for, so they never disagree with
-- it. What needs remembering is that each one was emailed: one row per payment or refund,
-- written in the transaction that queues the email, so a job that runs twice sends once.
create table receipt_mails (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  -- The payment (for a receipt) or the refund (for a credit note).
  id          uuid not null,
  kind        text not null check (kind in ('receipt', 'credit_note')),
  mail_id     uuid not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id)
);
create trigger receipt_mails_updated before update on receipt_mails for each row execute function set_updated_at();

do $$
declare t text;
begin
  foreach t in array array['receipt_mails'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (tenant_id = (select app_tenant())) with check (tenant_id = (select app_tenant()))', t || '_tenant', t);
    execute format('create policy %I on %I using ((select app_platform())) with check ((select app_platform()))', t || '_platform', t);
  end loop;
end
$$;
