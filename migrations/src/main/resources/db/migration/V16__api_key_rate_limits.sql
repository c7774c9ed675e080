-- A tenant admin may limit one API key's requests per clock minute (null: only the plan's limits). The gateway
-- applies the tighter of the key's own limit and the plan's per-key limit to the key's per-minute window, so it
-- holds across replicas like the plan's; it applies to tenants without a plan too.
ALTER TABLE api_keys ADD COLUMN requests_per_minute integer CHECK (requests_per_minute > 0);
