package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Body of {@code POST /admin/v1/credits}: credit for a tenant (slug) in micro-units of a currency (the console converts
 * the typed decimal exactly), why, and until when invoices may draw on it; without {@code expires_at} (not sent) it
 * lasts until spent or voided.
 */
public record GrantCreditRequest(String tenant, long amountMicros, String currency, String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt) {
}
