-- A version's sunset (docs/models.md, "Deprecating a version"): from deprecated_at on, calls that name the version
-- (or a tenant's pin to it) are answered with Deprecation and Sunset headers; at sunset_at the platform retires it.
-- successor is the version callers should move to (a version of the same model), note what the operator tells them.
ALTER TABLE model_versions ADD COLUMN deprecated_at timestamptz;
ALTER TABLE model_versions ADD COLUMN sunset_at timestamptz;
ALTER TABLE model_versions ADD COLUMN successor_version integer CHECK (successor_version > 0);
ALTER TABLE model_versions ADD COLUMN deprecation_note varchar(500);
ALTER TABLE model_versions ADD CONSTRAINT model_versions_sunset_whole
    CHECK ((deprecated_at IS NULL) = (sunset_at IS NULL)
           AND (sunset_at IS NOT NULL OR (successor_version IS NULL AND deprecation_note IS NULL))),
    ADD CONSTRAINT model_versions_successor_other CHECK (successor_version <> version);
-- what the sunset job looks for every few seconds: versions still READY whose sunset is due
CREATE INDEX model_versions_sunset_idx ON model_versions (sunset_at) WHERE status = 'READY' AND sunset_at IS NOT NULL;
