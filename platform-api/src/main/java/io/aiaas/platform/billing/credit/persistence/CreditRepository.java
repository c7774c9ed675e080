package io.aiaas.platform.billing.credit.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of credit grants and what invoices drew from them. What is left of a grant is its amount less the applications
 * of invoices that are not VOID, so voiding a draft gives its credit back without a write here. Every tenant-owned
 * query takes the tenant id.
 */
@ApplicationScoped
public class CreditRepository {

    /** A grant with what is left of it (never negative: applications never exceed it). */
    public record GrantRow(UUID id, UUID tenantId, String tenantSlug, String currency, long amountNanos,
            long remainingNanos, String reason, String grantedBy, Instant createdAt, Instant expiresAt,
            Instant voidedAt, String voidedBy) {
    }

    private static final String SELECT = """
            SELECT g.id, g.tenant_id, t.slug, g.currency, g.amount_nanos,
                g.amount_nanos - coalesce((SELECT sum(a.amount_nanos) FROM credit_applications a
                    JOIN invoices i ON i.id = a.invoice_id WHERE a.grant_id = g.id AND i.state <> 'VOID'), 0),
                g.reason, g.granted_by, g.created_at, g.expires_at, g.voided_at, g.voided_by
            FROM credit_grants g JOIN tenants t ON t.id = g.tenant_id
            """;

    private final Jdbc jdbc;

    CreditRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(UUID id, UUID tenantId, String currency, long amountNanos, String reason, String grantedBy,
            Instant createdAt, Instant expiresAt) {
        jdbc.update("""
                INSERT INTO credit_grants (id, tenant_id, currency, amount_nanos, reason, granted_by, created_at,
                    expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", id, tenantId, currency, amountNanos, reason, grantedBy,
                createdAt, expiresAt);
    }

    /** The tenant's grants (null: every tenant's), newest first. */
    public List<GrantRow> list(UUID tenantId, int limit) {
        return jdbc.query(SELECT + " WHERE (CAST(? AS uuid) IS NULL OR g.tenant_id = ?)"
                + " ORDER BY g.created_at DESC, g.id LIMIT ?", CreditRepository::grant, tenantId, tenantId, limit);
    }

    /** A grant, locked until the transaction ends (a void and an invoice drawing on it take turns). */
    public Optional<GrantRow> findForUpdate(UUID id) {
        jdbc.query("SELECT id FROM credit_grants WHERE id = ? FOR UPDATE", rs -> rs.getObject(1, UUID.class), id);
        return jdbc.queryFirst(SELECT + " WHERE g.id = ?", CreditRepository::grant, id);
    }

    public void markVoided(UUID id, Instant at, String by) {
        jdbc.update("UPDATE credit_grants SET voided_at = ?, voided_by = ? WHERE id = ?", at, by, id);
    }

    /**
     * The grants an invoice of the tenant in this currency for [{@code start}, {@code end}) may draw on, in the order
     * it draws (the earliest expiry first, then the oldest): given before the period ended, not expired before it
     * began, not voided, something left. With {@code lock}, their rows stay locked until the transaction ends, so two
     * invoices of the tenant (two periods closing at once) never draw the same credit.
     */
    public List<GrantRow> usable(UUID tenantId, String currency, Instant start, Instant end, boolean lock) {
        String where = " WHERE g.tenant_id = ? AND g.currency = ? AND g.voided_at IS NULL AND g.created_at < ?"
                + " AND (g.expires_at IS NULL OR g.expires_at > ?)";
        if (lock) {
            jdbc.query("SELECT g.id FROM credit_grants g" + where + " ORDER BY g.id FOR UPDATE",
                    rs -> rs.getObject(1, UUID.class), tenantId, currency, end, start);
        }
        return jdbc.query(SELECT + where + " ORDER BY g.expires_at NULLS LAST, g.created_at, g.id",
                CreditRepository::grant, tenantId, currency, end, start).stream()
                .filter(g -> g.remainingNanos() > 0).toList();
    }

    /**
     * What the tenant's active grants in this currency hold (not voided, not expired at {@code now}), after taking
     * a lock that the next grant of the tenant waits for until this transaction ends.
     */
    public BigDecimal activeNanosLocked(UUID tenantId, String currency, Instant now) {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> null, "credit-grant:" + tenantId);
        return jdbc.queryFirst("""
                SELECT coalesce(sum(g.amount_nanos - coalesce((SELECT sum(a.amount_nanos) FROM credit_applications a
                    JOIN invoices i ON i.id = a.invoice_id WHERE a.grant_id = g.id AND i.state <> 'VOID'), 0)), 0)
                FROM credit_grants g
                WHERE g.tenant_id = ? AND g.currency = ? AND g.voided_at IS NULL
                  AND (g.expires_at IS NULL OR g.expires_at > ?)""", rs -> rs.getBigDecimal(1), tenantId, currency,
                now).orElse(BigDecimal.ZERO);
    }

    public void insertApplication(UUID grantId, UUID invoiceId, long amountNanos) {
        jdbc.update("INSERT INTO credit_applications (grant_id, invoice_id, amount_nanos) VALUES (?, ?, ?)",
                grantId, invoiceId, amountNanos);
    }

    private static GrantRow grant(ResultSet rs) throws SQLException {
        return new GrantRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8), Jdbc.instant(rs, 9),
                Jdbc.instant(rs, 10), Jdbc.instant(rs, 11), rs.getString(12));
    }
}
