package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A worker enrolment token as {@code GET /admin/v1/workers/enrolment-tokens} lists it, never with its secret: how many
 * workers enrolled with it of how many it allows (null: no limit, the bootstrap token of a local run), until when, who
 * created it, and its state ({@code active}, {@code expired}, {@code used_up} or {@code revoked}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrolmentToken(UUID id, String name, Integer usesAllowed, int uses, Instant expiresAt,
        boolean bootstrap, String createdBy, Instant createdAt, Instant revokedAt, String state) {

    /** Whether a worker can still enrol with it (and so whether it can be revoked). */
    public boolean active() {
        return "active".equals(state);
    }

    /** Whether it allows a limited number of enrolments ("2 of 5"), else any number ("2"). */
    public boolean limited() {
        return usesAllowed != null;
    }

    /** The state in words: "used up" for {@code used_up}. */
    public String stateLabel() {
        return state == null ? "" : state.replace('_', ' ');
    }
}
