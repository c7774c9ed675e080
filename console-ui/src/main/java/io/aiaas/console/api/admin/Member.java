package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** A member of a tenant as the admin API lists it; role is admin or member. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Member(UUID id, String email, String subject, String role, Instant createdAt) {
}
