package io.aiaas.internalauth;

import java.time.Instant;

/**
 * The claims of an internal token whose signature, audience, issuer and expiry have been checked, and the id of
 * the key that signed it.
 */
public record VerifiedToken(String issuer, String audience, String subject, Instant expiresAt, String tokenId,
        String keyId) {
}
