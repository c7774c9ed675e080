-- Taxes on invoices (docs/invoices.md, "Taxes"). A tax rate is a percent (in millionths: 19 % = 190000) of a country,
-- or of a region of it, from a date on; rates are never changed, a new one supersedes them from its date, and only
-- one not yet in effect can be removed. A tenant's treatment decides whether its country's rate applies (standard),
-- or none because it is exempt or the customer accounts for it (reverse_charge), with a note the invoice repeats.
-- Each invoice keeps what applied (tax jsonb) and its tax in tax_nanos, part of total_nanos, on a line of kind tax.
CREATE TABLE tax_rates (
    id              uuid         PRIMARY KEY,
    country         char(2)      NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    region          varchar(100) CHECK (length(region) > 0),
    name            varchar(40)  NOT NULL CHECK (length(name) > 0),
    rate_ppm        integer      NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
    effective_from  date         NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    created_by      varchar(320) NOT NULL
);
CREATE UNIQUE INDEX tax_rates_one_per_day_uq ON tax_rates (country, upper(coalesce(region, '')), effective_from);

ALTER TABLE tenants ADD COLUMN tax_treatment varchar(16) NOT NULL DEFAULT 'standard'
    CHECK (tax_treatment IN ('standard', 'exempt', 'reverse_charge'));
ALTER TABLE tenants ADD COLUMN tax_note varchar(500);

ALTER TABLE invoices ADD COLUMN tax_nanos bigint NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN tax jsonb;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
    CHECK (kind IN ('usage', 'fee', 'credit', 'adjustment', 'correction', 'grant', 'tax'));
