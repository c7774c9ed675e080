package io.aiaas.platform.webhook.service;

/**
 * Body of {@code POST /api/v1/tenants/{slug}/webhook/deliveries/redeliver-failed}: every event whose latest delivery
 * failed since this instant (ISO-8601 with its offset) is sent again. Checked by {@link WebhookRedeliveries}, which
 * names the problem in its 400.
 */
public record RedeliverFailedRequest(String since) {
}
