package io.aiaas.platform.webhook.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/webhook/events}: the event types the webhook receives, replaced
 * ({@code null}: every type). The field must be there (an empty body is not taken to mean "every type").
 */
public record WebhookEventsRequest(
        @JsonProperty(required = true)
        @Size(min = 1, max = 50, message = "must list 1 to 50 event types, or be null for every one")
        List<@NotNull @Size(max = 100) String> events) {
}
