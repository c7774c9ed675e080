-- A tenant admin may cap what one API key spends in a billing period, in micro-units of the tenant plan's currency
-- (null: no cap). The gateway refuses the key's calls beyond it (429 key_budget_exceeded), exactly across replicas:
-- the key's spend is the period_usage row of scope 'key:<key id>', which the usage writer advances for keys with a
-- cap, and which leases are granted against like the plan's budget ('*'). Model names cannot hold ':'.
ALTER TABLE api_keys ADD COLUMN monthly_budget_micros bigint CHECK (monthly_budget_micros > 0);
