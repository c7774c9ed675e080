package io.aiaas.platform.tenant.service;

import java.time.Instant;
import java.util.UUID;

/** A tenant member as the admin API shows it; role is "admin" or "member". */
public record MemberView(UUID id, String email, String subject, String role, Instant createdAt) {
}
