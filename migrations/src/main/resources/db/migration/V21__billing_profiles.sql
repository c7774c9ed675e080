-- Who an invoice is addressed to: the tenant's billing profile (legal name, postal address, tax id, e-mail), kept by
-- its admins. Each invoice and credit note keeps a copy of the profile and of the platform's own details (issuer,
-- from configuration) as they were when it was created, so a later change never alters an invoice already issued.
CREATE TABLE tenant_billing_profiles (
    tenant_id      uuid          PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    legal_name     varchar(200)  NOT NULL,
    address_line1  varchar(200)  NOT NULL,
    address_line2  varchar(200),
    city           varchar(100)  NOT NULL,
    postal_code    varchar(20),
    region         varchar(100),
    country        char(2)       NOT NULL,
    tax_id         varchar(50),
    email          varchar(320),
    updated_at     timestamptz   NOT NULL,
    updated_by     varchar(320)  NOT NULL
);

ALTER TABLE invoices ADD COLUMN bill_to jsonb;
ALTER TABLE invoices ADD COLUMN issuer jsonb;
