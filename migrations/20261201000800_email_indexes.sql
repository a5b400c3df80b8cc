-- Two indexes of 20261201000100 that no query uses and every recipient row pays for: the engine
-- claims per school on `email_deliveries_claim (tenant_id, not_before)`, and a broadcast's rows
-- are found through the unique `email_deliveries_broadcast_once (tenant_id, broadcast_id, to_email)`.
drop index email_deliveries_due;
drop index email_deliveries_broadcast;
