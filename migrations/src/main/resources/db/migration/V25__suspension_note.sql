-- What an operator tells a tenant it suspends (PATCH /admin/v1/tenants/{slug} {"status": "suspended",
-- "suspension_note"}): shown on its pages, in /me, in its keys' 403 and in its tenant.suspended webhook; cleared
-- when the tenant is resumed. NULL for a suspension without a note and for the overdue sweep's (non_payment).
ALTER TABLE tenants ADD COLUMN suspension_note varchar(500);
