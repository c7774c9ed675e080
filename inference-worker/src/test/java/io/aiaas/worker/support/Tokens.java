package io.aiaas.worker.support;

import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** Bearer tokens a caller might forge or replay, for the hostile-request corpus; {@code valid} is the control plane's. */
public final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final InternalTokens TOKENS = new InternalTokens();

    private Tokens() {
    }

    /** The Authorization header value for a corpus entry's {@code auth}; null for none. */
    public static String header(String kind) {
        long now = System.currentTimeMillis() / 1000;
        FakeControlPlane cp = FakeControlPlane.shared();
        return switch (kind) {
            case "valid" -> "Bearer " + Worker.token();
            case "none" -> null;
            // a key the control plane never published (the corpus keeps the name of the HS256 days)
            case "other-secret" -> "Bearer " + TOKENS.issue(SigningKey.generate(), Issuers.PLATFORM, cp.identityId(),
                    "x", Duration.ofMinutes(1));
            case "wrong-audience" -> "Bearer " + TOKENS.issue(cp.signingKey(), Issuers.PLATFORM,
                    UUID.randomUUID().toString(), "x", Duration.ofMinutes(1));
            case "wrong-issuer" -> "Bearer " + TOKENS.issue(cp.signingKey(), Issuers.WORKER, cp.identityId(), "x",
                    Duration.ofMinutes(1));
            case "expired" -> "Bearer " + es256(cp, "{\"iss\":\"aiaas-platform\",\"aud\":\"" + cp.identityId()
                    + "\",\"sub\":\"x\",\"iat\":" + (now - 3600) + ",\"exp\":" + (now - 1800) + "}");
            case "alg-none" -> "Bearer " + B64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + cp.signingKey().keyId()
                    + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(("{\"iss\":\"aiaas-platform\","
                    + "\"aud\":\"" + cp.identityId() + "\",\"sub\":\"x\",\"exp\":" + (now + 600) + "}")
                    .getBytes(StandardCharsets.UTF_8)) + ".";
            case "no-exp" -> "Bearer " + es256(cp, "{\"iss\":\"aiaas-platform\",\"aud\":\"" + cp.identityId()
                    + "\",\"sub\":\"x\",\"iat\":" + now + "}");
            case "garbage" -> "Bearer not.a.jwt";
            case "empty-bearer" -> "Bearer ";
            case "basic" -> "Basic YWxpY2U6YWxpY2U=";
            case "huge" -> "Bearer " + "a".repeat(16_000);
            default -> throw new IllegalArgumentException("unknown auth kind " + kind);
        };
    }

    /** A token signed with the control plane's real key, claims as given: only the claims are wrong. */
    static String es256(FakeControlPlane cp, String claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setKeyIdHeaderValue(cp.signingKey().keyId());
            jws.setKey(cp.signingKey().privateKey());
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
