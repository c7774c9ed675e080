-- Plans tenant admins may choose themselves (GET /api/v1/tenants/{slug}/plan/choices, PUT .../plan). A change a
-- tenant makes itself takes effect at the start of its next billing period, and is marked so that the tenant may
-- replace or cancel it before then (a change that has not taken effect is not history yet); changes scheduled by
-- platform admins are never touched by a tenant.
ALTER TABLE plans ADD COLUMN self_service boolean NOT NULL DEFAULT false;
ALTER TABLE tenant_plans ADD COLUMN self_service boolean NOT NULL DEFAULT false;
