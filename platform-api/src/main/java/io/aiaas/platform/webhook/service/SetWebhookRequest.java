package io.aiaas.platform.webhook.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/tenants/{slug}/webhook}: where the tenant's events go (http or https). */
public record SetWebhookRequest(@NotBlank @Size(max = WebhookUrls.MAX_LENGTH) String url) {
}
