-- A tenant sends an event again (docs/webhooks.md, "Sending an event again"): a new delivery of the same event,
-- linked to the one it repeats, so the list says which is which and the first delivery's history stays as it was.
ALTER TABLE webhook_deliveries
    ADD COLUMN redelivery_of uuid REFERENCES webhook_deliveries (id) ON DELETE SET NULL;

-- an event is on its way once at most: sending it again while a delivery of it is pending is refused, also when two
-- such requests race (every other delivery is of an event of its own)
CREATE UNIQUE INDEX webhook_deliveries_pending_event_idx ON webhook_deliveries (tenant_id, event_id)
    WHERE state = 'PENDING';

-- "is this the event's latest delivery?", asked for each failed delivery when they are all sent again after an outage
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (tenant_id, event_id, created_at);
