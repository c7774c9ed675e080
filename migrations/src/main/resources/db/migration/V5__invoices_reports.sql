-- Invoices, reports and the audit API (issue 6).

-- Invoice numbers name the period and the tenant's slug (up to 63 characters), e.g. INV-2026-11-acme-1 or
-- CN-2026-11-acme-1-1 for a credit note: 40 characters were too few for long slugs.
ALTER TABLE invoices ALTER COLUMN number TYPE varchar(100);

-- The audit API pages a tenant's entries by id (newest first): WHERE tenant_id = ? AND id < ? ORDER BY id DESC.
CREATE INDEX audit_log_tenant_id_idx ON audit_log (tenant_id, id);
