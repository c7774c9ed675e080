package io.aiaas.platform.billing.profile.persistence;

import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** SQL of tenants' billing profiles. */
@ApplicationScoped
public class BillingProfileRepository {

    /** A stored profile. */
    public record ProfileRow(BillingParty party, Instant updatedAt, String updatedBy) {
    }

    private final Jdbc jdbc;

    BillingProfileRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ProfileRow> find(UUID tenantId) {
        return jdbc.queryFirst("""
                SELECT legal_name, address_line1, address_line2, city, postal_code, region, country, tax_id, email,
                       updated_at, updated_by
                FROM tenant_billing_profiles WHERE tenant_id = ?""",
                rs -> new ProfileRow(new BillingParty(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9)), Jdbc.instant(rs, 10), rs.getString(11)), tenantId);
    }

    public void upsert(UUID tenantId, BillingParty p, Instant at, String by) {
        jdbc.update("""
                INSERT INTO tenant_billing_profiles (tenant_id, legal_name, address_line1, address_line2, city,
                    postal_code, region, country, tax_id, email, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET legal_name = EXCLUDED.legal_name,
                    address_line1 = EXCLUDED.address_line1, address_line2 = EXCLUDED.address_line2,
                    city = EXCLUDED.city, postal_code = EXCLUDED.postal_code, region = EXCLUDED.region,
                    country = EXCLUDED.country, tax_id = EXCLUDED.tax_id, email = EXCLUDED.email,
                    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by""",
                tenantId, p.legalName(), p.addressLine1(), p.addressLine2(), p.city(), p.postalCode(), p.region(),
                p.country(), p.taxId(), p.email(), at, by);
    }
}
