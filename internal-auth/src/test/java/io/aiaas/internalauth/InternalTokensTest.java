package io.aiaas.internalauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

class InternalTokensTest {

    private static final SigningKey KEY = SigningKey.generate();
    private static final SigningKey OTHER = SigningKey.generate();
    private static final String WORKER_A = "0b7a4c1e-0000-4000-8000-00000000000a";
    private static final String WORKER_B = "0b7a4c1e-0000-4000-8000-00000000000b";

    private final InternalTokens tokens = new InternalTokens();
    private final Jwks keys = Jwks.of(List.of(KEY.publicKey()));

    @Test
    void issuedTokenVerifiesWithItsClaimsAndNamesItsKey() {
        String token = tokens.issue(KEY, Issuers.PLATFORM, WORKER_A, "platform-api", Duration.ofSeconds(60));
        VerifiedToken verified = tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        assertEquals(Issuers.PLATFORM, verified.issuer());
        assertEquals(WORKER_A, verified.audience());
        assertEquals("platform-api", verified.subject());
        assertEquals(KEY.keyId(), verified.keyId());
        assertTrue(verified.expiresAt().isAfter(Instant.now().plusSeconds(50)));
        assertTrue(verified.expiresAt().isBefore(Instant.now().plusSeconds(61)));
        assertTrue(header(token).contains("\"alg\":\"ES256\""), header(token));
        assertTrue(header(token).contains("\"kid\":\"" + KEY.keyId() + "\""), header(token));
    }

    @Test
    void tokenForOneWorkerIsRefusedByAnother() {
        String token = tokens.issue(KEY, Issuers.PLATFORM, WORKER_A, "platform-api", Duration.ofSeconds(60));
        assertReason("token audience does not match", () -> tokens.verify(token, keys, WORKER_B, Issuers.PLATFORM));
    }

