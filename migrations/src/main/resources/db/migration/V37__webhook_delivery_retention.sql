-- Finished webhook deliveries are kept aiaas.webhooks.retention (90 days by default) after they were queued, then
-- deleted in batches by whichever replica gets there (docs/webhooks.md, "How long deliveries are kept").

-- the oldest finished deliveries, found without reading the pending ones or the whole table
CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (created_at) WHERE state <> 'PENDING';

-- deleting a delivery clears redelivery_of in the repeats of it (ON DELETE SET NULL): without an index each deleted
-- row would scan the whole table for them
CREATE INDEX webhook_deliveries_redelivery_of_idx ON webhook_deliveries (redelivery_of)
    WHERE redelivery_of IS NOT NULL;
