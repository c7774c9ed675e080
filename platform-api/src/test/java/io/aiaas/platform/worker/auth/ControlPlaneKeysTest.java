package io.aiaas.platform.worker.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the control plane's signing key comes from, what it publishes, and a rotation of it seen from a worker. */
@QuarkusTest
class ControlPlaneKeysTest {

    @Inject
    Jdbc jdbc;

    @Inject
    TestDb db;

    @Inject
    ControlPlaneKeys running;

    static InternalAuthConfig config(Path signingKeyFile, List<Path> published, boolean generate) {
        return new InternalAuthConfig() {
            @Override
            public Optional<Path> signingKeyFile() {
                return Optional.ofNullable(signingKeyFile);
            }

            @Override
            public Optional<List<Path>> publishedKeyFiles() {
                return Optional.ofNullable(published);
            }

            @Override
            public boolean generateSigningKey() {
                return generate;
            }

            @Override
            public Duration tokenTtl() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration workerKeyCacheTtl() {
                return Duration.ofSeconds(5);
            }
        };
    }

    @Test
    void generatedKeyIsTheSameForEveryReplica() {
        // a second replica starting against the same database finds the key the first one generated
        ControlPlaneKeys second = new ControlPlaneKeys(config(null, null, true), jdbc);
        assertThat(second.signingKey().keyId(), equalTo(running.signingKey().keyId()));
        assertThat(db.count("SELECT count(*) FROM internal_signing_keys"), equalTo(1L));
    }

    @Test
    void withoutAFileOrPermissionToGenerateTheStartFailsNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ControlPlaneKeys(config(null, null, false), jdbc));
        assertThat(e.getMessage(), containsString("AIAAS_INTERNAL_AUTH_SIGNING_KEY_FILE"));
        IllegalStateException unreadable = assertThrows(IllegalStateException.class,
                () -> new ControlPlaneKeys(config(Path.of("target/no-such-key.pem"), null, false), jdbc));
        assertThat(unreadable.getMessage(), containsString("no-such-key.pem"));
    }

    @Test
    void rotationPublishesTheNextKeyThenSwitchesSigningThenRetiresTheOld() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "cp-keys-" + System.nanoTime()));
        SigningKey old = SigningKey.generate();
        SigningKey next = SigningKey.generate();
        Path oldFile = Files.writeString(dir.resolve("old.pem"), old.toPkcs8Pem());
        Path nextFile = Files.writeString(dir.resolve("next.pem"), next.toPkcs8Pem());
        InternalTokens tokens = new InternalTokens();
        String worker = "7d0c6a35-2a0e-4a3c-9f0e-000000000001";

        // 1. sign with the old key, publish the next one: a worker refreshing its copy learns both
        ControlPlaneKeys step1 = new ControlPlaneKeys(config(oldFile, List.of(nextFile), false), jdbc);
        assertThat(step1.signingKey().keyId(), equalTo(old.keyId()));
        assertThat(step1.published().keyIds(), equalTo(Set.of(old.keyId(), next.keyId())));
        Jwks workerCopy = Jwks.parse(step1.published().toJson());
        // 2. switch signing to the next key, still publishing the old one
        ControlPlaneKeys step2 = new ControlPlaneKeys(config(nextFile, List.of(oldFile), false), jdbc);
        String fromOld = tokens.issue(step1.signingKey(), Issuers.PLATFORM, worker, "platform-api", Duration.ofMinutes(1));
        String fromNext = tokens.issue(step2.signingKey(), Issuers.PLATFORM, worker, "platform-api", Duration.ofMinutes(1));
        tokens.verify(fromOld, workerCopy, worker, Issuers.PLATFORM);
        tokens.verify(fromNext, workerCopy, worker, Issuers.PLATFORM);
        // 3. retire the old key: the worker's next refresh drops it
        ControlPlaneKeys step3 = new ControlPlaneKeys(config(nextFile, null, false), jdbc);
        Jwks refreshed = Jwks.parse(step3.published().toJson());
        tokens.verify(fromNext, refreshed, worker, Issuers.PLATFORM);
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> tokens.verify(fromOld, refreshed, worker, Issuers.PLATFORM));
        assertThat(e.getMessage(), equalTo("token is signed by an unknown key"));
        // a published file may hold a public key only (openssl pkey -pubout)
        Path pubFile = Files.writeString(dir.resolve("next.pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(next.publicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        assertThat(new ControlPlaneKeys(config(oldFile, List.of(pubFile), false), jdbc).published().keyIds(),
                equalTo(Set.of(old.keyId(), next.keyId())));
    }
}
