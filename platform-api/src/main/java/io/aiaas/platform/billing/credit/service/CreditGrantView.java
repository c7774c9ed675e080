package io.aiaas.platform.billing.credit.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A credit grant as the APIs show it: amounts in nano-units and exact decimals of its currency; {@code state} is
 * {@code active} (something left to draw), {@code spent}, {@code expired} or {@code voided}. {@code grantedBy} is
 * shown to platform admins only.
 */
public record CreditGrantView(UUID id, String tenant, String currency, long amountNanos, String amount,
        long remainingNanos, String remaining, String reason, String state, Instant createdAt, Instant expiresAt,
        Instant voidedAt, String grantedBy) {
}
