-- An archived plan takes no new tenants (a plan change onto it is refused) but stays what it is for the tenants on
-- it: their calls are priced by it and their invoices name it. Restoring it clears the column. Plans are never
-- deleted: usage rows and invoices point at them.
ALTER TABLE plans ADD COLUMN archived_at timestamptz;
