-- A tenant can be closed (by its admins or a platform admin): final, its keys revoked, no plan and no fee after
-- closed_at, its invoices, usage and audit log kept and readable by its members.
ALTER TABLE tenants ADD COLUMN closed_at timestamptz;
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED'));
ALTER TABLE tenants ADD CONSTRAINT tenants_closed_at_check CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL));
