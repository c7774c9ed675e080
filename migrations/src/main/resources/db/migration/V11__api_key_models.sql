-- The models an API key may call, by name, sorted; NULL = every model its tenant may call. Set when the key is issued,
-- kept by a rotation, replaced by PUT .../keys/{id}/models (announced like a revocation, so no cache keeps the old list).
ALTER TABLE api_keys ADD COLUMN models text[] CHECK (models IS NULL OR cardinality(models) BETWEEN 1 AND 100);
