-- Placement (issue 9): the control plane places each READY version on some workers instead of on all of them.
-- See docs/placement.md for the algorithm.

-- The placement policy of a model, the same for each of its versions. max_replicas NULL: the configured default
-- (aiaas.workers.default-max-replicas, 0 = every eligible worker). device_requirement: GPU = a worker whose device is
-- not cpu (cuda), CPU = a cpu worker, ANY = either.
ALTER TABLE models
    ADD COLUMN min_replicas       integer    NOT NULL DEFAULT 1 CHECK (min_replicas BETWEEN 0 AND 1000),
    ADD COLUMN max_replicas       integer    CHECK (max_replicas BETWEEN 1 AND 1000),
    ADD COLUMN device_requirement varchar(8) NOT NULL DEFAULT 'ANY' CHECK (device_requirement IN ('ANY', 'GPU', 'CPU')),
    ADD CONSTRAINT models_replicas_check CHECK (max_replicas IS NULL OR max_replicas >= min_replicas);

-- What a worker registered as its memory budgets (0: unknown, treated as unlimited) and whether it is draining
-- (it said so in its heartbeat: it takes no new placements and no new calls).
ALTER TABLE workers
    ADD COLUMN host_memory_bytes   bigint  NOT NULL DEFAULT 0 CHECK (host_memory_bytes >= 0),
    ADD COLUMN device_memory_bytes bigint  NOT NULL DEFAULT 0 CHECK (device_memory_bytes >= 0),
    ADD COLUMN draining            boolean NOT NULL DEFAULT false;

-- EVICTED: placed on the worker, unloaded to make room, reloaded by the next call (routable, ranked after READY).
-- memory_bytes: the worker's estimate of what the loaded version uses (0 when not loaded).
ALTER TABLE placements DROP CONSTRAINT placements_state_check;
ALTER TABLE placements
    ADD CONSTRAINT placements_state_check CHECK (state IN ('PENDING', 'LOADING', 'READY', 'FAILED', 'EVICTED')),
    ADD COLUMN memory_bytes bigint NOT NULL DEFAULT 0 CHECK (memory_bytes >= 0);

-- The control plane's decision of which worker holds which version (placements above are what the workers report).
-- One table that every replica reads and that only the planner writes, under one advisory lock, so replicas agree.
CREATE TABLE assignments (
    model_version_id uuid        NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    worker_id        uuid        NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    assigned_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (worker_id, model_version_id)
);
CREATE INDEX assignments_version_idx ON assignments (model_version_id);

-- A tenant's choice of version for calls that name none: a pinned version, or the latest (no row, or NULL).
CREATE TABLE tenant_model_settings (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model_id       uuid        NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    pinned_version integer     CHECK (pinned_version > 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, model_id)
);
