package io.aiaas.platform.billing.invoice.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of invoices, their lines and the usage behind them. Every tenant-owned query takes the tenant id. Inside a
 * {@code @Transactional} method the statements join that transaction (the pool enlists the connection).
 */
@ApplicationScoped
public class InvoiceRepository {

    /** One stored invoice or credit note. */
    public record InvoiceRow(UUID id, String number, UUID tenantId, String tenantSlug, LocalDate billingPeriod,
            String kind, String state, String currency, UUID planId, Instant periodStart, Instant periodEnd,
            long usageNanos, long feeNanos, long creditNanos, long adjustmentNanos, long totalNanos, long totalMinor,
            UUID correctsId, String reason, Instant createdAt, Instant finalizedAt, Instant voidedAt, String billTo,
            String issuer, long taxNanos, String tax) {
    }

    /** One line of an invoice; model and component only on usage and adjustment lines. */
    public record LineRow(int lineNo, String kind, String modelName, String component, long quantity,
            long amountNanos, String description) {
    }

    /** A period's usage of one model in one currency, summed over the hourly roll-ups. */
    public record ModelUsage(String currency, String modelName, long billable, long items, long computeUs,
            long requestNanos, long itemNanos, long computeNanos, long costNanos) {
    }

    /** A period's billable consumption of one model (period_usage), the totals that volume tiers are priced at. */
    public record PeriodTotals(long requests, long items, long computeUs) {
    }

    /** A tenant that may have a period to close. */
    public record Candidate(UUID tenantId, String slug, String timeZone) {
    }

    /** One billable usage row behind a usage line. */
    public record UsageRow(UUID requestId, Instant startedAt, UUID apiKeyId, String modelName, Integer modelVersion,
            int statusCode, int itemCount, long computeUs, String currency, Long priceRequest, Long priceItem,
            Long priceCompute, long costRequestNanos, long costItemNanos, long costComputeNanos, long costNanos) {
    }

    private static final String COLUMNS = """
            i.id, i.number, i.tenant_id, t.slug, i.billing_period, i.kind, i.state, i.currency, i.plan_id,
            i.period_start, i.period_end, i.usage_nanos, i.fee_nanos, i.credit_nanos, i.adjustment_nanos,
            i.total_nanos, i.total_minor, i.corrects_id, i.reason, i.created_at, i.finalized_at, i.voided_at,
            CAST(i.bill_to AS text), CAST(i.issuer AS text), i.tax_nanos, CAST(i.tax AS text)""";

    private final Jdbc jdbc;

    InvoiceRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The slug of a tenant. */
    public String slugOf(UUID tenantId) {
        return jdbc.queryFirst("SELECT slug FROM tenants WHERE id = ?", rs -> rs.getString(1), tenantId)
                .orElseThrow();
    }

    /** The id of the tenant with this slug. */
    public Optional<UUID> tenantIdOf(String slug) {
        return jdbc.queryFirst("SELECT id FROM tenants WHERE slug = ?", rs -> rs.getObject(1, UUID.class), slug);
    }

