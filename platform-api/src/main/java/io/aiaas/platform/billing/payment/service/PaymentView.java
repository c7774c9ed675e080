package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Whether a finalized invoice is paid: {@code status} {@code open} (not due yet), {@code overdue}, {@code paid} or
 * {@code nothing_due} (its credit notes took its total to zero). {@code amount_due_minor} is what is left to pay in
 * minor units of its currency (its total plus its credit notes; 0 once paid); {@code due_at} is when it falls due.
 * The paid fields are present only once paid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentView(String status, long amountDueMinor, String amountDue, Instant dueAt, Instant paidAt,
        Long paidMinor, String paid, String reference) {
}
