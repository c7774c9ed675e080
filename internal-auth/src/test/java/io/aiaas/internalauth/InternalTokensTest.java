package io.aiaas.internalauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class InternalTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private final InternalTokens tokens = new InternalTokens(SECRET);

    @Test
    void issuedTokenVerifiesWithItsClaims() {
        String token = tokens.issue(Issuers.PLATFORM, Audiences.WORKER, "platform-api", Duration.ofSeconds(60));
        VerifiedToken verified = tokens.verify(token, Audiences.WORKER);
        assertEquals(Issuers.PLATFORM, verified.issuer());
        assertEquals(Audiences.WORKER, verified.audience());
        assertEquals("platform-api", verified.subject());
        assertTrue(verified.expiresAt().isAfter(Instant.now().plusSeconds(50)));
        assertTrue(verified.expiresAt().isBefore(Instant.now().plusSeconds(61)));
        assertEquals("HS256", header(token).replaceAll(".*\"alg\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
    }

    @Test
    void wrongAudienceIsRejected() {
        String token = tokens.issue(Issuers.WORKER, Audiences.CONTROL_PLANE, "w1", Duration.ofSeconds(60));
        assertReason("token audience does not match", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void wrongIssuerIsRejectedWhenAnIssuerIsRequired() {
        String token = tokens.issue(Issuers.PLATFORM, Audiences.CONTROL_PLANE, "x", Duration.ofSeconds(60));
        assertEquals("w1", tokens.verify(tokens.issue(Issuers.WORKER, Audiences.CONTROL_PLANE, "w1",
                Duration.ofSeconds(60)), Audiences.CONTROL_PLANE, Issuers.WORKER).subject());
        assertReason("token issuer is not aiaas-worker",
                () -> tokens.verify(token, Audiences.CONTROL_PLANE, Issuers.WORKER));
    }

    @Test
    void expiredTokenIsRejected() {
        // Signed by hand so the expiry lies beyond the 5 s clock skew allowance.
        long now = Instant.now().getEpochSecond();
        String token = sign(SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"p\",\"iat\":" + (now - 120)
                        + ",\"exp\":" + (now - 60) + "}");
        assertReason("token expired", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void tokenIssuedInTheFutureIsRejected() {
        long later = java.time.Instant.now().getEpochSecond() + 3600;
        String token = sign(SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"iss\":\"" + Issuers.PLATFORM + "\",\"aud\":\"" + Audiences.WORKER + "\",\"sub\":\"x\",\"iat\":"
                        + later + ",\"exp\":" + (later + 60) + "}");
        assertReason("token is issued in the future", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        InternalTokens other = new InternalTokens("another-secret-that-is-32-bytes-long!!");
        String token = other.issue(Issuers.PLATFORM, Audiences.WORKER, "p", Duration.ofSeconds(60));
        assertReason("token signature is invalid", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String token = tokens.issue(Issuers.PLATFORM, Audiences.WORKER, "p", Duration.ofSeconds(60));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"p\"", "\"admin\"");
        String forged = parts[0] + "." + b64(payload) + "." + parts[2];
        assertReason("token signature is invalid", () -> tokens.verify(forged, Audiences.WORKER));
    }

    @Test
    void algNoneTokenIsRejected() {
        long now = Instant.now().getEpochSecond();
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + b64("{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"p\",\"iat\":" + now
                + ",\"exp\":" + (now + 60) + "}") + ".";
        assertReason("token algorithm is not HS256", () -> tokens.verify(unsigned, Audiences.WORKER));
    }

    @Test
    void otherHmacAlgorithmIsRejected() {
        long now = Instant.now().getEpochSecond();
        String token = signWith("HmacSHA512", SECRET, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
                "{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"p\",\"iat\":" + now
                        + ",\"exp\":" + (now + 60) + "}");
        assertReason("token algorithm is not HS256", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void tokenWithoutExpiryIsRejected() {
        long now = Instant.now().getEpochSecond();
        String token = sign(SECRET, "{\"alg\":\"HS256\"}",
                "{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"p\",\"iat\":" + now + "}");
        assertReason("token lacks required claims", () -> tokens.verify(token, Audiences.WORKER));
    }

    @Test
    void tokenWithoutIssuedAtOrSubjectIsRejected() {
        long now = Instant.now().getEpochSecond();
        String noIat = sign(SECRET, "{\"alg\":\"HS256\"}",
                "{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"p\",\"exp\":" + (now + 60) + "}");
        String noSub = sign(SECRET, "{\"alg\":\"HS256\"}",
                "{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"iat\":" + now
                        + ",\"exp\":" + (now + 60) + "}");
        assertReason("token lacks required claims", () -> tokens.verify(noIat, Audiences.WORKER));
        assertReason("token lacks required claims", () -> tokens.verify(noSub, Audiences.WORKER));
    }

    @Test
    void tokenWithoutIssuerIsRejectedWhenAnIssuerIsRequired() {
        long now = Instant.now().getEpochSecond();
        String token = sign(SECRET, "{\"alg\":\"HS256\"}",
                "{\"aud\":\"aiaas-control-plane\",\"sub\":\"w1\",\"iat\":" + now + ",\"exp\":" + (now + 60) + "}");
        assertEquals("w1", tokens.verify(token, Audiences.CONTROL_PLANE).subject());
        assertReason("token issuer is not aiaas-worker",
                () -> tokens.verify(token, Audiences.CONTROL_PLANE, Issuers.WORKER));
    }

    @Test
    void garbageAndMissingTokensAreRejected() {
        assertReason("missing token", () -> tokens.verify(null, Audiences.WORKER));
        assertReason("missing token", () -> tokens.verify(" ", Audiences.WORKER));
        assertReason("token is invalid", () -> tokens.verify("not.a.jwt", Audiences.WORKER));
    }

    @Test
    void secretShorterThan32BytesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InternalTokens("0123456789abcdef0123456789abcde"));
        assertEquals("aiaas.internal-auth.secret must be at least 32 bytes, got 31", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InternalTokens(null));
        assertNotNull(new InternalTokens("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void cachedSourceReusesTokenUntilHalfTheLifetimeIsGone() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        CachedTokenSource source = new CachedTokenSource(tokens, Issuers.WORKER, Audiences.CONTROL_PLANE, "w1",
                Duration.ofSeconds(60), clock);
        String first = source.token();
        clock.now = clock.now.plusSeconds(29);
        assertSame(first, source.token());
        clock.now = clock.now.plusSeconds(1);
        String second = source.token();
        assertNotEquals(first, second);
        assertEquals("w1", tokens.verify(second, Audiences.CONTROL_PLANE).subject());
    }

    private static void assertReason(String reason, org.junit.jupiter.api.function.Executable call) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, call);
        assertEquals(reason, e.getMessage());
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String secret, String header, String payload) {
        return signWith("HmacSHA256", secret, header, payload);
    }

    private static String signWith(String algorithm, String secret, String header, String payload) {
        try {
            String input = b64(header) + "." + b64(payload);
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            byte[] signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
