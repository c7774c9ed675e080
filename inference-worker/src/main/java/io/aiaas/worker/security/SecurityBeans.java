package io.aiaas.worker.security;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The tokens this worker presents to the control plane: ES256 with its own key, subject = its identity id. */
public class SecurityBeans {

    @Produces
    @Singleton
    CachedTokenSource controlPlaneTokens(WorkerIdentity identity) {
        return new CachedTokenSource(new InternalTokens(), identity::signer, Issuers.WORKER, Audiences.CONTROL_PLANE,
                Duration.ofSeconds(60));
    }
}
