package io.aiaas.console.api.admin;

/** Body of {@code POST /admin/v1/tenants}. */
public record NewTenant(String slug, String name) {
}
