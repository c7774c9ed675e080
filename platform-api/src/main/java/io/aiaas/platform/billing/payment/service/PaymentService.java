package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.BillingConfig;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.InvoiceRow;
import io.aiaas.platform.billing.invoice.service.InvoiceIds;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository.PaymentRow;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Payments: platform admins record that a finalized invoice was paid in full (the money moves outside the platform)
 * or remove a payment recorded by mistake; every finalized invoice shows whether it is open, overdue, paid or has
 * nothing due. What is owed is the invoice's total plus its credit notes; it falls due
 * {@code aiaas.billing.payment-terms-days} after it was finalized. Recording takes the invoice's row lock, as credit
 * notes do, so the amount settled is the amount due at that moment. No HTTP in here.
 */
@ApplicationScoped
public class PaymentService {

    /** The payment states invoice lists filter by ({@code ?payment=}); {@code unpaid} is open or overdue. */
    public static final List<String> FILTERS = List.of("unpaid", "open", "overdue", "paid", "nothing_due");

    /** The most invoices one sweep tells of; the next sweep takes the rest. */
    static final int MAX_NOTICES = 500;

    private final PaymentRepository payments;
    private final InvoiceRepository invoices;
    private final AuditLog audit;
    private final BillingConfig config;
    private final Clock clock = Clock.systemUTC();

    PaymentService(PaymentRepository payments, InvoiceRepository invoices, AuditLog audit, BillingConfig config) {
        this.payments = payments;
        this.invoices = invoices;
        this.audit = audit;
        this.config = config;
    }

    /** The payment state of each finalized invoice among the rows (drafts, void invoices and credit notes: none). */
    public Map<UUID, PaymentView> of(List<InvoiceRow> rows) {
        List<UUID> ids = rows.stream().filter(PaymentService::payable).map(InvoiceRow::id).toList();
        Map<UUID, PaymentRow> paid = payments.findAll(ids);
        Map<UUID, Long> credited = payments.creditedMinor(ids);
        Instant now = clock.instant();
        Map<UUID, PaymentView> out = new HashMap<>();
        for (InvoiceRow row : rows) {
            if (payable(row)) {
                out.put(row.id(), view(row, credited.getOrDefault(row.id(), 0L), paid.get(row.id()), now));
            }
        }
        return out;
    }

    /**
     * A list's {@code payment} parameter, checked: null when absent or blank.
     *
     * @throws ApiException 400 {@code invalid_parameter} naming the states there are
     */
    public static String filter(String payment) {
        if (payment == null || payment.isBlank()) {
            return null;
        }
        String name = payment.trim();
        if (!FILTERS.contains(name)) {
            throw ApiException.badRequest("invalid_parameter", "payment must be one of " + String.join(", ", FILTERS));
        }
        return name;
    }

    /** Invoices finalized before this instant and unpaid are overdue now. */
    public Instant overdueBefore() {
        return clock.instant().minus(Duration.ofDays(config.paymentTermsDays()));
    }

    /**
     * What tenants owe, per currency, over the finalized invoices of one period ({@code YYYY-MM}) or of all.
     *
     * @throws ApiException 400 {@code invalid_parameter} for a period that is not a month
     */
    @Transactional
    public ReceivablesView receivables(String period) {
        LocalDate first = period == null || period.isBlank() ? null : InvoiceService.parsePeriod(period);
        List<ReceivablesView.Currency> currencies = payments.receivables(first, overdueBefore()).stream()
                .map(r -> new ReceivablesView.Currency(r.currency(), r.invoices(), r.invoicedMinor(),
                        Money.minorDecimal(r.invoicedMinor(), r.currency()), r.creditedMinor(),
                        Money.minorDecimal(r.creditedMinor(), r.currency()), r.paidMinor(),
                        Money.minorDecimal(r.paidMinor(), r.currency()), r.outstandingInvoices(),
                        r.outstandingMinor(), Money.minorDecimal(r.outstandingMinor(), r.currency()),
                        r.overdueInvoices(), r.overdueMinor(), Money.minorDecimal(r.overdueMinor(), r.currency())))
                .toList();
        return new ReceivablesView(first == null ? null : BillingPeriods.name(first), currencies);
    }

