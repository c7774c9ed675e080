package io.aiaas.console.api.tenant;

import java.util.List;

/**
 * Body of {@code PUT .../keys/{id}/networks}: the client networks the key may be used from, replaced (each an IPv4 or
 * IPv6 address or CIDR, 1 to 50); null (sent as null, the field is required) lets it be used from anywhere.
 */
public record KeyNetworks(List<String> allowedNetworks) {
}
