package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A credit grant as the tenant API and the admin API both give it: money given to a tenant ahead of its invoices in
 * one currency (nano-units with exact decimals beside), what is left of it, and its state {@code active} (something
 * left to draw), {@code spent}, {@code expired} or {@code voided}. {@code grantedBy} is null in the tenant API.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditGrant(UUID id, String tenant, String currency, long amountNanos, String amount,
        long remainingNanos, String remaining, String reason, String state, Instant createdAt, Instant expiresAt,
        Instant voidedAt, String grantedBy) {

    /** Whether invoices may still draw on it, hence whether voiding it forfeits anything. */
    public boolean active() {
        return "active".equals(state);
    }
}
