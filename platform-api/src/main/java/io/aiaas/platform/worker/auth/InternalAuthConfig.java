package io.aiaas.platform.worker.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The shared secret and token lifetime of the JWTs between platform-api and the workers ({@code aiaas.internal-auth.*}). */
@ConfigMapping(prefix = "aiaas.internal-auth")
public interface InternalAuthConfig {

    /** HS256 secret, at least 32 bytes, the same in every process (env {@code AIAAS_INTERNAL_AUTH_SECRET}). */
    Optional<String> secret();

    /** Lifetime of the tokens this process issues to call workers. */
    @WithDefault("60s")
    Duration tokenTtl();
}
