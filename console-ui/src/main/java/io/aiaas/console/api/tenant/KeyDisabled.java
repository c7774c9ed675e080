package io.aiaas.console.api.tenant;

/**
 * Body of {@code PUT .../keys/{id}/disabled}: true disables the key for a while (its calls are refused with 403
 * {@code key_disabled}, its secret and settings are kept), false enables it again.
 */
public record KeyDisabled(boolean disabled) {
}
