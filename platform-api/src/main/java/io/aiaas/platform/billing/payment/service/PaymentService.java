package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.credit.service.CreditService;
import io.aiaas.platform.billing.credit.service.GrantCreditRequest;
import io.aiaas.platform.billing.BillingConfig;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.InvoiceRow;
import io.aiaas.platform.billing.invoice.service.InvoiceIds;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository.EntryRow;
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
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Payments: platform admins record what a tenant paid on a finalized invoice (all that is left, or part of it), what
 * the platform refunded when a credit note issued after payment left the tenant overpaid, and remove an entry
 * recorded by mistake; the money itself moves outside the platform. Every finalized invoice shows where it stands
 * ({@link PaymentView}). What is owed is the invoice's total plus its credit notes, minus payments, plus refunds; it
 * falls due {@code aiaas.billing.payment-terms-days} after the invoice was finalized. Every change takes the
 * invoice's row lock, as credit notes do, so a payment never settles more than is left at that moment. No HTTP in
 * here.
 */
@ApplicationScoped
public class PaymentService {

    /** The payment states invoice lists filter by ({@code ?payment=}); {@code unpaid} is anything left to pay. */
    public static final List<String> FILTERS = List.of("unpaid", "open", "partially_paid", "overdue", "paid",
            "nothing_due", "refund_due");

    /** The most invoices one sweep tells of; the next sweep takes the rest. */
    static final int MAX_NOTICES = 500;

    private final PaymentRepository payments;
    private final InvoiceRepository invoices;
    private final AuditLog audit;
    private final BillingConfig config;
    private final Dunning dunning;
    private final CreditService credits;
    private final Clock clock = Clock.systemUTC();

    PaymentService(PaymentRepository payments, InvoiceRepository invoices, AuditLog audit, BillingConfig config,
            Dunning dunning, CreditService credits) {
        this.credits = credits;
        this.payments = payments;
        this.invoices = invoices;
        this.audit = audit;
        this.config = config;
        this.dunning = dunning;
    }

