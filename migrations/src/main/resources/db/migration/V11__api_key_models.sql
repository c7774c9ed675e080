-- The models an API key may call, by name, sorted; NULL = every model its tenant may call. Set when the key is issued
-- (a rotation keeps it) and never changed after: a key with another reach is another key.
ALTER TABLE api_keys ADD COLUMN models text[] CHECK (models IS NULL OR cardinality(models) BETWEEN 1 AND 100);
