package io.aiaas.console.api.tenant;

/**
 * Body of {@code PUT .../keys/{id}/budget}: the key's monthly budget in micro-units of the plan's currency; null (sent
 * as null) removes the cap.
 */
public record KeyBudget(Long monthlyBudgetMicros) {
}
