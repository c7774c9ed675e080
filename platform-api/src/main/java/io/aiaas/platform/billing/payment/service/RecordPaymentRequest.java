package io.aiaas.platform.billing.payment.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.NotBlank;
import io.aiaas.platform.billing.credit.service.GrantCreditRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payments}: the payment's reference (a transfer's, a processor's charge
 * id), when it was received (absent: now; never in the future, never before the day the invoice was finalized) and
 * how much, in minor units of the invoice's currency (absent: all that is left to pay); more than is left only with
 * {@code excess_as_credit}: the invoice is paid and the rest becomes the tenant's credit for its next invoices.
 */
public record RecordPaymentRequest(@NotBlank @Size(max = 200) String reference, @StorableTimestamp Instant paidAt,
        @Positive @Max(value = GrantCreditRequest.MAX_AMOUNT_MICROS / 1_000_000) Long amountMinor,
        Boolean excessAsCredit) {

    /** Whether money beyond what is left to pay becomes credit (rather than a 409). */
    public boolean creditExcess() {
        return Boolean.TRUE.equals(excessAsCredit);
    }
}
