-- The client networks an API key may be used from (docs/limits.md, "Networks"): canonical CIDR text such as
-- 203.0.113.0/24 or 2001:db8::/32, checked by platform-api; NULL = from anywhere.
ALTER TABLE api_keys ADD COLUMN allowed_networks text[]
    CHECK (allowed_networks IS NULL OR cardinality(allowed_networks) BETWEEN 1 AND 50);
