package io.aiaas.platform.worker.enrolment.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of enrolment and of the enrolment-token and identity admin API. */
public final class EnrolmentViews {

    private EnrolmentViews() {
    }

    /**
     * A new enrolment token. {@code uses}: how many workers may enrol with it (default 1); more than one for a
     * Deployment whose pods share one token. {@code expires_in_seconds}: default {@code aiaas.workers.enrolment.default-token-ttl}.
     */
    public record CreateEnrolmentToken(@NotBlank @Size(max = 100) String name,
            @Min(1) @Max(10000) Integer uses,
            @Min(60) Long expiresInSeconds) {
    }

    /** The only response that shows the token. */
    public record CreatedEnrolmentToken(UUID id, String name, String token, int usesAllowed, Instant expiresAt) {
    }

    /** An enrolment token without its secret. {@code state}: active, expired, used_up or revoked. */
    public record EnrolmentTokenView(UUID id, String name, Integer usesAllowed, int uses, Instant expiresAt,
            boolean bootstrap, String createdBy, Instant createdAt, Instant revokedAt, String state) {
    }

    /** What a worker sends to enrol: the one-time token, its name and its public key (a JWK, EC P-256). */
    public record EnrolmentRequest(@NotBlank @Size(max = 200) String token,
            @NotBlank @Size(max = 100) String name,
            @NotNull Map<String, Object> publicKey) {
    }

    /** The worker's identity id (also its worker row id) and the control plane's public keys to verify its calls. */
    public record Enrolled(UUID identityId, String keyId, Map<String, Object> jwks) {
    }

    /** A worker adds a key to its identity (the first step of rotating its key). */
    public record AddWorkerKey(@NotNull Map<String, Object> publicKey) {
    }

    public record WorkerKeyView(String keyId, Instant addedAt, Instant retiredAt) {
    }

    public record WorkerIdentityView(UUID id, String name, Instant enrolledAt, Instant revokedAt,
            UUID enrolmentTokenId, List<WorkerKeyView> keys) {
    }
}
