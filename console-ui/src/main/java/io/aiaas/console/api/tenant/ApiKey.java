package io.aiaas.console.api.tenant;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * An API key as platform-api lists it: never the secret; status is active, disabled (by an admin, for a while: its
 * calls are refused until it is enabled), expired or revoked; models null for a key that may call every model of its
 * tenant; its monthly budget in micro-units of the plan's currency (null: no cap), what it spent of that cap in this
 * billing period (null without a cap), that currency (null without a plan), and the most requests it may make in a
 * clock minute (null: only the plan's limits apply), the client networks it may be used from, canonical CIDR such as
 * {@code 203.0.113.0/24} (null: anywhere), since when it is disabled (null while it is not), and the client address
 * of a call in the minute it was last used (null: never, or not known).
 */
public record ApiKey(UUID id, String name, String prefix, String lastFour, String status, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, List<String> models,
        Long monthlyBudgetMicros, Long budgetUsedMicros, String budgetCurrency, Integer requestsPerMinute,
        List<String> allowedNetworks, Instant disabledAt, String lastUsedFrom) {

    /** Whether the key's list names this model (false for a key that may call every model). */
    public boolean lists(String model) {
        return models != null && models.contains(model);
    }

    /** Whether calls with the key work (as far as its status goes: its budget, limits and networks still apply). */
    public boolean active() {
        return "active".equals(status);
    }

    /** Whether an admin disabled the key for a while: calls with it get 403 key_disabled until it is enabled. */
    public boolean disabled() {
        return "disabled".equals(status);
    }

    /**
     * Whether the key can still be changed, rotated and revoked: active or disabled (a disabled key keeps its secret
     * and settings); a revoked or expired key is done.
     */
    public boolean live() {
        return active() || disabled();
    }

    /** How people recognise a key without its secret, e.g. {@code aiaas_AbCd…wxyz}. */
    public String masked() {
        return (prefix == null ? "" : prefix) + "…" + (lastFour == null ? "" : lastFour);
    }

    /** How far ahead of its expiry a key is flagged, as platform-api's api_key.expiring notice (its default). */
    static final Duration EXPIRY_NOTICE = Duration.ofDays(7);

    /**
     * Whether the key is live (active, or disabled and so perhaps enabled again) and expires within
     * {@link #EXPIRY_NOTICE}: time to move its expiry or issue its successor.
     */
    public boolean expiresSoon() {
        return live() && expiresAt != null && expiresAt.isBefore(Instant.now().plus(EXPIRY_NOTICE));
    }

    /** A UTC date and time to the minute as a {@code datetime-local} input takes it, e.g. 2027-03-01T00:00. */
    private static final DateTimeFormatter EXPIRY_INPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm")
            .withZone(ZoneOffset.UTC);

    /** The expiry as its change form shows it, in UTC to the minute (2027-03-01T00:00); "" for a key without one. */
    public String expiresAtInput() {
        return expiresAt == null ? "" : EXPIRY_INPUT.format(expiresAt);
    }

    /** Whether the key has a monthly spending cap. */
    public boolean capped() {
        return monthlyBudgetMicros != null;
    }

    /** Whether the key spent its whole cap this period: the gateway refuses its calls until the next one. */
    public boolean budgetReached() {
        return monthlyBudgetMicros != null && budgetUsedMicros != null && budgetUsedMicros >= monthlyBudgetMicros;
    }

    /** The cap as the shortest exact decimal of the currency (5,000,000 is "5", 12,500,000 "12.5"); "" without one. */
    public String budgetDecimal() {
        return monthlyBudgetMicros == null ? ""
                : BigDecimal.valueOf(monthlyBudgetMicros, 6).stripTrailingZeros().toPlainString();
    }

    /** Whether the key has a per-minute request limit of its own (besides the plan's). */
    public boolean rateLimited() {
        return requestsPerMinute != null;
    }

    /** Whether the key may be used only from some client networks (null or none listed: from anywhere). */
    public boolean networkRestricted() {
        return allowedNetworks != null && !allowedNetworks.isEmpty();
    }

    /** The key's networks one per line, as its change form shows them; "" for a key usable from anywhere. */
    public String networksText() {
        return networkRestricted() ? String.join("\n", allowedNetworks) : "";
    }
}
