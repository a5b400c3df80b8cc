-- Affiliate payouts (issue 13 §5): a paid payout's statement takes a gap-free number from the
-- school's document sequences ("AS-000001"), beside receipts and credit notes.
alter table document_sequences drop constraint document_sequences_kind_check;
alter table document_sequences add constraint document_sequences_kind_check
  check (kind in ('receipt', 'credit_note', 'affiliate_statement'));