    @Test
    void wrongIssuerIsRejected() {
        String token = tokens.issue(KEY, Issuers.WORKER, Audiences.CONTROL_PLANE, "w1", Duration.ofSeconds(60));
        assertEquals("w1", tokens.verify(token, keys, Audiences.CONTROL_PLANE, Issuers.WORKER).subject());
        assertReason("token issuer is not aiaas-platform",
                () -> tokens.verify(token, keys, Audiences.CONTROL_PLANE, Issuers.PLATFORM));
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRejected() {
        String token = tokens.issue(OTHER, Issuers.PLATFORM, WORKER_A, "p", Duration.ofSeconds(60));
        assertReason("token is signed by an unknown key", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void tokenSignedByAnotherKeyUnderAKnownKidIsRejected() {
        // the kid is only a hint for the lookup: the signature must verify with the key found under it
        String token = sign(OTHER, KEY.keyId(), claims(Issuers.PLATFORM, WORKER_A, 0, 60));
        assertReason("token signature is invalid", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void expiredTokenIsRejected() {
        String token = sign(KEY, KEY.keyId(), claims(Issuers.PLATFORM, WORKER_A, -120, -60));
        assertReason("token expired", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void tokenIssuedInTheFutureIsRejected() {
        String token = sign(KEY, KEY.keyId(), claims(Issuers.PLATFORM, WORKER_A, 3600, 3660));
        assertReason("token is issued in the future", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String token = tokens.issue(KEY, Issuers.PLATFORM, WORKER_A, "p", Duration.ofSeconds(60));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(WORKER_A, WORKER_B);
        String forged = parts[0] + "." + b64(payload) + "." + parts[2];
        assertReason("token signature is invalid", () -> tokens.verify(forged, keys, WORKER_B, Issuers.PLATFORM));
    }

    @Test
    void algNoneTokenIsRejected() {
        String unsigned = b64("{\"alg\":\"none\",\"kid\":\"" + KEY.keyId() + "\"}") + "."
                + b64(claims(Issuers.PLATFORM, WORKER_A, 0, 60)) + ".";
        assertReason("token algorithm is not ES256", () -> tokens.verify(unsigned, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void hmacTokenKeyedWithThePublicKeyIsRejected() {
        // the classic confusion: HS256 "signed" with the verifier's public key bytes
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + KEY.keyId() + "\"}";
        String input = b64(header) + "." + b64(claims(Issuers.PLATFORM, WORKER_A, 0, 60));
        String token = input + "." + hmac(KEY.publicKey().getEncoded(), input);
        assertReason("token algorithm is not ES256", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void tokenWithoutKidIsRejected() {
        String token = sign(KEY, null, claims(Issuers.PLATFORM, WORKER_A, 0, 60));
        assertReason("token names no signing key (kid)", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void tokenWithoutExpiryIssuedAtOrSubjectIsRejected() {
        long now = Instant.now().getEpochSecond();
        String noExp = sign(KEY, KEY.keyId(), "{\"iss\":\"aiaas-platform\",\"aud\":\"" + WORKER_A
                + "\",\"sub\":\"p\",\"iat\":" + now + "}");
        String noIat = sign(KEY, KEY.keyId(), "{\"iss\":\"aiaas-platform\",\"aud\":\"" + WORKER_A
                + "\",\"sub\":\"p\",\"exp\":" + (now + 60) + "}");
        String noSub = sign(KEY, KEY.keyId(), "{\"iss\":\"aiaas-platform\",\"aud\":\"" + WORKER_A
                + "\",\"iat\":" + now + ",\"exp\":" + (now + 60) + "}");
        for (String token : List.of(noExp, noIat, noSub)) {
            assertReason("token lacks required claims", () -> tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
        }
    }

    @Test
    void garbageAndMissingTokensAreRejected() {
        assertReason("missing token", () -> tokens.verify(null, keys, WORKER_A, Issuers.PLATFORM));
        assertReason("missing token", () -> tokens.verify(" ", keys, WORKER_A, Issuers.PLATFORM));
        assertReason("token is invalid", () -> tokens.verify("not.a.jwt", keys, WORKER_A, Issuers.PLATFORM));
        assertReason("token is invalid", () -> tokens.verify("a".repeat(5000) + ".b.c", keys, WORKER_A,
                Issuers.PLATFORM));
    }

    @Test
    void pemRoundTripKeepsTheKeyAndItsId() {
        SigningKey read = SigningKey.fromPkcs8Pem(KEY.toPkcs8Pem());
        assertEquals(KEY.keyId(), read.keyId());
        assertEquals(KEY.publicKey().getW(), read.publicKey().getW());
        // a token signed with the key read back verifies with the original public key
        String token = tokens.issue(read, Issuers.PLATFORM, WORKER_A, "p", Duration.ofSeconds(60));
        assertEquals("p", tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM).subject());
    }

    @Test
    void publicKeyComputedFromThePrivateKeyMatchesTheGeneratedOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            var pair = generator.generateKeyPair();
            SigningKey key = SigningKey.of((java.security.interfaces.ECPrivateKey) pair.getPrivate());
            assertEquals(((ECPublicKey) pair.getPublic()).getW(), key.publicKey().getW());
        }
    }

    @Test
    void opensslPemIsRead() {
        // openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 (PKCS#8 with the public key inside)
        String pem = """
                -----BEGIN PRIVATE KEY-----
                MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgW4clrb0Y5Taif1bR
                RCdSPDIT3Qu3kn750YP8IpvvEPqhRANCAATDzB5QhMlKHZbx8foBThPZ4+SHo6x+
                lnxkzswyJWfRQgEg8hIVluTrEcf+0gAFwFsfnhGFI8gCWTsPuWvBlm8h
                -----END PRIVATE KEY-----
                """;
        SigningKey key = SigningKey.fromPkcs8Pem(pem);
        // openssl pkey -in key.pem -pubout: the public key we compute must be the one openssl wrote
        String opensslPublic = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEw8weUITJSh2W8fH6AU4T2ePkh6Os"
                + "fpZ8ZM7MMiVn0UIBIPISFZbk6xHH/tIABcBbH54RhSPIAlk7D7lrwZZvIQ==";
        assertEquals(opensslPublic, Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
        assertEquals("P-256", Jwks.toJwk(key.publicKey()).get("crv"));
        assertEquals(key.keyId(), Jwks.keyId(key.publicKey()));
        String publicPem = "-----BEGIN PUBLIC KEY-----\n" + opensslPublic + "\n-----END PUBLIC KEY-----\n";
        assertEquals(key.keyId(), Jwks.keyId(Jwks.publicKeyFromPem(publicPem)));
        assertEquals(key.keyId(), Jwks.keyId(Jwks.publicKeyFromPem(pem)));
        assertThrows(IllegalArgumentException.class, () -> Jwks.publicKeyFromPem("-----BEGIN CERTIFICATE-----"));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromPkcs8Pem("-----BEGIN EC PRIVATE KEY-----"));
        assertThrows(IllegalArgumentException.class,
                () -> SigningKey.fromPkcs8Pem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"));
    }

    @Test
    void keyIdIsTheRfc7638Thumbprint() {
        // RFC 7638 section 3.1 gives an RSA example only; for EC the thumbprint input is {"crv","kty","x","y"}
        java.util.Map<String, Object> jwk = Jwks.toJwk(KEY.publicKey());
        String input = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), KEY.keyId());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(KEY.keyId(), jwk.get("kid"));
        assertEquals("ES256", jwk.get("alg"));
        assertFalse(jwk.containsKey("d"));
    }

    @Test
    void jwksRoundTripAndRefusesPrivateOffCurveAndMislabelledKeys() {
        Jwks set = Jwks.of(List.of(KEY.publicKey(), OTHER.publicKey()));
        Jwks parsed = Jwks.parse(set.toJson());
        assertEquals(set.keyIds(), parsed.keyIds());
        assertEquals(KEY.publicKey().getW(), parsed.find(KEY.keyId()).orElseThrow().getW());
        assertEquals(set.keyIds(), Jwks.fromMap(set.toMap()).keyIds());

        java.util.Map<String, Object> jwk = new java.util.HashMap<>(KEY.publicJwk());
        jwk.put("d", "AAAA");
        assertThrows(IllegalArgumentException.class, () -> Jwks.parseJwk(jwk));
        java.util.Map<String, Object> offCurve = new java.util.HashMap<>(KEY.publicJwk());
        offCurve.put("y", OTHER.publicJwk().get("y"));
        offCurve.remove("kid");
        assertThrows(IllegalArgumentException.class, () -> Jwks.parseJwk(offCurve));
        java.util.Map<String, Object> wrongKid = new java.util.HashMap<>(KEY.publicJwk());
        wrongKid.put("kid", OTHER.keyId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jwks.parseJwk(wrongKid));
        assertTrue(e.getMessage().contains("thumbprint"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jwks.parse("{\"keys\": [{\"kty\": \"oct\", \"k\": \"AAAA\"}]}"));
        assertThrows(IllegalArgumentException.class, () -> Jwks.parse("not json"));
    }

    @Test
    void cachedSourceReusesTokenUntilHalfTheLifetimeIsGoneOrTheKeyChanges() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        AtomicReference<CachedTokenSource.Signer> signer = new AtomicReference<>(new CachedTokenSource.Signer("w1", KEY));
        CachedTokenSource source = new CachedTokenSource(tokens, signer::get, Issuers.WORKER, Audiences.CONTROL_PLANE,
                Duration.ofSeconds(60), clock);
        String first = source.token();
        clock.now = clock.now.plusSeconds(29);
        assertSame(first, source.token());
        clock.now = clock.now.plusSeconds(1);
        String second = source.token();
        assertNotEquals(first, second);
        assertSame(second, source.token());
        signer.set(new CachedTokenSource.Signer("w1", OTHER));
        String third = source.token();
        assertEquals(OTHER.keyId(), InternalTokens.keyId(third));
    }

    @Test
    void audienceTokensAreCachedPerAudience() {
        AudienceTokens perWorker = new AudienceTokens(tokens, () -> new CachedTokenSource.Signer("platform-api", KEY),
                Issuers.PLATFORM, Duration.ofSeconds(60));
        String a = perWorker.token(WORKER_A);
        assertSame(a, perWorker.token(WORKER_A));
        String b = perWorker.token(WORKER_B);
        assertEquals(WORKER_B, tokens.verify(b, keys, WORKER_B, Issuers.PLATFORM).audience());
        assertReason("token audience does not match", () -> tokens.verify(a, keys, WORKER_B, Issuers.PLATFORM));
    }

    @Test
    void aTokenVerifiedOnceIsAnsweredWithoutASecondSignatureCheckForTheSameAudienceAndIssuer() {
        String token = tokens.issue(KEY, Issuers.PLATFORM, WORKER_A, "platform-api", Duration.ofSeconds(60));
        VerifiedToken first = tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        for (int i = 0; i < 50; i++) {
            assertEquals(first, tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM));
        }
        assertEquals(1, tokens.signatureChecks());

        // remembered for one audience and issuer only: the same text for another is checked, and refused
        assertReason("token audience does not match", () -> tokens.verify(token, keys, WORKER_B, Issuers.PLATFORM));
        assertReason("token issuer is not aiaas-worker", () -> tokens.verify(token, keys, WORKER_A, Issuers.WORKER));
        assertEquals(3, tokens.signatureChecks());
        // and a token differing in one character of its signature is another token: checked, and refused. The
        // signature's first character (its last one carries padding bits a decoder may ignore: same bytes, valid)
        int at = token.lastIndexOf('.') + 1;
        String forged = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThrows(InvalidTokenException.class, () -> tokens.verify(forged, keys, WORKER_A, Issuers.PLATFORM));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsRetiredOrReplaced() {
        String token = tokens.issue(KEY, Issuers.PLATFORM, WORKER_A, "platform-api", Duration.ofSeconds(60));
        tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);

        assertReason("token is signed by an unknown key",
                () -> tokens.verify(token, Jwks.of(List.of(OTHER.publicKey())), WORKER_A, Issuers.PLATFORM));
        // another public key under the same kid: the remembered answer was given by the old key, so it is checked
        VerificationKeys replaced = kid -> java.util.Optional.of(OTHER.publicKey());
        assertReason("token signature is invalid", () -> tokens.verify(token, replaced, WORKER_A, Issuers.PLATFORM));
        assertEquals(2, tokens.signatureChecks());
    }

    @Test
    void aRememberedTokenIsCheckedAgainOnceItHasExpired() throws InterruptedException {
        String token = sign(KEY, KEY.keyId(), claims(Issuers.PLATFORM, WORKER_A, 0, 1));
        VerifiedToken verified = tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        assertEquals(1, tokens.signatureChecks());

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), verified.expiresAt()).toMillis()) + 50);

        // within jose4j's clock skew a full check still accepts it; what matters is that it is checked again
        tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        assertEquals(2, tokens.signatureChecks());
    }

    @Test
    void theRememberedTokensStayBounded() {
        for (int i = 0; i < InternalTokens.MAX_REMEMBERED + 10; i++) {
            String token = sign(KEY, KEY.keyId(), claims(Issuers.PLATFORM, WORKER_A, 0, 60).replace("\"sub\":\"p\"",
                    "\"sub\":\"p" + i + "\""));
            tokens.verify(token, keys, WORKER_A, Issuers.PLATFORM);
        }
        assertTrue(tokens.remembered() <= InternalTokens.MAX_REMEMBERED, "remembered " + tokens.remembered());
    }

    private static String claims(String issuer, String audience, long iatOffset, long expOffset) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"p\",\"iat\":" + (now + iatOffset)
                + ",\"exp\":" + (now + expOffset) + "}";
    }

    /** An ES256 token with exactly these claims, signed by {@code key} and naming {@code kid} (none when null). */
    static String sign(SigningKey key, String kid, String claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            jws.setKey(key.privateKey());
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

    private static String hmac(byte[] secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
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
