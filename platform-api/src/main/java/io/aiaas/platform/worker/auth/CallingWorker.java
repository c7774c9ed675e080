package io.aiaas.platform.worker.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The worker identity whose token opened this request to the internal API (set by {@link WorkerTokenFilter}). */
@RequestScoped
public class CallingWorker {

    private UUID identityId;
    private String keyId;

    void set(UUID identityId, String keyId) {
        this.identityId = identityId;
        this.keyId = keyId;
    }

    /** The caller's identity id, which is also the id of its row in {@code workers}. */
    public UUID identityId() {
        if (identityId == null) {
            throw new IllegalStateException("no worker token was verified for this request");
        }
        return identityId;
    }

    /** The id of the key that signed the caller's token. */
    public String keyId() {
        identityId();
        return keyId;
    }
}
