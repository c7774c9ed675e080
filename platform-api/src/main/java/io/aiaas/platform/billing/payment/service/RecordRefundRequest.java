package io.aiaas.platform.billing.payment.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/refunds}: the refund's reference, when it was sent (absent: now; never
 * in the future, never before the day the invoice was finalized) and how much, in minor units of the invoice's
 * currency (absent: all the platform owes back on it; never more).
 */
public record RecordRefundRequest(@NotBlank @Size(max = 200) String reference, @StorableTimestamp Instant refundedAt,
        @Positive Long amountMinor) {
}
