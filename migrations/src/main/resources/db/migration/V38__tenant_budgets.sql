-- A tenant admin may cap what the whole tenant spends in a billing period, below its plan's budget or where the plan
-- has none, in micro-units of the tenant plan's currency (null: no cap of its own). The gateway refuses calls beyond
-- it (429 tenant_budget_exceeded), exactly across replicas: the tenant's spend is the period_usage row of scope '*',
-- which the usage writer advances for every billed call and which leases are granted against, the plan's hard budget's
-- counter; the tighter of the two limits applies. Same bounds as a key's cap (1 to 10^15).
ALTER TABLE tenants ADD COLUMN monthly_budget_micros bigint
    CHECK (monthly_budget_micros BETWEEN 1 AND 1000000000000000);

-- Its 80% and 100% thresholds are billing events like the plan budget's (kind 'tenant_budget', metric 'cost', scope
-- '*'), once per period and threshold.
ALTER TABLE billing_events DROP CONSTRAINT billing_events_kind_check;
ALTER TABLE billing_events ADD CONSTRAINT billing_events_kind_check
    CHECK (kind IN ('quota', 'budget', 'tenant_budget', 'key_budget'));
