-- When the tenant was told that an API key is about to expire (the api_key.expiring webhook event; docs/platform-api.md,
-- "Expiring keys"), or knew it already because it chose that expiry inside the notice window (a key issued to expire
-- soon, the old key of a rotation). NULL: not told yet. Set by the UPDATE that claims the key, so one replica tells.
ALTER TABLE api_keys ADD COLUMN expiry_notice_at timestamptz;

-- the keys a notice may still be due for: what each replica's job reads
CREATE INDEX api_keys_expiry_notice_idx ON api_keys (expires_at)
    WHERE expires_at IS NOT NULL AND revoked_at IS NULL AND expiry_notice_at IS NULL;
