package io.aiaas.console.api.tenant;

/** Body of {@code PUT .../webhook}: the URL platform-api posts the tenant's events to. */
public record NewWebhook(String url) {
}
