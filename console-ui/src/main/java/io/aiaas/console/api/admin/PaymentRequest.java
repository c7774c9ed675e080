package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/payment}: a finalized invoice was paid in full, with the operator's
 * reference (1 to 200 characters, e.g. "wire 2026-1187") and when; without {@code paid_at} (not sent) platform-api
 * takes now.
 */
public record PaymentRequest(String reference, @JsonInclude(JsonInclude.Include.NON_NULL) Instant paidAt) {
}
