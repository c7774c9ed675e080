package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a finalized invoice stands: {@code status} {@code open} (nothing paid, not due yet), {@code partially_paid}
 * (something paid, not due yet), {@code overdue} (something left to pay after {@code due_at}), {@code paid},
 * {@code nothing_due} (its credit notes took its total to zero) or {@code refund_due} (the tenant paid more than is
 * now due: a credit note issued after payment). {@code amount_due_minor} is what is left to pay in minor units of its
 * currency (its total plus its credit notes, minus payments, plus refunds; never below 0) and
 * {@code refund_due_minor} what the platform owes back. {@code paid_minor} and {@code refunded_minor} are the totals
 * of its payments and refunds, {@code paid_at} and {@code reference} those of its latest payment; {@code entries}
 * the ledger in the order it was recorded; {@code suspends_at}, while something is left to pay and the platform
 * suspends tenants that do not pay, when an invoice still unpaid suspends its tenant. Fields without a value are
 * left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentView(String status, long amountDueMinor, String amountDue, Instant dueAt, Instant paidAt,
        Long paidMinor, String paid, String reference, Long refundedMinor, String refunded, Long refundDueMinor,
        String refundDue, List<Entry> entries, Instant suspendsAt) {

    /** One payment received or refund sent; {@code at} is when the money moved, as the operator stated it. */
    public record Entry(UUID id, String kind, long amountMinor, String amount, Instant at, String reference,
            Instant recordedAt) {
    }
}
