package io.aiaas.platform.idempotency.service;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The answer a call with an {@code Idempotency-Key} gave, as {@link IdempotencyKeys#complete} stores it. */
public record Completion(UUID tenantId, String key, UUID requestId, int status, String contentType,
        Map<String, String> headers, byte[] body) {

    /** What {@link IdempotencyKeys#complete} did with the key. */
    public enum Outcome {
        /** The answer is stored and will be replayed. */
        STORED,
        /** The answer was over the size limit (or not storable as it is): a retry gets 409. */
        TOO_LARGE,
        /** The answer must not be replayed (5xx, 429): the key was deleted, a retry runs again. */
        RELEASED,
        /**
         * The call no longer holds the key: it was released, expired, or taken over after its lock ran out (the call
         * outlived {@code aiaas.idempotency.lock-timeout}). Nothing was written.
         */
        NOT_HELD
    }

    public Completion {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestId, "requestId");
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }

    /** 2xx and 4xx answers are kept; 5xx and 429 say "try again", so a retry must run again. */
    public boolean replayable() {
        return status >= 200 && status < 500 && status != 429;
    }
}
