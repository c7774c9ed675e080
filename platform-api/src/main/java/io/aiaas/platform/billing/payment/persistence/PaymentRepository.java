package io.aiaas.platform.billing.payment.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of the payment ledger of invoices (payments received, refunds sent) and of what credit notes took off an
 * invoice. The SQL fragments below state, for an invoice {@code i}, what the payment view states in Java, so that
 * list filters, overdue notices and receivables agree with what an invoice answers.
 */
@ApplicationScoped
public class PaymentRepository {

    /** A ledger entry's kind: money the tenant sent. */
    public static final String PAYMENT = "payment";
    /** A ledger entry's kind: money the platform sent back. */
    public static final String REFUND = "refund";

    /** One entry of an invoice's ledger; the amount is positive, the kind says which way the money went. */
    public record EntryRow(UUID id, UUID invoiceId, String kind, long amountMinor, String currency, Instant at,
            String reference, String recordedBy, Instant recordedAt) {

        /** What the entry adds to what the tenant has paid: a payment its amount, a refund minus its amount. */
        public long signedMinor() {
            return REFUND.equals(kind) ? -amountMinor : amountMinor;
        }
    }

    /** SQL: what the invoice {@code i} asks, in minor units: its total plus its finalized credit notes' totals. */
    public static final String DUE_MINOR = "(i.total_minor + COALESCE((SELECT sum(c.total_minor) FROM invoices c"
            + " WHERE c.corrects_id = i.id AND c.kind = 'CREDIT_NOTE' AND c.state = 'FINALIZED'), 0))";
    /** SQL: what the tenant has paid on the invoice {@code i}, net of refunds, in minor units. */
    public static final String NET_PAID_MINOR = "COALESCE((SELECT sum(CASE WHEN p.kind = 'refund' THEN"
            + " -p.amount_minor ELSE p.amount_minor END) FROM invoice_payments p WHERE p.invoice_id = i.id), 0)";
    /** SQL: what is left to settle on the invoice {@code i}: positive the tenant owes, negative it is owed. */
    public static final String BALANCE_MINOR = "(" + DUE_MINOR + " - " + NET_PAID_MINOR + ")";
    /** SQL: the invoice {@code i} is one that is paid (a finalized invoice, not a draft or credit note). */
    public static final String PAYABLE = "i.kind = 'INVOICE' AND i.state = 'FINALIZED'";

    private static final String COLUMNS = "id, invoice_id, kind, amount_minor, currency, paid_at, reference,"
            + " recorded_by, recorded_at";

    private final Jdbc jdbc;

    PaymentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** An entry of the invoice's ledger. */
    public Optional<EntryRow> find(UUID invoiceId, UUID entryId) {
        return jdbc.queryFirst("SELECT " + COLUMNS + " FROM invoice_payments WHERE invoice_id = ? AND id = ?",
                PaymentRepository::row, invoiceId, entryId);
    }

