package io.aiaas.internalauth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Issues and verifies the short-lived HS256 tokens between our own processes (control plane and workers),
 * signed with the shared secret {@code aiaas.internal-auth.secret}.
 */
public final class InternalTokens {

    /** Lifetime of tokens unless the caller says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** HS256 needs a key at least as long as its 256-bit output to keep its strength. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final int CLOCK_SKEW_SECONDS = 5;

    private final SecretKey key;

    /**
     * @param secret the shared secret, at least 32 bytes in UTF-8
     * @throws IllegalArgumentException when the secret is missing or shorter than 32 bytes
     */
    public InternalTokens(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("aiaas.internal-auth.secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, got " + (secret == null ? "none" : secret.getBytes(StandardCharsets.UTF_8).length));
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Signs a token for {@code audience} that expires after {@code ttl}. */
    public String issue(String issuer, String audience, String subject, Duration ttl) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(subject, "subject");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign internal token", e);
        }
    }

    /**
     * Checks signature (HS256 only, so {@code alg: none} and other algorithms fail), expiry and audience.
     *
     * @throws InvalidTokenException with a short reason safe to show to the caller
     */
    public VerifiedToken verify(String token, String expectedAudience) {
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("missing token");
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedAudience(expectedAudience)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(
                        new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                                AlgorithmIdentifiers.HMAC_SHA256))
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            return new VerifiedToken(claims.getIssuer(), expectedAudience, claims.getSubject(),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()), claims.getJwtId());
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException(reason(e), e);
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("token has malformed claims", e);
        }
    }

    /** Like {@link #verify(String, String)}, and also requires the given issuer. */
    public VerifiedToken verify(String token, String expectedAudience, String expectedIssuer) {
        VerifiedToken verified = verify(token, expectedAudience);
        if (!Objects.equals(verified.issuer(), expectedIssuer)) {
            throw new InvalidTokenException("token issuer is not " + expectedIssuer);
        }
        return verified;
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token expired";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "token audience does not match";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "token signature is invalid";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "token is not signed";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)
                || e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return "token lacks required claims";
        }
        if (e.getCause() instanceof org.jose4j.lang.InvalidAlgorithmException
                || String.valueOf(e.getMessage()).contains("AlgorithmConstraints")) {
            return "token algorithm is not HS256";
        }
        return "token is invalid";
    }
}
