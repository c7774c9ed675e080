package io.aiaas.console.api.tenant;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/budget}, and its answer: the tenant's own spending limit, the most all its
 * keys together may spend in a billing period, in micro-units of the plan's currency; null (sent as null: the field is
 * required) removes it, leaving only the plan's budget.
 */
public record TenantBudget(Long monthlyBudgetMicros) {
}
