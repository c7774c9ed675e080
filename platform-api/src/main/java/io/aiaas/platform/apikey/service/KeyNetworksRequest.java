package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/networks}: the client networks the key may be used from,
 * replaced ({@code null}: anywhere). The field must be there (an empty body is not taken to mean "anywhere").
 */
public record KeyNetworksRequest(
        @JsonProperty(required = true)
        @Size(min = 1, max = CreateApiKeyRequest.MAX_NETWORKS, message = CreateApiKeyRequest.NETWORKS_SIZE)
        List<@NotNull @Size(max = 100) String> allowedNetworks) {
}