    /**
     * Records that the invoice was paid in full.
     *
     * @throws ApiException 404 {@code invoice_not_found}; 409 {@code invoice_not_finalized}, {@code invoice_paid},
     *         {@code nothing_due}; 400 {@code invalid_paid_at}
     */
    @Transactional
    public void record(String id, RecordPaymentRequest request, Caller caller) {
        InvoiceRow row = lock(id);
        if (!payable(row)) {
            throw ApiException.conflict("invoice_not_finalized", "Only a finalized invoice can be paid; "
                    + row.number() + " is a " + row.state().toLowerCase() + " "
                    + row.kind().toLowerCase().replace('_', ' '));
        }
        if (payments.find(row.id()).isPresent()) {
            throw ApiException.conflict("invoice_paid", "Invoice " + row.number() + " is paid already; remove that"
                    + " payment first to record another");
        }
        long due = row.totalMinor() + payments.creditedMinor(List.of(row.id())).getOrDefault(row.id(), 0L);
        if (due <= 0) {
            throw ApiException.conflict("nothing_due", "Nothing is due on invoice " + row.number()
                    + ": its credit notes or credit took its total to zero");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant paidAt = request.paidAt() == null ? now : request.paidAt().truncatedTo(ChronoUnit.MICROS);
        if (paidAt.isAfter(now)) {
            throw ApiException.badRequest("invalid_paid_at", "paid_at may not be in the future");
        }
        // a day's date entered for a payment received the day the invoice was finalized is that day's start
        if (paidAt.isBefore(row.finalizedAt().truncatedTo(ChronoUnit.DAYS))) {
            throw ApiException.badRequest("invalid_paid_at", "paid_at may not be before the day the invoice was"
                    + " finalized (" + row.finalizedAt().truncatedTo(ChronoUnit.DAYS) + ")");
        }
        String reference = request.reference().trim();
        payments.insert(new PaymentRow(row.id(), due, row.currency(), paidAt, reference, caller.actor(), now));
        audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.paid", "invoice",
                row.id().toString(), Constraints.json("number", row.number(), "amount_minor", due, "reference",
                        reference));
        ObjectNode data = WebhookOutbox.data();
        data.put("invoice_id", row.id().toString());
        data.put("number", row.number());
        data.put("currency", row.currency());
        data.put("paid", Money.minorDecimal(due, row.currency()));
        data.put("paid_minor", due);
        data.put("paid_at", paidAt.toString());
        data.put("reference", reference);
        data.put("url", "/api/v1/tenants/" + row.tenantSlug() + "/invoices/" + row.id());
        invoices.queueWebhook(row.tenantId(), row.tenantSlug(), WebhookOutbox.INVOICE_PAID, now, data);
    }

    /**
     * Removes the invoice's payment (recorded by mistake, a transfer that bounced): it is open or overdue again.
     *
     * @throws ApiException 404 {@code invoice_not_found} or {@code payment_not_found}
     */
    @Transactional
    public void remove(String id, Caller caller) {
        InvoiceRow row = lock(id);
        PaymentRow payment = payments.find(row.id()).orElseThrow(() -> ApiException.notFound("payment_not_found",
                "Invoice " + row.number() + " has no payment recorded"));
        payments.delete(row.id());
        audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.payment_removed", "invoice",
                row.id().toString(), Constraints.json("number", row.number(), "amount_minor", payment.amountMinor(),
                        "reference", payment.reference()));
    }

    /**
     * Tells each tenant, once per invoice, that an invoice of it is overdue: its webhook gets {@code invoice.overdue}
     * and the audit log {@code billing.invoice.overdue}, in the transaction that marks the invoice, so no replica
     * tells it twice. Answers how many invoices it told of (at most 500 a run; the next run takes the rest).
     */
    @Transactional
    public int announceOverdue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<UUID> ids = payments.markOverdue(now.minus(Duration.ofDays(config.paymentTermsDays())), now, MAX_NOTICES);
        for (UUID id : ids) {
            InvoiceRow row = invoices.find(null, id).orElseThrow();
            PaymentView payment = of(List.of(row)).get(id);
            ObjectNode data = WebhookOutbox.data();
            data.put("invoice_id", row.id().toString());
            data.put("number", row.number());
            data.put("currency", row.currency());
            data.put("amount_due", payment.amountDue());
            data.put("amount_due_minor", payment.amountDueMinor());
            data.put("due_at", payment.dueAt().toString());
            data.put("url", "/api/v1/tenants/" + row.tenantSlug() + "/invoices/" + row.id());
            invoices.queueWebhook(row.tenantId(), row.tenantSlug(), WebhookOutbox.INVOICE_OVERDUE, now, data);
            audit.record("system", ActorKind.SYSTEM, row.tenantId(), "billing.invoice.overdue", "invoice",
                    row.id().toString(), Constraints.json("number", row.number(), "amount_due_minor",
                            payment.amountDueMinor()));
        }
        return ids.size();
    }

    private PaymentView view(InvoiceRow row, long creditedMinor, PaymentRow payment, Instant now) {
        Instant dueAt = row.finalizedAt().plus(Duration.ofDays(config.paymentTermsDays()));
        long due = row.totalMinor() + creditedMinor;
        if (payment != null) {
            return new PaymentView("paid", 0, Money.minorDecimal(0, row.currency()), dueAt, payment.paidAt(),
                    payment.amountMinor(), Money.minorDecimal(payment.amountMinor(), row.currency()),
                    payment.reference());
        }
        if (due <= 0) {
            return new PaymentView("nothing_due", 0, Money.minorDecimal(0, row.currency()), dueAt, null, null, null,
                    null);
        }
        return new PaymentView(now.isAfter(dueAt) ? "overdue" : "open", due, Money.minorDecimal(due,
                row.currency()), dueAt, null, null, null, null);
    }

    private InvoiceRow lock(String id) {
        return InvoiceIds.parse(id).flatMap(invoices::lock).orElseThrow(() -> InvoiceIds.notFound(id));
    }

    private static boolean payable(InvoiceRow row) {
        return "INVOICE".equals(row.kind()) && "FINALIZED".equals(row.state()) && row.finalizedAt() != null;
    }
}