    /** The ledger entries of these invoices in the order they were recorded, by invoice id. */
    public Map<UUID, List<EntryRow>> findAll(Collection<UUID> invoiceIds) {
        Map<UUID, List<EntryRow>> out = new HashMap<>();
        if (!invoiceIds.isEmpty()) {
            jdbc.query("SELECT " + COLUMNS + " FROM invoice_payments WHERE invoice_id = ANY(?)"
                    + " ORDER BY recorded_at, id", PaymentRepository::row, new Jdbc.UuidArray(invoiceIds))
                    .forEach(p -> out.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>()).add(p));
        }
        return out;
    }

    /** What the finalized credit notes of these invoices took off them (negative minor units), by invoice id. */
    public Map<UUID, Long> creditedMinor(Collection<UUID> invoiceIds) {
        Map<UUID, Long> out = new HashMap<>();
        if (!invoiceIds.isEmpty()) {
            jdbc.query("SELECT corrects_id, sum(total_minor) FROM invoices WHERE corrects_id = ANY(?)"
                    + " AND kind = 'CREDIT_NOTE' AND state = 'FINALIZED' GROUP BY corrects_id",
                    rs -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)), new Jdbc.UuidArray(invoiceIds))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * Marks finalized invoices with something left to pay that were finalized before {@code finalizedBefore} and
     * were never marked, at most {@code limit} of them, and answers their ids: each invoice once, whichever replica
     * inserts first (a second insert waits for the first to commit and then inserts nothing).
     */
    public List<UUID> markOverdue(Instant finalizedBefore, Instant now, int limit) {
        return jdbc.query("""
                INSERT INTO invoice_overdue_notices (invoice_id, notified_at)
                SELECT i.id, ? FROM invoices i
                WHERE %s AND i.finalized_at < ? AND %s > 0
                  AND NOT EXISTS (SELECT 1 FROM invoice_overdue_notices n WHERE n.invoice_id = i.id)
                ORDER BY i.finalized_at LIMIT ?
                ON CONFLICT (invoice_id) DO NOTHING
                RETURNING invoice_id""".formatted(PAYABLE, BALANCE_MINOR), rs -> rs.getObject(1, UUID.class), now,
                finalizedBefore, limit);
    }

    /** An invoice unpaid past its grace that has just suspended its tenant, or would have were it active. */
    public record SuspendingRow(UUID invoiceId, UUID tenantId, String tenantSlug, String number) {
    }

    /**
     * Marks, in their overdue notices, the finalized invoices with something left to pay that were finalized before
     * {@code finalizedBefore} and never suspended their tenant, and answers them: each invoice once, whichever replica
     * updates first (a second update waits for the first to commit, reads the mark and skips the row).
     */
    public List<SuspendingRow> markSuspending(Instant finalizedBefore, Instant now) {
        return jdbc.query("""
                UPDATE invoice_overdue_notices n SET suspended_at = ?
                FROM invoices i JOIN tenants t ON t.id = i.tenant_id
                WHERE n.invoice_id = i.id AND n.suspended_at IS NULL AND %s AND i.finalized_at < ? AND %s > 0
                RETURNING i.id, i.tenant_id, t.slug, i.number""".formatted(PAYABLE, BALANCE_MINOR),
                rs -> new SuspendingRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4)), now, finalizedBefore);
    }

    /**
     * Lets the tenant's settled invoices that suspended it do so again should they become unpaid again (a payment
     * removed, a bounced transfer): their notices forget the suspension. Answers how many.
     */
    public int rearmSettled(UUID tenantId) {
        return jdbc.update("""
                UPDATE invoice_overdue_notices n SET suspended_at = NULL FROM invoices i
                WHERE n.invoice_id = i.id AND i.tenant_id = ? AND n.suspended_at IS NOT NULL
                  AND NOT (%s AND %s > 0)""".formatted(PAYABLE, BALANCE_MINOR), tenantId);
    }

    /** How many invoices that suspended the tenant still have something left to pay. */
    public long unpaidSuspending(UUID tenantId) {
        return jdbc.queryFirst("""
                SELECT count(*) FROM invoices i JOIN invoice_overdue_notices n ON n.invoice_id = i.id
                WHERE i.tenant_id = ? AND n.suspended_at IS NOT NULL AND %s AND %s > 0"""
                .formatted(PAYABLE, BALANCE_MINOR), rs -> rs.getLong(1), tenantId).orElse(0L);
    }

    /**
     * A currency's finalized invoices: what they asked, what their credit notes took off, what was paid and refunded,
     * what is left to pay (and how much of it is overdue) and what the platform owes back; minor units.
     */
    public record ReceivablesRow(String currency, long invoices, long invoicedMinor, long creditedMinor,
            long paidMinor, long refundedMinor, long outstandingMinor, long outstandingInvoices, long overdueMinor,
            long overdueInvoices, long refundDueMinor, long refundDueInvoices) {
    }

    /**
     * The receivables of finalized invoices per currency, of one period or all (null): each invoice counted once,
     * with its credit notes and its ledger; outstanding is what invoices with a positive balance still ask, overdue
     * the part of it finalized before {@code overdueBefore}, refund due what invoices with a negative balance are
     * owed.
     */
    public List<ReceivablesRow> receivables(LocalDate period, Instant overdueBefore) {
        return jdbc.query("""
                SELECT currency, count(*), sum(total_minor), sum(due - total_minor), sum(paid), sum(refunded),
                       COALESCE(sum(balance) FILTER (WHERE balance > 0), 0), count(*) FILTER (WHERE balance > 0),
                       COALESCE(sum(balance) FILTER (WHERE balance > 0 AND finalized_at < ?), 0),
                       count(*) FILTER (WHERE balance > 0 AND finalized_at < ?),
                       COALESCE(-sum(balance) FILTER (WHERE balance < 0), 0), count(*) FILTER (WHERE balance < 0)
                FROM (SELECT currency, total_minor, finalized_at, due, paid, refunded, due - paid + refunded AS balance
                      FROM (SELECT i.currency, i.total_minor, i.finalized_at, %2$s AS due,
                                   COALESCE(sum(p.amount_minor) FILTER (WHERE p.kind = 'payment'), 0) AS paid,
                                   COALESCE(sum(p.amount_minor) FILTER (WHERE p.kind = 'refund'), 0) AS refunded
                            FROM invoices i LEFT JOIN invoice_payments p ON p.invoice_id = i.id
                            WHERE %1$s AND (CAST(? AS date) IS NULL OR i.billing_period = ?)
                            GROUP BY i.id) ledger) finalized
                GROUP BY currency ORDER BY currency""".formatted(PAYABLE, DUE_MINOR),
                rs -> new ReceivablesRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                        rs.getLong(12)),
                overdueBefore, overdueBefore, period, period);
    }

    public void insert(EntryRow entry) {
        jdbc.update("INSERT INTO invoice_payments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", entry.id(),
                entry.invoiceId(), entry.kind(), entry.amountMinor(), entry.currency(), entry.at(),
                entry.reference(), entry.recordedBy(), entry.recordedAt());
    }

    public boolean delete(UUID entryId) {
        return jdbc.update("DELETE FROM invoice_payments WHERE id = ?", entryId) > 0;
    }

    private static EntryRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new EntryRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4),
                rs.getString(5), Jdbc.instant(rs, 6), rs.getString(7), rs.getString(8), Jdbc.instant(rs, 9));
    }
}
