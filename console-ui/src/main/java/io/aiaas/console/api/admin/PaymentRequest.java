package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payments}: a payment of a finalized invoice was received, with the
 * operator's reference (1 to 200 characters, e.g. "wire 2026-1187"), when ({@code paid_at}; not sent: platform-api
 * takes now) and how much in minor units of the invoice's currency ({@code amount_minor}; not sent: all that is left to
 * pay), and {@code excess_as_credit}: true when an amount above what is left should pay the invoice in full and make
 * the rest the tenant's credit (a credit grant in the invoice's currency); null, never false, otherwise, so that the
 * field is not sent and such an amount is refused with 409 {@code payment_exceeds_balance}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequest(String reference, Instant paidAt, Long amountMinor, Boolean excessAsCredit) {
}
