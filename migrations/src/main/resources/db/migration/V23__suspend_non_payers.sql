-- Suspending tenants that do not pay (aiaas.billing.suspend-after-overdue-days, off unless set). Why a tenant is
-- suspended: 'non_payment' when the overdue sweep suspended it (a payment that settles what is overdue resumes it),
-- NULL when an operator did (only an operator resumes it). Which overdue invoice suspended its tenant: each invoice
-- does it at most once, so an operator who resumes the tenant is not overruled by the next sweep.
ALTER TABLE tenants ADD COLUMN suspended_reason varchar(20);
ALTER TABLE invoice_overdue_notices ADD COLUMN suspended_at timestamptz;
