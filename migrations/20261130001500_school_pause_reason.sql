-- Why the operator paused a school: its staff see it on every admin page. Empty while the
-- school is active; every change (with from, to and reason) is also kept in audit_log.
alter table tenants add column status_reason text not null default '';
