package io.aiaas.internalauth;

import java.time.Instant;

/** The claims of an internal token whose signature, audience and expiry have been checked. */
public record VerifiedToken(String issuer, String audience, String subject, Instant expiresAt, String tokenId) {
}
