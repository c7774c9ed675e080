-- A shadow version (docs/placement.md, "Shadow traffic"): shadow_percent of the model's calls that name no version
-- are sent to it as well, after the version that answers them did; its answers are compared with theirs and thrown
-- away, never reach the client and are never billed.
ALTER TABLE models ADD COLUMN shadow_version integer CHECK (shadow_version > 0);
ALTER TABLE models ADD COLUMN shadow_percent integer CHECK (shadow_percent BETWEEN 1 AND 100);
ALTER TABLE models ADD CONSTRAINT models_shadow_whole CHECK ((shadow_version IS NULL) = (shadow_percent IS NULL)),
    ADD CONSTRAINT models_shadow_apart CHECK (shadow_version <> stable_version AND shadow_version <> canary_version);
