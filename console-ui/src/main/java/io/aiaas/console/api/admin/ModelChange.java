package io.aiaas.console.api.admin;

/**
 * Body of {@code PATCH /admin/v1/models/{name}} as the model page's settings form sends it: every field, as the
 * form holds it; an empty description or owner_tenant clears it.
 */
public record ModelChange(String description, String visibility, String ownerTenant) {
}
