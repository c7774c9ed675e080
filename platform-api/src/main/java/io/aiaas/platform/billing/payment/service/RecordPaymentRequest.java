package io.aiaas.platform.billing.payment.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payments}: the payment's reference (a transfer's, a processor's charge
 * id), when it was received (absent: now; never in the future, never before the day the invoice was finalized) and
 * how much, in minor units of the invoice's currency (absent: all that is left to pay; never more).
 */
public record RecordPaymentRequest(@NotBlank @Size(max = 200) String reference, @StorableTimestamp Instant paidAt,
        @Positive Long amountMinor) {
}
