package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payments}: a payment of a finalized invoice was received, with the
 * operator's reference (1 to 200 characters, e.g. "wire 2026-1187"), when ({@code paid_at}; not sent: platform-api
 * takes now) and how much in minor units of the invoice's currency ({@code amount_minor}; not sent: all that is left to
 * pay).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequest(String reference, Instant paidAt, Long amountMinor) {
}
