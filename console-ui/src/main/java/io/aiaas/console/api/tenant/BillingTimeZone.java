package io.aiaas.console.api.tenant;

/**
 * Body and answer of {@code PUT /api/v1/tenants/{slug}/time-zone}: the IANA zone id (e.g. {@code Europe/Paris}) the
 * tenant's billing periods, calendar months, run in.
 */
public record BillingTimeZone(String timeZone) {
}
