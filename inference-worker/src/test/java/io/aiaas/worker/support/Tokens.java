package io.aiaas.worker.support;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;

/** Bearer tokens a caller might forge or replay, for the hostile-request corpus; {@code valid} is the control plane's. */
public final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** The Authorization header value for a corpus entry's {@code auth}; null for none. */
    public static String header(String kind) {
        long now = System.currentTimeMillis() / 1000;
        return switch (kind) {
            case "valid" -> "Bearer " + Worker.token();
            case "none" -> null;
            case "other-secret" -> "Bearer " + new InternalTokens("another-secret-another-secret-another-0123")
                    .issue("aiaas-platform", Audiences.WORKER, "x", Duration.ofMinutes(1));
            case "wrong-audience" -> "Bearer " + new InternalTokens(FakeControlPlane.SECRET)
                    .issue("aiaas-platform", Audiences.CONTROL_PLANE, "x", Duration.ofMinutes(1));
            case "wrong-issuer" -> "Bearer " + new InternalTokens(FakeControlPlane.SECRET)
                    .issue("aiaas-worker", Audiences.WORKER, "x", Duration.ofMinutes(1));
            case "expired" -> "Bearer " + hs256("{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"x\","
                    + "\"iat\":" + (now - 3600) + ",\"exp\":" + (now - 1800) + "}");
            case "alg-none" -> "Bearer " + B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + B64.encodeToString(("{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"x\",\"exp\":"
                    + (now + 600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
            case "no-exp" -> "Bearer " + hs256("{\"iss\":\"aiaas-platform\",\"aud\":\"aiaas-worker\",\"sub\":\"x\"}");
            case "garbage" -> "Bearer not.a.jwt";
            case "empty-bearer" -> "Bearer ";
            case "basic" -> "Basic YWxpY2U6YWxpY2U=";
            case "huge" -> "Bearer " + "a".repeat(16_000);
            default -> throw new IllegalArgumentException("unknown auth kind " + kind);
        };
    }

    /** A token signed with the real secret, claims as given: only the claims are wrong. */
    private static String hs256(String claims) {
        String signingInput = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(FakeControlPlane.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
