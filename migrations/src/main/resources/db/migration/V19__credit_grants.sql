-- Credit grants: money a platform admin gives a tenant (prepaid, promotional, goodwill) that its invoices draw on,
-- oldest expiry first, until it is spent, expires or is voided. An application is what one invoice drew from one
-- grant; an application of a VOID invoice does not count, so voiding a draft gives its credit back.
CREATE TABLE credit_grants (
    id            uuid PRIMARY KEY,
    tenant_id     uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    currency      char(3)       NOT NULL,
    amount_nanos  bigint        NOT NULL CHECK (amount_nanos > 0),
    reason        text          NOT NULL,
    granted_by    varchar(320)  NOT NULL,
    created_at    timestamptz   NOT NULL,
    expires_at    timestamptz,
    voided_at     timestamptz,
    voided_by     varchar(320)
);
CREATE INDEX credit_grants_tenant_idx ON credit_grants (tenant_id, currency);

CREATE TABLE credit_applications (
    grant_id      uuid    NOT NULL REFERENCES credit_grants (id),
    invoice_id    uuid    NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount_nanos  bigint  NOT NULL CHECK (amount_nanos > 0),
    PRIMARY KEY (grant_id, invoice_id)
);
CREATE INDEX credit_applications_invoice_idx ON credit_applications (invoice_id);

ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
    CHECK (kind IN ('usage', 'fee', 'credit', 'adjustment', 'correction', 'grant'));
