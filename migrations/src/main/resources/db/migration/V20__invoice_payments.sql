-- Payments: that a finalized invoice was paid in full, recorded by a platform admin (the money moves outside the
-- platform: a wire, a card processor). One per invoice; removing one recorded by mistake deletes its row (audited).
-- The invoice row itself never changes once finalized: what is owed is its total plus its credit notes.
CREATE TABLE invoice_payments (
    invoice_id    uuid          PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    amount_minor  bigint        NOT NULL CHECK (amount_minor > 0),
    currency      char(3)       NOT NULL,
    paid_at       timestamptz   NOT NULL,
    reference     varchar(200)  NOT NULL,
    recorded_by   varchar(320)  NOT NULL,
    recorded_at   timestamptz   NOT NULL
);

-- That a tenant was told an invoice is overdue (webhook invoice.overdue, audit billing.invoice.overdue): once per
-- invoice, whichever replica's sweep inserts the row first.
CREATE TABLE invoice_overdue_notices (
    invoice_id    uuid          PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    notified_at   timestamptz   NOT NULL
);
