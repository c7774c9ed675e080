-- Webhooks (issue 6): when the tenant's current webhook was configured (shown by GET .../webhook; every PUT sets it
-- with a new secret), and the tenant's recent deliveries listed newest first without a sort over the whole table.
ALTER TABLE tenants ADD COLUMN webhook_created_at timestamptz;
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, created_at DESC);
-- A delivery's payload is sent and signed byte for byte as it was built (compact, keys in envelope order); jsonb
-- would reorder and respace it. Nothing queries inside payloads.
ALTER TABLE webhook_deliveries ALTER COLUMN payload TYPE json;
