package io.aiaas.platform.testsupport;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * User access tokens for tests, signed with the key that {@code OidcWiremockTestResource} publishes (kid "1") and
 * shaped like Keycloak's: {@code sub}, {@code email}, {@code preferred_username}, {@code realm_access.roles}.
 * Test classes need {@code @QuarkusTestResource(OidcWiremockTestResource.class)}.
 */
public final class Tokens {

    /** The issuer the test profile expects (quarkus.oidc.token.issuer). */
    public static final String ISSUER = "https://server.example.com";
    public static final String PLATFORM_ADMIN = "platform-admin";

    private Tokens() {
    }

    /** A platform admin (realm role platform-admin), like Keycloak's demo user admin. */
    public static String admin() {
        return token("admin-" + UUID.randomUUID(), "admin@aiaas.test", PLATFORM_ADMIN);
    }

    /** A person with the given e-mail and no realm roles. */
    public static String user(String email) {
        return token("sub-" + UUID.randomUUID(), email);
    }

    /** A person whose e-mail address the identity provider has not verified. */
    public static String unverified(String email) {
        return token("sub-" + UUID.randomUUID(), email, false);
    }

    /** A person with an explicit subject, verified e-mail (may be null) and realm roles. */
    public static String token(String subject, String email, String... roles) {
        return token(subject, email, true, roles);
    }

    /** A person with an explicit subject, e-mail (may be null), its verification and realm roles. */
    public static String token(String subject, String email, boolean emailVerified, String... roles) {
        var claims = Jwt.claims()
                .issuer(ISSUER)
                .subject(subject)
                .claim("preferred_username", email == null ? subject : email.substring(0, email.indexOf('@')))
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .expiresIn(3600);
        if (email != null) {
            claims.claim("email", email);
            claims.claim("email_verified", emailVerified);
        }
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }

    /** A platform admin's token that expired an hour ago. */
    public static String expired() {
        return Jwt.claims().issuer(ISSUER).subject("sub-" + UUID.randomUUID()).claim("email", "late@example.test")
                .claim("email_verified", true).claim("realm_access", Map.of("roles", List.of(PLATFORM_ADMIN)))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .jws().keyId("1").sign("privateKey.jwk");
    }

    /** A platform admin's token, properly signed, from an issuer the platform does not trust. */
    public static String wrongIssuer() {
        return Jwt.claims().issuer("https://evil.example.com").subject("sub-" + UUID.randomUUID())
                .claim("realm_access", Map.of("roles", List.of(PLATFORM_ADMIN))).expiresIn(3600)
                .jws().keyId("1").sign("privateKey.jwk");
    }

    /** A platform admin's token signed with a key of our own making under the trusted key id. */
    public static String forged() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            PrivateKey key = generator.generateKeyPair().getPrivate();
            return Jwt.claims().issuer(ISSUER).subject("sub-" + UUID.randomUUID())
                    .claim("realm_access", Map.of("roles", List.of(PLATFORM_ADMIN))).expiresIn(3600)
                    .jws().keyId("1").sign(key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A platform admin's token with {@code "alg": "none"} and no signature. */
    public static String unsigned() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"1\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"root\",\"exp\":" + (Instant.now().getEpochSecond() + 3600)
                + ",\"realm_access\":{\"roles\":[\"" + PLATFORM_ADMIN + "\"]}}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The Authorization header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
