-- A canary's assignment and its automatic rollback (docs/placement.md, "Rollouts"). canary_by says how its share is
-- taken: 'call' (drawn at random per call, as before) or 'tenant' (a tenant stays on one side: a hash of tenant, model
-- and canary version against the percent). canary_since is when the canary was set: the replicas judge its failures
-- since then, and a rollback clears it only while it is still that canary. rollback_error_percent (NULL: never) and
-- rollback_window: the canary is cleared by the platform when that percent of a window of its calls fail on the
-- server's side. rolled_back_*: the last such rollback, shown until an admin sets the rollout again.
ALTER TABLE models ADD COLUMN canary_by text CHECK (canary_by IN ('call', 'tenant'));
ALTER TABLE models ADD COLUMN canary_since timestamptz;
ALTER TABLE models ADD COLUMN rollback_error_percent integer CHECK (rollback_error_percent BETWEEN 1 AND 100);
ALTER TABLE models ADD COLUMN rollback_window integer CHECK (rollback_window BETWEEN 10 AND 100000);
ALTER TABLE models ADD COLUMN rolled_back_version integer;
ALTER TABLE models ADD COLUMN rolled_back_at timestamptz;
ALTER TABLE models ADD COLUMN rolled_back_calls integer;
ALTER TABLE models ADD COLUMN rolled_back_failures integer;
UPDATE models SET canary_by = 'call', canary_since = updated_at WHERE canary_version IS NOT NULL;
ALTER TABLE models ADD CONSTRAINT models_canary_assigned
    CHECK ((canary_version IS NULL) = (canary_by IS NULL) AND (canary_version IS NULL) = (canary_since IS NULL)),
    ADD CONSTRAINT models_rollback_of_canary
    CHECK (rollback_error_percent IS NULL OR canary_version IS NOT NULL),
    ADD CONSTRAINT models_rollback_window
    CHECK ((rollback_error_percent IS NULL) = (rollback_window IS NULL)),
    ADD CONSTRAINT models_rolled_back_whole
    CHECK ((rolled_back_version IS NULL) = (rolled_back_at IS NULL));
