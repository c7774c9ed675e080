-- Trust between processes (issue 9): the shared HS256 secret is gone. Each worker has its own EC P-256 key pair,
-- registered at enrolment with an enrolment token; the control plane signs its tokens to workers with its own key.
-- See docs/internal-auth.md.

-- Enrolment tokens: only the SHA-256 of a token is stored; the token is shown once, when it is created.
-- uses_allowed NULL = unlimited: only the bootstrap token of local runs (aiaas.workers.bootstrap-enrolment-token).
CREATE TABLE worker_enrolment_tokens (
    id            uuid         PRIMARY KEY,
    name          varchar(100) NOT NULL,
    token_sha256  bytea        NOT NULL UNIQUE,
    uses_allowed  integer      CHECK (uses_allowed IS NULL OR uses_allowed BETWEEN 1 AND 10000),
    uses          integer      NOT NULL DEFAULT 0 CHECK (uses >= 0),
    expires_at    timestamptz,
    bootstrap     boolean      NOT NULL DEFAULT false,
    created_by    text         NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

-- One row per enrolled worker process. workers.id of the worker's row is its identity id (no foreign key: the
-- registry's rows come and go, and tests create rows directly).
CREATE TABLE worker_identities (
    id                  uuid         PRIMARY KEY,
    name                varchar(100) NOT NULL,
    enrolment_token_id  uuid         REFERENCES worker_enrolment_tokens (id) ON DELETE SET NULL,
    enrolled_at         timestamptz  NOT NULL DEFAULT now(),
    revoked_at          timestamptz
);

-- A worker's public keys (JWK text), by RFC 7638 thumbprint. More than one unretired key only during a rotation.
CREATE TABLE worker_identity_keys (
    kid          varchar(64)  PRIMARY KEY,
    identity_id  uuid         NOT NULL REFERENCES worker_identities (id) ON DELETE CASCADE,
    public_jwk   text         NOT NULL,
    added_at     timestamptz  NOT NULL DEFAULT now(),
    retired_at   timestamptz
);
CREATE INDEX worker_identity_keys_identity_idx ON worker_identity_keys (identity_id);

-- The control plane's signing key when no aiaas.internal-auth.signing-key-file is configured (development, tests,
-- local runs): generated once by whichever replica starts first, read by every other one.
CREATE TABLE internal_signing_keys (
    kid          varchar(64)  PRIMARY KEY,
    private_pem  text         NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now()
);

-- Rows registered under the shared secret belong to no identity; running workers enrol and register again.
DELETE FROM workers;
