package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The answer to creating an enrolment token: the only one that carries the {@code token} itself. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatedEnrolmentToken(UUID id, String name, String token, Integer usesAllowed, Instant expiresAt) {
}