    /** The payment state of each finalized invoice among the rows (drafts, void invoices and credit notes: none). */
    public Map<UUID, PaymentView> of(List<InvoiceRow> rows) {
        List<UUID> ids = rows.stream().filter(PaymentService::payable).map(InvoiceRow::id).toList();
        Map<UUID, List<EntryRow>> entries = payments.findAll(ids);
        Map<UUID, Long> credited = payments.creditedMinor(ids);
        Instant now = clock.instant();
        Map<UUID, PaymentView> out = new HashMap<>();
        for (InvoiceRow row : rows) {
            if (payable(row)) {
                Ledger ledger = Ledger.of(row.totalMinor() + credited.getOrDefault(row.id(), 0L),
                        entries.getOrDefault(row.id(), List.of()));
                out.put(row.id(), view(row, ledger, now));
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

    /** Invoices finalized before this instant with something left to pay are overdue now. */
    public Instant overdueBefore() {
        return clock.instant().minus(Duration.ofDays(config.paymentTermsDays()));
    }

    /**
     * What tenants owe, and are owed, per currency, over the finalized invoices of one period ({@code YYYY-MM}) or of
     * all.
     *
     * @throws ApiException 400 {@code invalid_parameter} for a period that is not a month
     */
    @Transactional
    public ReceivablesView receivables(String period) {
        LocalDate first = period == null || period.isBlank() ? null : InvoiceIds.period(period);
        List<ReceivablesView.Currency> currencies = payments.receivables(first, overdueBefore()).stream()
                .map(r -> new ReceivablesView.Currency(r.currency(), r.invoices(), r.invoicedMinor(),
                        Money.minorDecimal(r.invoicedMinor(), r.currency()), r.creditedMinor(),
                        Money.minorDecimal(r.creditedMinor(), r.currency()), r.paidMinor(),
                        Money.minorDecimal(r.paidMinor(), r.currency()), r.refundedMinor(),
                        Money.minorDecimal(r.refundedMinor(), r.currency()), r.outstandingInvoices(),
                        r.outstandingMinor(), Money.minorDecimal(r.outstandingMinor(), r.currency()),
                        r.overdueInvoices(), r.overdueMinor(), Money.minorDecimal(r.overdueMinor(), r.currency()),
                        r.refundDueInvoices(), r.refundDueMinor(),
                        Money.minorDecimal(r.refundDueMinor(), r.currency())))
                .toList();
        return new ReceivablesView(first == null ? null : BillingPeriods.name(first), currencies);
    }

    /**
     * Records a payment of the invoice: the amount asked, or all that is left to pay. The tenant's webhook gets
     * {@code invoice.paid} when nothing is left, {@code invoice.payment_received} otherwise; a tenant suspended for
     * not paying is resumed once nothing that suspended it is left to pay.
     *
     * @throws ApiException 404 {@code invoice_not_found}; 409 {@code invoice_not_finalized}, {@code invoice_paid},
     *         {@code nothing_due}, {@code payment_exceeds_balance}; 400 {@code invalid_paid_at}
     */
    @Transactional
    public void record(String id, RecordPaymentRequest request, Caller caller) {
        InvoiceRow row = lockPayable(id);
        Ledger ledger = ledger(row);
        long left = ledger.balance();
        if (left <= 0) {
            if (ledger.netPaid() <= 0) {
                throw ApiException.conflict("nothing_due", "Nothing is due on invoice " + row.number()
                        + ": its credit notes or credit took its total to zero");
            }
            throw ApiException.conflict("invoice_paid", "Invoice " + row.number() + " is paid: nothing is left to"
                    + " pay" + (left < 0 ? " and " + money(-left, row) + " is owed back (record a refund)" : ""));
        }
        long received = request.amountMinor() == null ? left : request.amountMinor();
        if (received > left && !request.creditExcess()) {
            throw ApiException.conflict("payment_exceeds_balance", "Only " + money(left, row) + " is left to pay on"
                    + " invoice " + row.number() + "; a payment of " + money(received, row) + " would exceed it (send"
                    + " \"excess_as_credit\": true to keep the rest as the tenant's credit)");
        }
        long amount = Math.min(received, left);
        Instant now = now();
        Instant paidAt = movedAt(request.paidAt(), now, row, "paid_at");
        String reference = request.reference().trim();
        if (received > amount) {
            creditExcess(row, received - amount, reference, caller);
        }
        payments.insert(new EntryRow(UUID.randomUUID(), row.id(), PaymentRepository.PAYMENT, amount, row.currency(),
                paidAt, reference, caller.actor(), now));
        long remaining = left - amount;
        audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.payment_recorded", "invoice",
                row.id().toString(), Constraints.json("number", row.number(), "amount_minor", amount, "reference",
                        reference, "amount_due_minor", remaining, "excess_credited_minor", received - amount));
        ObjectNode data = invoiceData(row);
        putMoney(data, "amount", amount, row);
        putMoney(data, "paid", ledger.netPaid() + amount, row);
        putMoney(data, "amount_due", remaining, row);
        data.put("paid_at", paidAt.toString());
        data.put("reference", reference);
        if (received > amount) {
            putMoney(data, "excess_credited", received - amount, row);
        }
        invoices.queueWebhook(row.tenantId(), row.tenantSlug(),
                remaining == 0 ? WebhookOutbox.INVOICE_PAID : WebhookOutbox.INVOICE_PAYMENT_RECEIVED, now, data);
        if (remaining == 0) {
            dunning.resumeIfSettled(row);
        }
    }

    /**
     * What was received beyond what the invoice asked becomes the tenant's credit (a grant in the invoice's currency,
     * without expiry), which its next invoices draw on, in the payment's transaction.
     */
    private void creditExcess(InvoiceRow row, long excessMinor, String reference, Caller caller) {
        long micros = Math.multiplyExact(excessMinor, (long) Math.pow(10, 6 - Money.fractionDigits(row.currency())));
        credits.grant(new GrantCreditRequest(row.tenantSlug(), micros, row.currency(), "Paid beyond invoice "
                + row.number() + " (" + reference + ")", null), caller);
    }

    /**
     * Records a refund of what the tenant paid beyond what the invoice now asks: the amount asked, or all of it. The
     * tenant's webhook gets {@code invoice.refunded}.
     *
     * @throws ApiException 404 {@code invoice_not_found}; 409 {@code invoice_not_finalized},
     *         {@code nothing_to_refund}, {@code refund_exceeds_balance}; 400 {@code invalid_refunded_at}
     */
    @Transactional
    public void refund(String id, RecordRefundRequest request, Caller caller) {
        InvoiceRow row = lockPayable(id);
        long owed = -ledger(row).balance();
        if (owed <= 0) {
            throw ApiException.conflict("nothing_to_refund", "Nothing is owed back on invoice " + row.number()
                    + ": what was paid on it does not exceed what it asks");
        }
        long amount = request.amountMinor() == null ? owed : request.amountMinor();
        if (amount > owed) {
            throw ApiException.conflict("refund_exceeds_balance", "Only " + money(owed, row) + " is owed back on"
                    + " invoice " + row.number() + "; a refund of " + money(amount, row) + " would exceed it");
        }
        Instant now = now();
        Instant refundedAt = movedAt(request.refundedAt(), now, row, "refunded_at");
        String reference = request.reference().trim();
        payments.insert(new EntryRow(UUID.randomUUID(), row.id(), PaymentRepository.REFUND, amount, row.currency(),
                refundedAt, reference, caller.actor(), now));
        audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.refund_recorded", "invoice",
                row.id().toString(), Constraints.json("number", row.number(), "amount_minor", amount, "reference",
                        reference, "refund_due_minor", owed - amount));
        ObjectNode data = invoiceData(row);
        putMoney(data, "amount", amount, row);
        putMoney(data, "refund_due", owed - amount, row);
        data.put("refunded_at", refundedAt.toString());
        data.put("reference", reference);
        invoices.queueWebhook(row.tenantId(), row.tenantSlug(), WebhookOutbox.INVOICE_REFUNDED, now, data);
    }

    /**
     * Removes one entry of the invoice's ledger (a payment recorded by mistake, a transfer that bounced, a refund that
     * did not go out): the invoice stands as it would have without it.
     *
     * @throws ApiException 404 {@code invoice_not_found} or {@code payment_not_found}
     */
    @Transactional
    public void remove(String id, String entryId, Caller caller) {
        InvoiceRow row = lock(id);
        EntryRow entry = InvoiceIds.parse(entryId).flatMap(e -> payments.find(row.id(), e))
                .orElseThrow(() -> noEntry(row, "no payment or refund with that id"));
        remove(row, entry, caller);
    }

    /**
     * Removes the invoice's latest payment ({@code DELETE .../payment}, from when an invoice had one payment at most).
     *
     * @throws ApiException 404 {@code invoice_not_found} or {@code payment_not_found}
     */
    @Transactional
    public void removeLatestPayment(String id, Caller caller) {
        InvoiceRow row = lock(id);
        EntryRow latest = ledger(row).lastPayment();
        if (latest == null) {
            throw noEntry(row, "no payment recorded");
        }
        remove(row, latest, caller);
    }

    /**
     * Tells each tenant, once per invoice, that an invoice of it is overdue: its webhook gets {@code invoice.overdue}
     * and the audit log {@code billing.invoice.overdue}, in the transaction that marks the invoice, so no replica
     * tells it twice. Answers how many invoices it told of (at most 500 a run; the next run takes the rest).
     */
    @Transactional
    public int announceOverdue() {
        Instant now = now();
        List<UUID> ids = payments.markOverdue(now.minus(Duration.ofDays(config.paymentTermsDays())), now, MAX_NOTICES);
        for (UUID id : ids) {
            InvoiceRow row = invoices.find(null, id).orElseThrow();
            PaymentView payment = of(List.of(row)).get(id);
            ObjectNode data = invoiceData(row);
            putMoney(data, "amount_due", payment.amountDueMinor(), row);
            data.put("due_at", payment.dueAt().toString());
            if (payment.suspendsAt() != null) {
                data.put("suspends_at", payment.suspendsAt().toString());
            }
            invoices.queueWebhook(row.tenantId(), row.tenantSlug(), WebhookOutbox.INVOICE_OVERDUE, now, data);
            audit.record("system", ActorKind.SYSTEM, row.tenantId(), "billing.invoice.overdue", "invoice",
                    row.id().toString(), Constraints.json("number", row.number(), "amount_due_minor",
                            payment.amountDueMinor()));
        }
        return ids.size();
    }

    private void remove(InvoiceRow row, EntryRow entry, Caller caller) {
        payments.delete(entry.id());
        audit.record(caller.actor(), ActorKind.USER, row.tenantId(), "billing.invoice.payment_removed", "invoice",
                row.id().toString(), Constraints.json("number", row.number(), "kind", entry.kind(), "amount_minor",
                        entry.amountMinor(), "reference", entry.reference()));
    }

    private PaymentView view(InvoiceRow row, Ledger ledger, Instant now) {
        Instant dueAt = row.finalizedAt().plus(Duration.ofDays(config.paymentTermsDays()));
        long balance = ledger.balance();
        String status;
        if (balance > 0) {
            status = now.isAfter(dueAt) ? "overdue" : ledger.netPaid() > 0 ? "partially_paid" : "open";
        } else if (balance == 0) {
            status = ledger.netPaid() > 0 ? "paid" : "nothing_due";
        } else {
            status = "refund_due";
        }
        String currency = row.currency();
        long left = Math.max(balance, 0);
        EntryRow last = ledger.lastPayment();
        return new PaymentView(status, left, Money.minorDecimal(left, currency), dueAt,
                last == null ? null : last.at(), orNull(ledger.paid()), decimalOrNull(ledger.paid(), currency),
                last == null ? null : last.reference(), orNull(ledger.refunded()),
                decimalOrNull(ledger.refunded(), currency), orNull(-balance), decimalOrNull(-balance, currency),
                ledger.entries().isEmpty() ? null : ledger.entries().stream()
                        .map(e -> new PaymentView.Entry(e.id(), e.kind(), e.amountMinor(),
                                Money.minorDecimal(e.amountMinor(), currency), e.at(), e.reference(),
                                e.recordedAt()))
                        .toList(),
                left > 0 ? suspendsAt(dueAt) : null);
    }

    /** When an invoice due then and still unpaid suspends its tenant; null when the platform never suspends. */
    private Instant suspendsAt(Instant dueAt) {
        OptionalInt grace = config.suspendAfterOverdueDays();
        return grace.isPresent() ? dueAt.plus(Duration.ofDays(grace.getAsInt())) : null;
    }

    /**
     * An invoice's ledger: what it asks ({@code due}, its total plus its credit notes) and the entries recorded
     * against it, with their sums; the one place their arithmetic is done in Java.
     */
    private record Ledger(long due, long paid, long refunded, EntryRow lastPayment, List<EntryRow> entries) {

        static Ledger of(long due, List<EntryRow> entries) {
            long paid = 0;
            long refunded = 0;
            EntryRow lastPayment = null;
            for (EntryRow entry : entries) {
                if (PaymentRepository.REFUND.equals(entry.kind())) {
                    refunded += entry.amountMinor();
                } else {
                    paid += entry.amountMinor();
                    lastPayment = entry;
                }
            }
            return new Ledger(due, paid, refunded, lastPayment, entries);
        }

        long netPaid() {
            return paid - refunded;
        }

        /** Positive: left to pay; negative: owed back to the tenant. */
        long balance() {
            return due - netPaid();
        }
    }

    private Ledger ledger(InvoiceRow row) {
        long credited = payments.creditedMinor(List.of(row.id())).getOrDefault(row.id(), 0L);
        return Ledger.of(row.totalMinor() + credited, payments.findAll(List.of(row.id()))
                .getOrDefault(row.id(), List.of()));
    }

    /** When money moved, as the operator states it: absent is now; never in the future, never before the invoice. */
    private static Instant movedAt(Instant stated, Instant now, InvoiceRow row, String field) {
        Instant at = stated == null ? now : stated.truncatedTo(ChronoUnit.MICROS);
        if (at.isAfter(now)) {
            throw ApiException.badRequest("invalid_" + field, field + " may not be in the future");
        }
        // a day's date entered for money that moved the day the invoice was finalized is that day's start
        Instant day = row.finalizedAt().truncatedTo(ChronoUnit.DAYS);
        if (at.isBefore(day)) {
            throw ApiException.badRequest("invalid_" + field, field + " may not be before the day the invoice was"
                    + " finalized (" + day + ")");
        }
        return at;
    }

    private static ObjectNode invoiceData(InvoiceRow row) {
        ObjectNode data = WebhookOutbox.data();
        data.put("invoice_id", row.id().toString());
        data.put("number", row.number());
        data.put("currency", row.currency());
        data.put("url", "/api/v1/tenants/" + row.tenantSlug() + "/invoices/" + row.id());
        return data;
    }

    /** {@code name} as a decimal of the invoice's currency and {@code name_minor} in its minor units. */
    private static void putMoney(ObjectNode data, String name, long minor, InvoiceRow row) {
        data.put(name, Money.minorDecimal(minor, row.currency()));
        data.put(name + "_minor", minor);
    }

    private static String money(long minor, InvoiceRow row) {
        return Money.minorDecimal(minor, row.currency()) + " " + row.currency();
    }

    private static Long orNull(long minor) {
        return minor > 0 ? minor : null;
    }

    private static String decimalOrNull(long minor, String currency) {
        return minor > 0 ? Money.minorDecimal(minor, currency) : null;
    }

    private static ApiException noEntry(InvoiceRow row, String what) {
        return ApiException.notFound("payment_not_found", "Invoice " + row.number() + " has " + what);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private InvoiceRow lock(String id) {
        return InvoiceIds.parse(id).flatMap(invoices::lock).orElseThrow(() -> InvoiceIds.notFound(id));
    }

    private InvoiceRow lockPayable(String id) {
        InvoiceRow row = lock(id);
        if (!payable(row)) {
            throw ApiException.conflict("invoice_not_finalized", "Only a finalized invoice is paid or refunded; "
                    + row.number() + " is a " + row.state().toLowerCase() + " "
                    + row.kind().toLowerCase().replace('_', ' '));
        }
        return row;
    }

    private static boolean payable(InvoiceRow row) {
        return "INVOICE".equals(row.kind()) && "FINALIZED".equals(row.state()) && row.finalizedAt() != null;
    }
}
