-- Plans, prices, limits, metering costs, invoices and billing events (issue 6).
-- Money: plans state prices in micro-units of their currency (1e-6); usage rows and invoices carry amounts in
-- nano-units (1e-9) so that a price per 1,000 requests divides exactly; an invoice rounds to minor units once.

-- A plan: its definition (fee, credit, limits, quotas, budget, prices) is one JSON document validated by
-- platform-api (io.aiaas.platform.plan.service.PlanSpec); revision counts the edits.
CREATE TABLE plans (
    id          uuid PRIMARY KEY,
    name        varchar(100) NOT NULL UNIQUE,
    currency    char(3)      NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    spec        jsonb        NOT NULL,
    revision    integer      NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

-- Which plan a tenant is on from when: the plan at instant t is the row with the latest effective_from <= t.
-- Rows are never updated or deleted, so the history stays.
CREATE TABLE tenant_plans (
    id              uuid PRIMARY KEY,
    tenant_id       uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan_id         uuid         NOT NULL REFERENCES plans (id),
    effective_from  timestamptz  NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    created_by      varchar(320),
    UNIQUE (tenant_id, effective_from)
);

-- Billing periods are calendar months in the tenant's time zone; billing events go to its webhook.
ALTER TABLE tenants
    ADD COLUMN time_zone       varchar(64) NOT NULL DEFAULT 'UTC',
    ADD COLUMN webhook_url     text,
    ADD COLUMN webhook_secret  text;

-- Each row snapshots the plan and the unit prices that applied (micro-units per 1,000 requests, per 1,000 items,
-- per compute-second, after tiers) and its cost by component in nano-units, so a later price change never
-- rewrites history. billing_period is the first day of the tenant's month the call belongs to.
ALTER TABLE usage_records
    ADD COLUMN plan_id             uuid,
    ADD COLUMN billing_period      date,
    ADD COLUMN currency            char(3),
    ADD COLUMN price_request       bigint,
    ADD COLUMN price_item          bigint,
    ADD COLUMN price_compute       bigint,
    ADD COLUMN cost_request_nanos  bigint NOT NULL DEFAULT 0,
    ADD COLUMN cost_item_nanos     bigint NOT NULL DEFAULT 0,
    ADD COLUMN cost_compute_nanos  bigint NOT NULL DEFAULT 0,
    ADD COLUMN cost_nanos          bigint NOT NULL DEFAULT 0,
    ADD COLUMN idempotency_key     varchar(255);
CREATE INDEX usage_records_period_model_idx ON usage_records (tenant_id, billing_period, model_name, request_id)
    WHERE billable;

-- Hourly roll-ups maintained by the usage writer in the transaction that inserts the rows, so reports and invoices
-- never scan a month of rows. model_name '' stands for calls that named no model of the catalog.
CREATE TABLE usage_rollups (
    tenant_id           uuid         NOT NULL,
    billing_period      date         NOT NULL,
    hour                timestamptz  NOT NULL,
    model_name          varchar(100) NOT NULL,
    api_key_id          uuid         NOT NULL,
    currency            char(3),
    requests            bigint       NOT NULL DEFAULT 0,
    billable            bigint       NOT NULL DEFAULT 0,
    errors              bigint       NOT NULL DEFAULT 0,
    refused             bigint       NOT NULL DEFAULT 0,
    items               bigint       NOT NULL DEFAULT 0,
    compute_us          bigint       NOT NULL DEFAULT 0,
    bytes_in            bigint       NOT NULL DEFAULT 0,
    bytes_out           bigint       NOT NULL DEFAULT 0,
    cost_request_nanos  bigint       NOT NULL DEFAULT 0,
    cost_item_nanos     bigint       NOT NULL DEFAULT 0,
    cost_compute_nanos  bigint       NOT NULL DEFAULT 0,
    cost_nanos          bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, hour, model_name, api_key_id, billing_period)
);
CREATE INDEX usage_rollups_period_idx ON usage_rollups (tenant_id, billing_period);

-- Billable consumption of a tenant per period, overall (scope '*') and per model (scope = model name). The usage
-- writer adds to it in the same transaction as the rows, under the row lock that also orders graduated tiers.
CREATE TABLE period_usage (
    tenant_id       uuid         NOT NULL,
    billing_period  date         NOT NULL,
    scope           varchar(100) NOT NULL,
    requests        bigint       NOT NULL DEFAULT 0,
    items           bigint       NOT NULL DEFAULT 0,
    compute_us      bigint       NOT NULL DEFAULT 0,
    cost_nanos      bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, billing_period, scope)
);

