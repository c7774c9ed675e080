-- A key's monthly cap produces threshold events at 80% and 100% like the plan's budget (kind 'key_budget', metric
-- 'cost', scope 'key:<key id>'), once per key, period and threshold.
ALTER TABLE billing_events DROP CONSTRAINT billing_events_kind_check;
ALTER TABLE billing_events ADD CONSTRAINT billing_events_kind_check
    CHECK (kind IN ('quota', 'budget', 'key_budget'));
