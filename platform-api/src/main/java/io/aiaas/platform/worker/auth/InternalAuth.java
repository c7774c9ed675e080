package io.aiaas.platform.worker.auth;

import io.aiaas.internalauth.AudienceTokens;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues the control-plane JWTs sent to workers (ES256 with the control plane's key, audience = the worker's
 * identity id) and verifies the ones workers send here (ES256 with the worker's own registered key; the subject must
 * be the identity that key belongs to).
 */
@ApplicationScoped
public class InternalAuth {

    /** The subject of the control plane's tokens. */
    public static final String SUBJECT = "platform-api";

    private final InternalTokens tokens = new InternalTokens();
    private final AudienceTokens workerTokens;
    private final WorkerKeys workerKeys;

    InternalAuth(InternalAuthConfig config, ControlPlaneKeys keys, WorkerKeys workerKeys) {
        CachedTokenSource.Signer signer = new CachedTokenSource.Signer(SUBJECT, keys.signingKey());
        this.workerTokens = new AudienceTokens(tokens, () -> signer, Issuers.PLATFORM, config.tokenTtl());
        this.workerKeys = workerKeys;
    }

    /** A token for calling the worker whose identity (and row) id this is, reused until half its lifetime is gone. */
    public String workerToken(UUID workerId) {
        return workerTokens.token(workerId.toString());
    }

    /**
     * Verifies a token sent by a worker to the control plane (audience aiaas-control-plane, issuer aiaas-worker,
     * signed by a registered key of the identity named in {@code sub}).
     */
    public VerifiedToken verifyWorkerToken(String token) throws InvalidTokenException {
        String keyId = InternalTokens.keyId(token);
        WorkerKeys.WorkerKey key = workerKeys.find(keyId)
                .orElseThrow(() -> new InvalidTokenException("token is signed by an unknown key"));
        VerifiedToken verified = tokens.verify(token, id -> Optional.of(key.publicKey()), Audiences.CONTROL_PLANE,
                Issuers.WORKER);
        if (!key.identityId().toString().equals(verified.subject())) {
            throw new InvalidTokenException("token subject is not the identity of its signing key");
        }
        return verified;
    }
}
