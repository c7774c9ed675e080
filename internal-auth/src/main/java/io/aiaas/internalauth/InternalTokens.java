package io.aiaas.internalauth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;

/**
 * Issues and verifies the short-lived ES256 tokens between our own processes (control plane and workers) with
 * SmallRye JWT. Each process signs with its own EC P-256 key ({@link SigningKey}) and names it in the {@code kid}
 * header; a verifier looks the key up by that id ({@link VerificationKeys}), so no process holds a key that lets it
 * speak for another.
 *
 * <p>Issuing goes through SmallRye's {@link Jwt} builder, which reads its {@code smallrye.jwt.new-token.*}
 * defaults from MicroProfile Config: a Quarkus app has SmallRye Config; elsewhere an MP Config implementation
 * must be on the class path. Verification needs no configuration.
 */
public final class InternalTokens {

    /** Lifetime of tokens unless the caller says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    private static final int CLOCK_SKEW_SECONDS = 5;
    /** A header larger than this is not one of ours; it is not decoded. */
    private static final int MAX_HEADER_CHARS = 1024;
    private static final Set<String> REQUIRED_CLAIMS =
            Set.of(Claims.exp.name(), Claims.iat.name(), Claims.sub.name());

    /** At most this many verified tokens are remembered; past it the expired ones go, then all of them. */
    static final int MAX_REMEMBERED = 1024;

    /** One parser per (audience, issuer): a parser is immutable and the key is handed to it per call. */
    private final Map<String, JWTParser> parsers = new ConcurrentHashMap<>();
    /**
     * Tokens already verified, by audience, issuer and the token's exact text, with the key that checked them. A
     * caller sends the same token for most of its lifetime (CachedTokenSource), and an ES256 signature check costs
     * 0.2-2 ms of CPU (JDK 17; about 1.9 ms on the 2-core development machines): per call, that was most of what the
     * worker spent on a small model. The same bytes checked by the same key give the same answer, so a token found
     * here is accepted without a second check while it has not expired and its key is still the one the caller's
     * key set names (a retired key drops its tokens).
     */
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();
    private final AtomicLong signatureChecks = new AtomicLong();

    private record Remembered(VerifiedToken token, ECPublicKey key) {
    }

    /** Signs a token for {@code audience} with {@code key} (ES256, {@code kid} = the key's id), expiring after {@code ttl}. */
    public String issue(SigningKey key, String issuer, String audience, String subject, Duration ttl) {
        Objects.requireNonNull(key, "key");
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
                    .algorithm(SignatureAlgorithm.ES256)
                    .keyId(key.keyId())
                    .type("JWT")
                    .sign(key.privateKey());
        } catch (JwtException e) {
            throw new IllegalStateException("cannot sign internal token", e);
        }
    }

    /**
     * Checks the signature (ES256 only, with the key named by {@code kid}, found in {@code keys}), expiry, audience
     * and issuer.
     *
     * @throws InvalidTokenException with a short reason safe to show to the caller
     */
    public VerifiedToken verify(String token, VerificationKeys keys, String expectedAudience, String expectedIssuer) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        Objects.requireNonNull(expectedIssuer, "expectedIssuer");
        String keyId = keyId(token);
        ECPublicKey key = keys.find(keyId).orElseThrow(
                () -> new InvalidTokenException("token is signed by an unknown key"));
        String rememberedAs = expectedAudience + '\n' + expectedIssuer + '\n' + token;
        Remembered known = verified.get(rememberedAs);
        Instant now = Instant.now();
        if (known != null) {
            // before its exp only (jose4j's clock skew is left to a full check, which then decides)
            if (known.key().equals(key) && now.isBefore(known.token().expiresAt())) {
                return known.token();
            }
            verified.remove(rememberedAs, known);
        }
        try {
            signatureChecks.incrementAndGet();
            JsonWebToken jwt = parser(expectedAudience, expectedIssuer).verify(token, key);
            // jose4j checks exp and nbf only: a token "issued" in the future would outlive its stated lifetime
            if (jwt.getIssuedAtTime() > now.getEpochSecond() + CLOCK_SKEW_SECONDS) {
                throw new InvalidTokenException("token is issued in the future");
            }
            VerifiedToken checked = new VerifiedToken(jwt.getIssuer(), expectedAudience, jwt.getSubject(),
                    Instant.ofEpochSecond(jwt.getExpirationTime()), jwt.getTokenID(), keyId);
            remember(rememberedAs, new Remembered(checked, key), now);
            return checked;
        } catch (ParseException e) {
            throw new InvalidTokenException(reason(e, expectedIssuer), e);
        }
    }

    private void remember(String rememberedAs, Remembered token, Instant now) {
        if (verified.size() >= MAX_REMEMBERED) {
            verified.values().removeIf(r -> !now.isBefore(r.token().expiresAt()));
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(rememberedAs, token);
    }

    /** How many verified tokens are remembered now: for tests. */
    int remembered() {
        return verified.size();
    }

    /** How many tokens had their signature checked (not answered from the verified tokens): for tests. */
    long signatureChecks() {
        return signatureChecks.get();
    }

    /**
     * The {@code kid} of a token's header, read without checking anything else: which key to look up.
     *
     * @throws InvalidTokenException when the token is missing, not a JWS, or names no key
     */
    public static String keyId(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("missing token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > MAX_HEADER_CHARS) {
            throw new InvalidTokenException("token is invalid");
        }
        Object kid;
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            Map<String, Object> fields = JsonUtil.parseJson(header);
            if (!SignatureAlgorithm.ES256.getAlgorithm().equals(fields.get("alg"))) {
                throw new InvalidTokenException("token algorithm is not ES256");
            }
            kid = fields.get("kid");
        } catch (IllegalArgumentException | JoseException | ClassCastException e) {
            throw new InvalidTokenException("token is invalid");
        }
        if (!(kid instanceof String id) || id.isEmpty() || id.length() > 128) {
            throw new InvalidTokenException("token names no signing key (kid)");
        }
        return id;
    }

    private JWTParser parser(String audience, String issuer) {
        return parsers.computeIfAbsent(audience + '\n' + issuer, k -> {
            JWTAuthContextInfo context = new JWTAuthContextInfo();
            context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.ES256));
            context.setExpectedAudience(Set.of(audience));
            context.setIssuedBy(issuer);
            context.setRequiredClaims(REQUIRED_CLAIMS);
            context.setClockSkew(CLOCK_SKEW_SECONDS);
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
            return "token algorithm is not ES256";
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
