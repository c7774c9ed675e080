package io.aiaas.platform.apikey.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as lists show it: never the secret, only prefix and last four. status is active, disabled (since
 * disabled_at, until a tenant admin enables it; its calls are refused), expired or revoked;
 * models is null for a key that may call every model of its tenant. monthly_budget_micros is the key's cap per billing
 * period (null: none), budget_used_micros what it spent of it this period (null without a cap), budget_currency the
 * plan's currency both are in (null without a plan: nothing is priced). requests_per_minute is the key's own limit per
 * clock minute (null: only the plan's). allowed_networks are the client networks it may be used from, canonical CIDR
 * (null: anywhere). last_used_from is the client address of a call in the minute of last_used_at, refused or not
 * (null: never used, or not known).
 */
public record ApiKeyView(UUID id, String name, String prefix, String lastFour, String status, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, List<String> models,
        Long monthlyBudgetMicros, Long budgetUsedMicros, String budgetCurrency, Integer requestsPerMinute,
        List<String> allowedNetworks, Instant disabledAt, String lastUsedFrom) {
}
