-- The event types a tenant's webhook receives (docs/webhooks.md, "Choosing events"); NULL: every type, as before.
-- webhook.test is always sent. Kept when the URL changes, cleared with the webhook.
ALTER TABLE tenants ADD COLUMN webhook_events text[]
    CHECK (webhook_events IS NULL OR cardinality(webhook_events) BETWEEN 1 AND 50);
