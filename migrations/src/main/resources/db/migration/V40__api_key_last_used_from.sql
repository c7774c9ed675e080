-- Where a key was last used from: the client address (as the gateway reads it: the connection's, or a trusted
-- proxy's X-Forwarded-For) of a call that presented it, written with last_used_at at most once a minute. With a key
-- disabled for a while, it tells the tenant which client still calls with it. Null: never used, or unknown.
ALTER TABLE api_keys ADD COLUMN last_used_from text;
