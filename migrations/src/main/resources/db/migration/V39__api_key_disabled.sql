-- A tenant admin may disable a key for a while without revoking it (a leak being looked into, a client to find):
-- the gateway refuses its calls with 403 key_disabled, recorded like other refusals so that the usage by key shows who
-- still calls with it, until it is enabled again (null: enabled). Revocation stays the final step.
ALTER TABLE api_keys ADD COLUMN disabled_at timestamptz;
