-- Payments become a ledger: several entries per invoice, each with its own id. A `payment` is money the tenant sent
-- (part of what is due, or all of it); a `refund` is money the platform sent back (a credit note issued after the
-- invoice was paid leaves the platform owing the tenant). Amounts stay positive; the kind says which way the money
-- went. What an invoice still asks is its total plus its credit notes minus payments plus refunds.
ALTER TABLE invoice_payments DROP CONSTRAINT invoice_payments_pkey;
ALTER TABLE invoice_payments ADD COLUMN id uuid;
UPDATE invoice_payments SET id = gen_random_uuid();
ALTER TABLE invoice_payments ALTER COLUMN id SET NOT NULL;
ALTER TABLE invoice_payments ADD PRIMARY KEY (id);
ALTER TABLE invoice_payments ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'payment'
    CHECK (kind IN ('payment', 'refund'));
ALTER TABLE invoice_payments ALTER COLUMN kind DROP DEFAULT;
CREATE INDEX invoice_payments_invoice_idx ON invoice_payments (invoice_id, recorded_at);
