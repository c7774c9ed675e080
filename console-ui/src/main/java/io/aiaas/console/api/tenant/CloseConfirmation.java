package io.aiaas.console.api.tenant;

/** Body of {@code POST /api/v1/tenants/{slug}/close}: the tenant's slug typed again, so that no click closes it. */
public record CloseConfirmation(String confirm) {
}