    public void insert(InvoiceRow invoice, List<LineRow> lines) {
        jdbc.update("""
                INSERT INTO invoices (id, number, tenant_id, billing_period, kind, state, currency, plan_id,
                    period_start, period_end, usage_nanos, fee_nanos, credit_nanos, adjustment_nanos, total_nanos,
                    total_minor, corrects_id, reason, created_at, finalized_at, bill_to, issuer, tax_nanos, tax)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb),
                    ?, CAST(? AS jsonb))""",
                invoice.id(), invoice.number(), invoice.tenantId(), invoice.billingPeriod(), invoice.kind(),
                invoice.state(), invoice.currency(), invoice.planId(), invoice.periodStart(), invoice.periodEnd(),
                invoice.usageNanos(), invoice.feeNanos(), invoice.creditNanos(), invoice.adjustmentNanos(),
                invoice.totalNanos(), invoice.totalMinor(), invoice.correctsId(), invoice.reason(),
                invoice.createdAt(), invoice.finalizedAt(), invoice.billTo(), invoice.issuer(), invoice.taxNanos(),
                invoice.tax());
        for (LineRow line : lines) {
            jdbc.update("""
                    INSERT INTO invoice_lines (invoice_id, line_no, kind, model_name, component, quantity,
                        amount_nanos, description)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", invoice.id(), line.lineNo(), line.kind(), line.modelName(),
                    line.component(), line.quantity(), line.amountNanos(), line.description());
        }
    }

    /** An invoice of the tenant (null tenant: any tenant, for platform admins). */
    public Optional<InvoiceRow> find(UUID tenantId, UUID id) {
        return jdbc.queryFirst("SELECT " + COLUMNS + " FROM invoices i JOIN tenants t ON t.id = i.tenant_id"
                + " WHERE i.id = ? AND (CAST(? AS uuid) IS NULL OR i.tenant_id = ?)", InvoiceRepository::invoice,
                id, tenantId, tenantId);
    }

    /** The invoice, locked until the transaction ends (state changes and credit notes). */
    public Optional<InvoiceRow> lock(UUID id) {
        return jdbc.queryFirst("SELECT " + COLUMNS + " FROM invoices i JOIN tenants t ON t.id = i.tenant_id"
                + " WHERE i.id = ? FOR UPDATE OF i", InvoiceRepository::invoice, id);
    }

    /**
     * Invoices and credit notes, newest period first; null filters match everything. {@code payment} keeps only
     * finalized invoices in that payment state, as {@code PaymentService} states them: {@code unpaid} (something left
     * to pay), {@code overdue} (unpaid and finalized before {@code overdueBefore}), {@code open} and
     * {@code partially_paid} (unpaid, finalized since, nothing or something paid), {@code paid}, {@code nothing_due},
     * {@code refund_due} (the platform owes the tenant).
     */
    public List<InvoiceRow> list(UUID tenantId, LocalDate period, String payment, Instant overdueBefore, int limit) {
        String payable = PaymentRepository.PAYABLE + " AND ";
        String balance = PaymentRepository.BALANCE_MINOR;
        String paid = PaymentRepository.NET_PAID_MINOR;
        String unpaid = payable + balance + " > 0";
        String notDueYet = unpaid + " AND i.finalized_at >= CAST(? AS timestamptz) AND " + paid;
        String state = payment == null ? "TRUE" : switch (payment) {
            case "unpaid" -> unpaid;
            case "overdue" -> unpaid + " AND i.finalized_at < CAST(? AS timestamptz)";
            case "open" -> notDueYet + " <= 0";
            case "partially_paid" -> notDueYet + " > 0";
            case "paid" -> payable + balance + " = 0 AND " + paid + " > 0";
            case "nothing_due" -> payable + balance + " = 0 AND " + paid + " <= 0";
            case "refund_due" -> payable + balance + " < 0";
            default -> throw new IllegalArgumentException("payment " + payment);
        };
        List<Object> all = new ArrayList<>(Arrays.asList(tenantId, tenantId, period, period));
        if (payment != null && List.of("overdue", "open", "partially_paid").contains(payment)) {
            all.add(overdueBefore); // their one parameter: the cutoff between open and overdue
        }
        all.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM invoices i JOIN tenants t ON t.id = i.tenant_id"
                + " WHERE (CAST(? AS uuid) IS NULL OR i.tenant_id = ?)"
                + " AND (CAST(? AS date) IS NULL OR i.billing_period = ?) AND " + state
                + " ORDER BY i.billing_period DESC, i.created_at DESC, i.number LIMIT ?", InvoiceRepository::invoice,
                all.toArray());
    }

    public List<LineRow> lines(UUID invoiceId) {
        return jdbc.query("""
                SELECT line_no, kind, model_name, component, quantity, amount_nanos, description
                FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no""",
                rs -> new LineRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7)), invoiceId);
    }

    public Optional<LineRow> line(UUID invoiceId, int lineNo) {
        return jdbc.queryFirst("""
                SELECT line_no, kind, model_name, component, quantity, amount_nanos, description
                FROM invoice_lines WHERE invoice_id = ? AND line_no = ?""",
                rs -> new LineRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7)), invoiceId, lineNo);
    }

    /** How many documents of this kind the tenant has for the period (voided ones too): the next number's suffix. */
    public long countNumbered(UUID tenantId, LocalDate period, String kind) {
        return jdbc.queryFirst("SELECT count(*) FROM invoices WHERE tenant_id = ? AND billing_period = ? AND kind = ?",
                rs -> rs.getLong(1), tenantId, period, kind).orElse(0L);
    }

    public long countCreditNotes(UUID invoiceId) {
        return jdbc.queryFirst("SELECT count(*) FROM invoices WHERE corrects_id = ?", rs -> rs.getLong(1), invoiceId)
                .orElse(0L);
    }

    /** The sum (negative) of the credit notes that correct the invoice. */
    public long creditedNanos(UUID invoiceId) {
        return jdbc.queryFirst("SELECT coalesce(sum(total_nanos), 0) FROM invoices WHERE corrects_id = ?",
                rs -> rs.getLong(1), invoiceId).orElse(0L);
    }

    /** Whether the tenant's period already has an invoice that is not void (the one the unique index allows). */
    public boolean hasLiveInvoice(UUID tenantId, LocalDate period) {
        return jdbc.queryFirst("""
                SELECT 1 FROM invoices WHERE tenant_id = ? AND billing_period = ? AND kind = 'INVOICE'
                    AND state <> 'VOID' LIMIT 1""", rs -> true, tenantId, period).isPresent();
    }

    public void finalize(UUID id, Instant at) {
        jdbc.update("UPDATE invoices SET state = 'FINALIZED', finalized_at = ? WHERE id = ? AND state = 'DRAFT'", at,
                id);
    }

    public void voidDraft(UUID id, Instant at) {
        jdbc.update("UPDATE invoices SET state = 'VOID', voided_at = ? WHERE id = ? AND state = 'DRAFT'", at, id);
    }

    /**
     * Serializes the closing of one tenant's period across replicas for the current transaction; false when another
     * transaction is closing it right now.
     */
    public boolean tryLockPeriod(UUID tenantId, LocalDate period) {
        return jdbc.queryFirst("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))", rs -> rs.getBoolean(1),
                "invoice-close:" + tenantId + ":" + period).orElse(false);
    }

    /** The period's usage per currency and model from the hourly roll-ups (never the rows themselves). */
    public List<ModelUsage> usageByModel(UUID tenantId, LocalDate period) {
        return jdbc.query("""
                SELECT currency, model_name, sum(billable), sum(items), sum(compute_us), sum(cost_request_nanos),
                    sum(cost_item_nanos), sum(cost_compute_nanos), sum(cost_nanos)
                FROM usage_rollups WHERE tenant_id = ? AND billing_period = ?
                GROUP BY currency, model_name ORDER BY model_name, currency""",
                rs -> new ModelUsage(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)), tenantId, period);
    }

    /** The billable totals of a model in the period, as the usage writer counted them. */
    public Optional<PeriodTotals> periodTotals(UUID tenantId, LocalDate period, String model) {
        return jdbc.queryFirst("""
                SELECT requests, items, compute_us FROM period_usage
                WHERE tenant_id = ? AND billing_period = ? AND scope = ?""",
                rs -> new PeriodTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3)), tenantId, period, model);
    }

    /** How many tenants have a live invoice (draft or finalized) of the period: those the candidates leave out. */
    public int tenantsInvoiced(LocalDate period) {
        return jdbc.queryFirst("""
                SELECT count(DISTINCT tenant_id) FROM invoices
                WHERE billing_period = ? AND kind = 'INVOICE' AND state <> 'VOID'""", rs -> rs.getInt(1), period)
                .orElse(0);
    }

    /**
     * Tenants that may have the period to invoice: usage in it, or a plan taken before {@code plansBefore} (a
     * bound past the period's end in every time zone) and not closed before {@code closedAfter} (a bound before the
     * period's start in every time zone), and no live invoice for it yet.
     */
    public List<Candidate> candidates(LocalDate period, Instant plansBefore, Instant closedAfter) {
        return jdbc.query("""
                SELECT t.id, t.slug, t.time_zone FROM tenants t
                WHERE (EXISTS (SELECT 1 FROM usage_rollups r WHERE r.tenant_id = t.id AND r.billing_period = ?)
                       OR (EXISTS (SELECT 1 FROM tenant_plans p WHERE p.tenant_id = t.id AND p.effective_from < ?)
                           AND (t.closed_at IS NULL OR t.closed_at > ?)))
                  AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = t.id AND i.billing_period = ?
                                  AND i.kind = 'INVOICE' AND i.state <> 'VOID')
                ORDER BY t.slug""", rs -> new Candidate(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)),
                period, plansBefore, closedAfter, period);
    }

    /**
     * Billable rows of a model in a period, by request id after {@code after} (null: from the first). Model ''
     * stands for rows without a model name. The started_at range only lets PostgreSQL skip other months' partitions.
     */
    public List<UsageRow> usageRows(UUID tenantId, LocalDate period, String model, Instant from, Instant to,
            UUID after, int limit) {
        String modelCondition = model.isEmpty() ? "model_name IS NULL" : "model_name = ?";
        List<Object> params = new java.util.ArrayList<>(List.of(tenantId, period));
        if (!model.isEmpty()) {
            params.add(model);
        }
        params.add(from);
        params.add(to);
        params.add(after == null ? new UUID(0, 0) : after);
        params.add(limit);
        return jdbc.query("""
                SELECT request_id, started_at, api_key_id, model_name, model_version, status_code, item_count,
                    compute_us, currency, price_request, price_item, price_compute, cost_request_nanos,
                    cost_item_nanos, cost_compute_nanos, cost_nanos
                FROM usage_records
                WHERE tenant_id = ? AND billing_period = ? AND billable
                """ + " AND " + modelCondition + """
                 AND started_at >= ? AND started_at < ? AND request_id > ?
                ORDER BY request_id LIMIT ?""", InvoiceRepository::usageRow, params.toArray());
    }

    private static UsageRow usageRow(ResultSet rs) throws SQLException {
        return new UsageRow(rs.getObject(1, UUID.class), Jdbc.instant(rs, 2), rs.getObject(3, UUID.class),
                rs.getString(4), (Integer) rs.getObject(5), rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getString(9),
                (Long) rs.getObject(10), (Long) rs.getObject(11), (Long) rs.getObject(12), rs.getLong(13),
                rs.getLong(14), rs.getLong(15), rs.getLong(16));
    }

    private static InvoiceRow invoice(ResultSet rs) throws SQLException {
        return new InvoiceRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, UUID.class), Jdbc.instant(rs, 10), Jdbc.instant(rs, 11), rs.getLong(12),
                rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17),
                rs.getObject(18, UUID.class), rs.getString(19), Jdbc.instant(rs, 20), Jdbc.instant(rs, 21),
                Jdbc.instant(rs, 22), rs.getString(23), rs.getString(24), rs.getLong(25), rs.getString(26));
    }

    /** Queues a webhook event for the tenant in the current transaction, when it has a webhook configured. */
    public void queueWebhook(UUID tenantId, String tenantSlug, String type, Instant at, ObjectNode data) {
        jdbc.withConnection(c -> WebhookOutbox.enqueueIfConfigured(c, tenantId, tenantSlug, type, at, data));
    }
}
