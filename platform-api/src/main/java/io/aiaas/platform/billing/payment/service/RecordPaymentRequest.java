package io.aiaas.platform.billing.payment.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payment}: the payment's reference (a transfer's, a processor's charge
 * id) and when it was received (absent: now; never in the future, never before the invoice was finalized).
 */
public record RecordPaymentRequest(@NotBlank @Size(max = 200) String reference, @StorableTimestamp Instant paidAt) {
}
