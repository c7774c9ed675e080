package io.aiaas.localstack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs user tokens for a stack started without Keycloak: platform-api verifies them with this issuer's public key
 * ({@code quarkus.oidc.public-key}) instead of fetching Keycloak's keys, and reads the same claims a Keycloak token of
 * realm aiaas carries (subject, preferred_username, e-mail, realm roles). A fresh RSA key pair per stack, held in
 * memory only.
 */
public final class LocalTokenIssuer {

    /** The issuer claim of every token; platform-api checks none when it verifies with a public key. */
    public static final String ISSUER = "aiaas-local-stack";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private LocalTokenIssuer(KeyPair keys) {
        this.keys = keys;
    }

    /** A new issuer with a new 2048-bit RSA key pair (RS256, as Keycloak signs by default). */
    public static LocalTokenIssuer generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new LocalTokenIssuer(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key pair: " + e.getMessage(), e);
        }
    }

    /** The public key as {@code quarkus.oidc.public-key} takes it: the X.509 SubjectPublicKeyInfo in base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /**
     * A signed access token for {@code username} (subject {@code local-<username>}, e-mail
     * {@code <username>@local.test}, verified) holding the realm roles given, valid for {@code ttl}.
     */
    public String token(String username, List<String> realmRoles, Duration ttl) {
        Instant now = Instant.now();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "local-" + username);
        claims.put("typ", "Bearer");
        claims.put("jti", UUID.randomUUID().toString());
        // a second of slack for a clock read on the other side just before this one
        claims.put("iat", now.getEpochSecond() - 1);
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("preferred_username", username);
        claims.put("email", username + "@local.test");
        claims.put("email_verified", true);
        claims.put("realm_access", Map.of("roles", List.copyOf(realmRoles)));
        String signed = part(header) + "." + part(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    private static String part(Map<String, Object> json) {
        return URL.encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
