package io.aiaas.internalauth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;

/**
 * Issues and verifies the short-lived HS256 tokens between our own processes (control plane and workers),
 * signed with the shared secret {@code aiaas.internal-auth.secret}, using SmallRye JWT.
 *
 * <p>Issuing goes through SmallRye's {@link Jwt} builder, which reads its {@code smallrye.jwt.new-token.*}
 * defaults from MicroProfile Config: a Quarkus app has SmallRye Config; elsewhere an MP Config implementation
 * must be on the class path. Verification needs no configuration.
 */
public final class InternalTokens {

    /** Lifetime of tokens unless the caller says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** HS256 needs a key at least as long as its 256-bit output to keep its strength. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final int CLOCK_SKEW_SECONDS = 5;
    private static final Set<String> REQUIRED_CLAIMS =
            Set.of(Claims.exp.name(), Claims.iat.name(), Claims.sub.name());

    private final SecretKey key;
    /** One parser per (audience, issuer): callers use a handful of constants, and a parser is immutable. */
    private final Map<String, JWTParser> parsers = new ConcurrentHashMap<>();

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
        try {
            return Jwt.issuer(issuer)
                    .audience(audience)
                    .subject(subject)
                    .issuedAt(now.getEpochSecond())
                    .expiresAt(now.plus(ttl).getEpochSecond())
                    .claim(Claims.jti, UUID.randomUUID().toString())
                    .jws()
                    .algorithm(SignatureAlgorithm.HS256)
                    .type("JWT")
                    .sign(key);
        } catch (JwtException e) {
            throw new IllegalStateException("cannot sign internal token", e);
        }
    }

    /**
     * Checks signature (HS256 only, so {@code alg: none} and other algorithms fail), expiry and audience.
     *
     * @throws InvalidTokenException with a short reason safe to show to the caller
     */
    public VerifiedToken verify(String token, String expectedAudience) {
        return check(token, expectedAudience, null);
    }

    /** Like {@link #verify(String, String)}, and also requires the given issuer. */
    public VerifiedToken verify(String token, String expectedAudience, String expectedIssuer) {
        return check(token, expectedAudience, Objects.requireNonNull(expectedIssuer, "expectedIssuer"));
    }

    private VerifiedToken check(String token, String expectedAudience, String expectedIssuer) {
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("missing token");
        }
        try {
            JsonWebToken jwt = parser(expectedAudience, expectedIssuer).parse(token);
            // jose4j checks exp and nbf only: a token "issued" in the future would outlive its stated lifetime
            if (jwt.getIssuedAtTime() > Instant.now().getEpochSecond() + CLOCK_SKEW_SECONDS) {
                throw new InvalidTokenException("token is issued in the future");
            }
            return new VerifiedToken(jwt.getIssuer(), expectedAudience, jwt.getSubject(),
                    Instant.ofEpochSecond(jwt.getExpirationTime()), jwt.getTokenID());
        } catch (ParseException e) {
            throw new InvalidTokenException(reason(e, expectedIssuer), e);
        }
    }

    private JWTParser parser(String audience, String issuer) {
        return parsers.computeIfAbsent(audience + '\n' + Objects.toString(issuer, ""), k -> {
            JWTAuthContextInfo context = new JWTAuthContextInfo();
            context.setSecretVerificationKey(key);
            context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
            context.setExpectedAudience(Set.of(audience));
            context.setIssuedBy(issuer); // null: any issuer
            context.setRequiredClaims(REQUIRED_CLAIMS);
            context.setClockSkew(CLOCK_SKEW_SECONDS);
            // SmallRye relaxes jose4j's minimum key length by default; our keys are long enough to keep it.
            context.setRelaxVerificationKeyValidation(false);
            return new DefaultJWTParser(context);
        });
    }

    /**
     * SmallRye wraps jose4j's {@link InvalidJwtException} (whose error codes say what failed) in its
     * {@link ParseException}; we map it to a short reason that names no library and leaks no claim.
     */
    private static String reason(ParseException parse, String expectedIssuer) {
        InvalidJwtException e = findCause(parse, InvalidJwtException.class);
        if (e == null) {
            return "token is invalid";
        }
        if (e.hasExpired()) {
            return "token expired";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "token audience does not match";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "token issuer is not " + expectedIssuer;
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
        // SmallRye's own checks of the required claims (iat, sub) run after jose4j accepted the token, and
        // raise an InvalidJwtException without jose4j error details.
        if (e.getErrorDetails().isEmpty() && e.getJwtContext() != null) {
            return "token lacks required claims";
        }
        if (findCause(e, InvalidAlgorithmException.class) != null
                || String.valueOf(e.getMessage()).contains("AlgorithmConstraints")) {
            return "token algorithm is not HS256";
        }
        return "token is invalid";
    }

    private static <T extends Throwable> T findCause(Throwable top, Class<T> type) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
