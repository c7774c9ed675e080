package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/refunds}: money the tenant paid beyond what the invoice now asks was sent
 * back, with the operator's reference (1 to 200 characters), when ({@code refunded_at}; not sent: platform-api takes
 * now) and how much in minor units of the invoice's currency ({@code amount_minor}; not sent: all that is owed back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RefundRequest(String reference, Instant refundedAt, Long amountMinor) {
}
