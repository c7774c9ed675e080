package io.aiaas.console.api.tenant;

/** Body of {@code PATCH .../members/{id}}. */
public record RoleChange(String role) {
}
