-- Self-service sign-up: a signed-in person creates a tenant, becomes its admin, and the tenant starts on the plan
-- the platform admins chose for sign-ups. One row holds that choice; no plan chosen means sign-up is closed (the
-- default, so a platform never gives unlimited free tenants to whoever can register an account).
CREATE TABLE signup_settings (
    id                      boolean      PRIMARY KEY DEFAULT true CHECK (id),
    plan_id                 uuid         REFERENCES plans (id),
    max_tenants_per_person  integer      NOT NULL DEFAULT 3 CHECK (max_tenants_per_person BETWEEN 1 AND 100),
    updated_at              timestamptz,
    updated_by              varchar(320)
);
INSERT INTO signup_settings (id) VALUES (true);

-- Who created a tenant by signing up (the OIDC subject; null for tenants created by platform admins): what the
-- per-person limit counts.
ALTER TABLE tenants ADD COLUMN signed_up_by varchar(255);
CREATE INDEX tenants_signed_up_by ON tenants (signed_up_by) WHERE signed_up_by IS NOT NULL;
