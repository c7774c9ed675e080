package io.aiaas.platform.tenant.service;

import java.time.Instant;
import java.util.UUID;

/** A tenant as the admin API shows it; status is "active" or "suspended". */
public record TenantView(UUID id, String slug, String name, String status, Instant createdAt, Instant updatedAt) {
}
