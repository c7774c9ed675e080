-- The months whose raw usage rows were removed by the retention of platform-api (aiaas.usage.retention-months):
-- their partition of usage_records was dropped; the hourly roll-ups, the period counters, the invoices and the audit
-- log keep everything reports and invoices read. The drill-down from an invoice line to its rows and minute buckets
-- answer 410 for these months instead of an empty page.
CREATE TABLE usage_retention (
    month       date        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    dropped_at  timestamptz NOT NULL DEFAULT now()
);
