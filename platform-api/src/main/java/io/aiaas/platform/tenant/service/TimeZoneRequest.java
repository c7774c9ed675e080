package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/time-zone}, and its answer: the IANA zone id whose calendar months are
 * the tenant's billing periods.
 */
public record TimeZoneRequest(@NotBlank @Size(max = 64) String timeZone) {
}
