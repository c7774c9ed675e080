-- Rotating a webhook's secret with an overlap (docs/webhooks.md, "Rotating the secret"): until
-- webhook_previous_secret_until each delivery is signed with the new secret and with the previous one, so a receiver
-- can switch without refusing events. Cleared by a new URL, by removing the webhook and by the dispatcher once past.
ALTER TABLE tenants
    ADD COLUMN webhook_previous_secret       text,
    ADD COLUMN webhook_previous_secret_until timestamptz,
    ADD CONSTRAINT tenants_webhook_previous_secret_pair
        CHECK ((webhook_previous_secret IS NULL) = (webhook_previous_secret_until IS NULL));

-- the dispatcher's sweep of overlaps that have ended reads only the tenants in one
CREATE INDEX tenants_webhook_previous_secret_until ON tenants (webhook_previous_secret_until)
    WHERE webhook_previous_secret IS NOT NULL;
