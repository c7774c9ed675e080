-- A private model shared with tenants besides its owner (docs/gateway.md, "Which models a tenant may call"): a
-- granted tenant may call the model's READY versions, see its card and pin a version, as its owner may. While the
-- model is public the grants change nothing; they take effect if it is made private.
CREATE TABLE model_grants (
    model_id    uuid         NOT NULL REFERENCES models (id),
    tenant_id   uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    granted_at  timestamptz  NOT NULL DEFAULT now(),
    granted_by  varchar(320) NOT NULL,
    PRIMARY KEY (model_id, tenant_id)
);
CREATE INDEX model_grants_tenant_idx ON model_grants (tenant_id);
