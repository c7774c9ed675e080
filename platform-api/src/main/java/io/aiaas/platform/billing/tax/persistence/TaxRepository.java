package io.aiaas.platform.billing.tax.persistence;

import io.aiaas.platform.billing.tax.service.AppliedTax;
import io.aiaas.platform.billing.tax.service.TaxRateView;
import io.aiaas.platform.billing.tax.service.TaxTreatment;
import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of tax rates and tenants' tax treatments. */
@ApplicationScoped
public class TaxRepository {

    private static final String SELECT = """
            SELECT id, country, region, name, rate_ppm, effective_from, created_at, created_by FROM tax_rates""";

    private final Jdbc jdbc;

    TaxRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(TaxRateView rate) {
        jdbc.update("""
                INSERT INTO tax_rates (id, country, region, name, rate_ppm, effective_from, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rate.id(), rate.country(), rate.region(), rate.name(),
                rate.ratePpm(), rate.effectiveFrom(), rate.createdAt(), rate.createdBy());
    }

    /** Every rate, by country, region (country-wide first) and newest first. */
    public List<TaxRateView> list() {
        return jdbc.query(SELECT + " ORDER BY country, region NULLS FIRST, effective_from DESC",
                TaxRepository::rate);
    }

    public Optional<TaxRateView> find(UUID id) {
        return jdbc.queryFirst(SELECT + " WHERE id = ?", TaxRepository::rate, id);
    }

    public void delete(UUID id) {
        jdbc.update("DELETE FROM tax_rates WHERE id = ?", id);
    }

    /**
     * The rate in effect on {@code day} for a country and region: the region's own when it has one, else the
     * country's; the latest that took effect by then.
     */
    public Optional<TaxRateView> inEffect(String country, String region, LocalDate day) {
        return jdbc.queryFirst(SELECT + " " + """
                WHERE country = ? AND (region IS NULL OR upper(region) = upper(?)) AND effective_from <= ?
                ORDER BY region IS NULL, effective_from DESC LIMIT 1""", TaxRepository::rate, country, region, day);
    }

    /** The tenant's treatment; empty when there is no such tenant. */
    public Optional<TaxTreatment> treatment(UUID tenantId) {
        return jdbc.queryFirst("SELECT tax_treatment, tax_note FROM tenants WHERE id = ?",
                rs -> new TaxTreatment(rs.getString(1), rs.getString(2)), tenantId);
    }

    public void setTreatment(UUID tenantId, TaxTreatment treatment) {
        jdbc.update("UPDATE tenants SET tax_treatment = ?, tax_note = ? WHERE id = ?", treatment.treatment(),
                treatment.note(), tenantId);
    }

    private static TaxRateView rate(ResultSet rs) throws SQLException {
        int ppm = rs.getInt(5);
        Instant created = Jdbc.instant(rs, 7);
        return new TaxRateView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                AppliedTax.percent(ppm), ppm,
                rs.getObject(6, LocalDate.class), created, rs.getString(8));
    }
}
