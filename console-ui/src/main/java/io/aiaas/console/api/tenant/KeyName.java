package io.aiaas.console.api.tenant;

/**
 * Body of {@code PUT .../keys/{id}/name}: the key's new name (not blank, at most 100 characters; platform-api trims it;
 * names need not be unique). Its secret and settings stay.
 */
public record KeyName(String name) {
}