-- Capacity a control-plane replica (holder) has taken from a shared limit and not used yet. For a monthly quota
-- or budget the truth is period_usage + live leases <= limit; the usage writer moves what a call consumed from the
-- lease to period_usage in one transaction. For a rate window and for concurrency the leases are the count.
-- A lease past expires_at no longer counts (its replica is gone); live replicas renew theirs.
CREATE TABLE limit_leases (
    counter     varchar(200) NOT NULL,
    holder      uuid         NOT NULL,
    amount      bigint       NOT NULL,
    expires_at  timestamptz  NOT NULL,
    PRIMARY KEY (counter, holder)
);
CREATE INDEX limit_leases_expiry_idx ON limit_leases (expires_at);

-- Idempotency-Key of inference calls: one row per tenant and key for 24 hours. The usage writer completes it in
-- the transaction of the call's usage row, so a completed call and its stored answer commit together.
CREATE TABLE idempotency_keys (
    tenant_id       uuid         NOT NULL,
    idem_key        varchar(255) NOT NULL,
    request_hash    bytea        NOT NULL,
    state           varchar(16)  NOT NULL CHECK (state IN ('IN_PROGRESS', 'DONE', 'TOO_LARGE')),
    holder          uuid         NOT NULL,
    request_id      uuid,
    status_code     smallint,
    content_type    varchar(100),
    headers         jsonb,
    body            bytea,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    locked_until    timestamptz  NOT NULL,
    expires_at      timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- One event per tenant, period, limit and threshold (80 or 100 percent).
CREATE TABLE billing_events (
    id              uuid PRIMARY KEY,
    tenant_id       uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    billing_period  date         NOT NULL,
    kind            varchar(16)  NOT NULL CHECK (kind IN ('quota', 'budget')),
    metric          varchar(32)  NOT NULL,
    scope           varchar(100) NOT NULL,
    threshold       smallint     NOT NULL CHECK (threshold IN (80, 100)),
    enforcement     varchar(8)   NOT NULL CHECK (enforcement IN ('hard', 'soft')),
    limit_value     bigint       NOT NULL,
    used_value      bigint       NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, billing_period, kind, metric, scope, threshold)
);

-- Webhook deliveries (an outbox): written with the event, delivered with HMAC signatures and retried with backoff
-- by any replica (SKIP LOCKED), never on a call's path.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    tenant_id        uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    event_id         uuid         NOT NULL,
    event_type       varchar(64)  NOT NULL,
    payload          jsonb        NOT NULL,
    state            varchar(16)  NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer      NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz  NOT NULL DEFAULT now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';

-- Invoices: one per tenant and period (kind INVOICE, unless void), credit notes correct a finalized one.
-- A finalized invoice never changes; amounts are nano-units, total_minor is the total in the currency's minor units.
CREATE TABLE invoices (
    id               uuid PRIMARY KEY,
    number           varchar(40)  NOT NULL UNIQUE,
    tenant_id        uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    billing_period   date         NOT NULL,
    kind             varchar(16)  NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
    state            varchar(16)  NOT NULL CHECK (state IN ('DRAFT', 'FINALIZED', 'VOID')),
    currency         char(3)      NOT NULL,
    plan_id          uuid,
    period_start     timestamptz  NOT NULL,
    period_end       timestamptz  NOT NULL,
    usage_nanos      bigint       NOT NULL,
    fee_nanos        bigint       NOT NULL,
    credit_nanos     bigint       NOT NULL,
    adjustment_nanos bigint       NOT NULL DEFAULT 0,
    total_nanos      bigint       NOT NULL,
    total_minor      bigint       NOT NULL,
    corrects_id      uuid REFERENCES invoices (id),
    reason           text,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    finalized_at     timestamptz,
    voided_at        timestamptz
);
CREATE UNIQUE INDEX invoices_one_per_period_uq ON invoices (tenant_id, billing_period, currency)
    WHERE kind = 'INVOICE' AND state <> 'VOID';
CREATE INDEX invoices_tenant_idx ON invoices (tenant_id, billing_period);

CREATE TABLE invoice_lines (
    invoice_id    uuid         NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no       integer      NOT NULL,
    kind          varchar(16)  NOT NULL CHECK (kind IN ('usage', 'fee', 'credit', 'adjustment', 'correction')),
    model_name    varchar(100),
    component     varchar(16)  CHECK (component IN ('requests', 'items', 'compute')),
    quantity      bigint       NOT NULL DEFAULT 0,
    amount_nanos  bigint       NOT NULL,
    description   text         NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

-- Closing a period: one row per period and currency owner makes "one closes, none twice" a constraint.
CREATE TABLE billing_closes (
    billing_period  date         PRIMARY KEY,
    closed_by       varchar(100) NOT NULL,
    started_at      timestamptz  NOT NULL DEFAULT now(),
    finished_at     timestamptz
);

CREATE INDEX audit_log_action_idx ON audit_log (action, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
