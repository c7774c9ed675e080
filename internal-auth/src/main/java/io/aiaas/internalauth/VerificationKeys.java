package io.aiaas.internalauth;

import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/** Where a verifier finds the public key a token names in its {@code kid} header. */
@FunctionalInterface
public interface VerificationKeys {

    /** The key with this id, or empty when it is unknown (or retired). */
    Optional<ECPublicKey> find(String keyId);
}
