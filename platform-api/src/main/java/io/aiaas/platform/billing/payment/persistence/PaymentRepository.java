package io.aiaas.platform.billing.payment.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of invoice payments and of what credit notes took off an invoice. */
@ApplicationScoped
public class PaymentRepository {

    /** A recorded payment of one invoice. */
    public record PaymentRow(UUID invoiceId, long amountMinor, String currency, Instant paidAt, String reference,
            String recordedBy, Instant recordedAt) {
    }

    /** SQL: the invoice {@code i} has a payment. */
    public static final String PAID = "EXISTS (SELECT 1 FROM invoice_payments p WHERE p.invoice_id = i.id)";
    /** SQL: what the invoice {@code i} asks, in minor units: its total plus its finalized credit notes' totals. */
    public static final String DUE_MINOR = "(i.total_minor + COALESCE((SELECT sum(c.total_minor) FROM invoices c"
            + " WHERE c.corrects_id = i.id AND c.kind = 'CREDIT_NOTE' AND c.state = 'FINALIZED'), 0))";
    /** SQL: the invoice {@code i} is one that is paid (a finalized invoice, not a draft or credit note). */
    public static final String PAYABLE = "i.kind = 'INVOICE' AND i.state = 'FINALIZED'";

    private final Jdbc jdbc;

    PaymentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PaymentRow> find(UUID invoiceId) {
        return jdbc.queryFirst("SELECT invoice_id, amount_minor, currency, paid_at, reference, recorded_by,"
                + " recorded_at FROM invoice_payments WHERE invoice_id = ?", PaymentRepository::row, invoiceId);
    }

    /** The payments of these invoices, by invoice id. */
    public Map<UUID, PaymentRow> findAll(Collection<UUID> invoiceIds) {
        Map<UUID, PaymentRow> out = new HashMap<>();
        if (!invoiceIds.isEmpty()) {
            jdbc.query("SELECT invoice_id, amount_minor, currency, paid_at, reference, recorded_by, recorded_at"
                    + " FROM invoice_payments WHERE invoice_id = ANY(?)", PaymentRepository::row,
                    new Jdbc.UuidArray(invoiceIds)).forEach(p -> out.put(p.invoiceId(), p));
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
     * Marks finalized, unpaid invoices with something due that were finalized before {@code finalizedBefore} and
     * were never marked, at most {@code limit} of them, and answers their ids: each invoice once, whichever replica
     * inserts first (a second insert waits for the first to commit and then inserts nothing).
     */
    public java.util.List<UUID> markOverdue(Instant finalizedBefore, Instant now, int limit) {
        return jdbc.query("""
                INSERT INTO invoice_overdue_notices (invoice_id, notified_at)
                SELECT i.id, ? FROM invoices i
                WHERE %s AND i.finalized_at < ? AND NOT %s AND %s > 0
                  AND NOT EXISTS (SELECT 1 FROM invoice_overdue_notices n WHERE n.invoice_id = i.id)
                ORDER BY i.finalized_at LIMIT ?
                ON CONFLICT (invoice_id) DO NOTHING
                RETURNING invoice_id""".formatted(PAYABLE, PAID, DUE_MINOR), rs -> rs.getObject(1, UUID.class), now,
                finalizedBefore, limit);
    }

    /** What a currency's finalized invoices asked, were credited, were paid, and what is left: minor units. */
    public record ReceivablesRow(String currency, long invoices, long invoicedMinor, long creditedMinor,
            long paidMinor, long outstandingMinor, long outstandingInvoices, long overdueMinor,
            long overdueInvoices) {
    }

    /**
     * The receivables of finalized invoices per currency, of one period or all (null): each invoice counted once,
     * with its credit notes and its payment; outstanding is what unpaid invoices with something due still ask,
     * overdue the part of it finalized before {@code overdueBefore}.
     */
    public java.util.List<ReceivablesRow> receivables(java.time.LocalDate period, Instant overdueBefore) {
        return jdbc.query("""
                SELECT currency, count(*), sum(total_minor), sum(due - total_minor), COALESCE(sum(paid), 0),
                       COALESCE(sum(due) FILTER (WHERE paid IS NULL AND due > 0), 0),
                       count(*) FILTER (WHERE paid IS NULL AND due > 0),
                       COALESCE(sum(due) FILTER (WHERE paid IS NULL AND due > 0 AND finalized_at < ?), 0),
                       count(*) FILTER (WHERE paid IS NULL AND due > 0 AND finalized_at < ?)
                FROM (SELECT i.currency, i.total_minor, i.finalized_at, %2$s AS due, p.amount_minor AS paid
                      FROM invoices i LEFT JOIN invoice_payments p ON p.invoice_id = i.id
                      WHERE %1$s AND (CAST(? AS date) IS NULL OR i.billing_period = ?)) finalized
                GROUP BY currency ORDER BY currency""".formatted(PAYABLE, DUE_MINOR),
                rs -> new ReceivablesRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)),
                overdueBefore, overdueBefore, period, period);
    }

    public void insert(PaymentRow payment) {
        jdbc.update("INSERT INTO invoice_payments (invoice_id, amount_minor, currency, paid_at, reference,"
                + " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)", payment.invoiceId(),
                payment.amountMinor(), payment.currency(), payment.paidAt(), payment.reference(),
                payment.recordedBy(), payment.recordedAt());
    }

    public boolean delete(UUID invoiceId) {
        return jdbc.update("DELETE FROM invoice_payments WHERE invoice_id = ?", invoiceId) > 0;
    }

    private static PaymentRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new PaymentRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), Jdbc.instant(rs, 4),
                rs.getString(5), rs.getString(6), Jdbc.instant(rs, 7));
    }
}
