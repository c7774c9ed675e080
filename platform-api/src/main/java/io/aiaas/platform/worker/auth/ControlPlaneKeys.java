package io.aiaas.platform.worker.auth;

import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.platform.common.persistence.Jdbc;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The control plane's signing key and the public keys it publishes (its JWK Set). Read at start, so a missing or
 * unreadable key stops the application with a message that says what to set.
 */
@Startup
@ApplicationScoped
public class ControlPlaneKeys {

    private static final Logger LOG = Logger.getLogger(ControlPlaneKeys.class);
    /** Serialises the first generation of a key between replicas starting at the same time. */
    private static final long GENERATE_LOCK = 0x61696161735f6b31L; // "aiaas_k1"

    private final SigningKey signingKey;
    private final Jwks published;

    ControlPlaneKeys(InternalAuthConfig config, Jdbc jdbc) {
        if (config.signingKeyFile().isPresent()) {
            Path file = config.signingKeyFile().get();
            try {
                signingKey = SigningKey.fromPkcs8Pem(read(file));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("aiaas.internal-auth.signing-key-file " + file + ": " + e.getMessage());
            }
            LOG.infof("internal tokens to workers are signed with key %s from %s", signingKey.keyId(), file);
        } else if (config.generateSigningKey()) {
            signingKey = generatedKey(jdbc);
            LOG.warnf("internal tokens to workers are signed with key %s, generated and kept in the database;"
                    + " set aiaas.internal-auth.signing-key-file in production", signingKey.keyId());
        } else {
            throw new IllegalStateException("aiaas.internal-auth.signing-key-file is not set: set"
                    + " AIAAS_INTERNAL_AUTH_SIGNING_KEY_FILE to an EC P-256 private key in PKCS#8 PEM (openssl genpkey"
                    + " -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing-key.pem), the same file for every"
                    + " replica; or, outside production, AIAAS_INTERNAL_AUTH_GENERATE_SIGNING_KEY=true");
        }
        List<ECPublicKey> keys = new ArrayList<>();
        keys.add(signingKey.publicKey());
        for (Path file : config.publishedKeyFiles().orElse(List.of())) {
            try {
                keys.add(Jwks.publicKeyFromPem(read(file)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("aiaas.internal-auth.published-key-files " + file + ": "
                        + e.getMessage());
            }
        }
        published = Jwks.of(keys);
        LOG.infof("published control-plane keys: %s", published.keyIds());
    }

    /** The key tokens to workers are signed with. */
    public SigningKey signingKey() {
        return signingKey;
    }

    /** The signing key's public half and every additional published key. */
    public Jwks published() {
        return published;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The oldest generated key, generating one under an advisory lock when there is none yet. */
    private static SigningKey generatedKey(Jdbc jdbc) {
        String pem = jdbc.inTransaction(c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, GENERATE_LOCK);
            List<String> existing = Jdbc.query(c,
                    "SELECT private_pem FROM internal_signing_keys ORDER BY created_at, kid LIMIT 1",
                    rs -> rs.getString(1));
            if (!existing.isEmpty()) {
                return existing.get(0);
            }
            SigningKey fresh = SigningKey.generate();
            Jdbc.update(c, "INSERT INTO internal_signing_keys (kid, private_pem) VALUES (?, ?)", fresh.keyId(),
                    fresh.toPkcs8Pem());
            return fresh.toPkcs8Pem();
        });
        return SigningKey.fromPkcs8Pem(pem);
    }
}
