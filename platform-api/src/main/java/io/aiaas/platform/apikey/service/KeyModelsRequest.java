package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aiaas.platform.model.service.ModelRefs;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/models}: the key's whole model list, replaced; {@code null} for
 * every model the tenant may call. The field must be there (an empty body is not taken to mean "every model").
 */
public record KeyModelsRequest(
        @JsonProperty(required = true)
        @Size(min = 1, max = CreateApiKeyRequest.MAX_MODELS, message = CreateApiKeyRequest.MODELS_SIZE)
        List<@NotNull @Pattern(regexp = ModelRefs.NAME_PATTERN, message = CreateApiKeyRequest.MODEL_NAME) String>
        models) {
}
