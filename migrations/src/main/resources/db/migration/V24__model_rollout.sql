-- How a model's calls that name no version are shared out (docs/placement.md, "Rollouts"): stable_version takes
-- them (NULL: the newest version a worker serves, as before), and canary_version takes canary_percent of them while a
-- worker serves it. A tenant's own pin (tenant_model_settings) still wins; a call that names a version ignores both.
ALTER TABLE models ADD COLUMN stable_version integer CHECK (stable_version > 0);
ALTER TABLE models ADD COLUMN canary_version integer CHECK (canary_version > 0);
ALTER TABLE models ADD COLUMN canary_percent integer CHECK (canary_percent BETWEEN 1 AND 99);
ALTER TABLE models ADD CONSTRAINT models_canary_whole
    CHECK ((canary_version IS NULL) = (canary_percent IS NULL)),
    ADD CONSTRAINT models_canary_not_stable CHECK (canary_version <> stable_version);
