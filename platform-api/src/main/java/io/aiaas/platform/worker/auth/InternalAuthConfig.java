package io.aiaas.platform.worker.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The control plane's keys and token lifetime for the JWTs between platform-api and the workers ({@code aiaas.internal-auth.*}). */
@ConfigMapping(prefix = "aiaas.internal-auth")
public interface InternalAuthConfig {

    /**
     * The EC P-256 private key (PKCS#8 PEM) this control plane signs its tokens to workers with (env
     * {@code AIAAS_INTERNAL_AUTH_SIGNING_KEY_FILE}); the same file for every replica.
     */
    Optional<Path> signingKeyFile();

    /**
     * More public keys to publish at {@code /internal/v1/keys} besides the signing key's (PEM {@code PUBLIC KEY} or
     * PKCS#8 files): the next key before a rotation, the previous one right after it.
     */
    Optional<List<Path>> publishedKeyFiles();

    /**
     * Without a signing-key file: generate a key once and keep it in the database, where every replica finds it.
     * Meant for development, tests and local runs (on in the dev and test profiles); production sets the file.
     */
    @WithDefault("false")
    boolean generateSigningKey();

    /** Lifetime of the tokens this process issues to call workers. */
    @WithDefault("60s")
    Duration tokenTtl();

    /** How long a worker's key, looked up by its id, is kept in memory (revocations take at most this long). */
    @WithDefault("5s")
    Duration workerKeyCacheTtl();
}
