package io.aiaas.platform.worker.auth;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.VerifiedToken;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Issues the control-plane JWTs sent to workers and verifies the ones workers send here. Created at start, so a
 * missing or short secret stops the application with a message that says what to set.
 */
@Startup
@ApplicationScoped
public class InternalAuth {

    private final InternalTokens tokens;
    private final CachedTokenSource workerTokens;

    InternalAuth(InternalAuthConfig config) {
        String secret = config.secret().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "aiaas.internal-auth.secret is not set: set AIAAS_INTERNAL_AUTH_SECRET to a random value of at least"
                        + " 32 bytes, the same for platform-api and every inference-worker"));
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("aiaas.internal-auth.secret (AIAAS_INTERNAL_AUTH_SECRET) is shorter than"
                    + " 32 bytes: HS256 needs at least 32 bytes of secret");
        }
        this.tokens = new InternalTokens(secret);
        this.workerTokens = new CachedTokenSource(tokens, Issuers.PLATFORM, Audiences.WORKER, "platform-api",
                config.tokenTtl());
    }

    /** A token for calling a worker, reused until half of its lifetime is gone. */
    public String workerToken() {
        return workerTokens.token();
    }

    /** Verifies a token sent by a worker to the control plane (audience aiaas-control-plane, issuer aiaas-worker). */
    public VerifiedToken verifyWorkerToken(String token) throws InvalidTokenException {
        return tokens.verify(token, Audiences.CONTROL_PLANE, Issuers.WORKER);
    }
}
