package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An enrolled worker identity as {@code GET /admin/v1/workers/identities} lists it: its name, when it enrolled (and
 * with which enrolment token, null for one that is gone), when it was revoked, and its keys. A worker replaces its own
 * key by age: each rotation adds a key and, seconds later, retires the old one, so an identity normally has exactly
 * one active key (not retired); two for long mean a rotation is stuck.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerIdentity(UUID id, String name, Instant enrolledAt, Instant revokedAt, UUID enrolmentTokenId,
        List<Key> keys) {

    /**
     * How long two active keys are a rotation under way rather than a stuck one: the worker retires the old key
     * seconds after adding the new one.
     */
    public static final Duration ROTATION_GRACE = Duration.ofMinutes(5);

    public List<Key> keys() {
        return keys == null ? List.of() : keys;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** The keys not retired, newest first. */
    public List<Key> activeKeys() {
        return keys().stream().filter(k -> !k.retired())
                .sorted(Comparator.comparing(Key::addedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
    }

    /** The newest key not retired (the one the worker signs with), or null. */
    public Key currentKey() {
        List<Key> active = activeKeys();
        return active.isEmpty() ? null : active.get(0);
    }

    /** How many keys were retired: the rotations the worker has done. */
    public long rotations() {
        return keys().stream().filter(Key::retired).count();
    }

    /** Whether more than one key is active, whatever for how long. */
    public boolean severalActiveKeys() {
        return activeKeys().size() > 1;
    }

    /** Several active keys on an identity not revoked, the newest added more than {@link #ROTATION_GRACE} ago. */
    public boolean rotationStuck() {
        return rotationStuck(Instant.now());
    }

    /** Several active keys on an identity not revoked, the newest just added: a rotation finishing. */
    public boolean rotating() {
        return !revoked() && severalActiveKeys() && !rotationStuck();
    }

    boolean rotationStuck(Instant now) {
        if (revoked() || !severalActiveKeys()) {
            return false;
        }
        Instant newest = currentKey().addedAt();
        return newest == null || newest.isBefore(now.minus(ROTATION_GRACE));
    }

    /** One public key of the identity: its id (a JWK thumbprint), when it was added and when retired (null: active). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Key(String keyId, Instant addedAt, Instant retiredAt) {

        public boolean retired() {
            return retiredAt != null;
        }

        /** The key id cut to its first 12 characters and "…", for a table; the whole id goes in a title. */
        public String shortId() {
            return keyId == null || keyId.length() <= 16 ? keyId : keyId.substring(0, 12) + "…";
        }
    }
}
