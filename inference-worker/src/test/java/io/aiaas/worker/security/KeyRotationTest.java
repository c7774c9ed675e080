package io.aiaas.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.worker.security.KeyRotation.Step;
import io.aiaas.worker.support.FakeControlPlane;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker replaces its own key by age against a stand-in of the control plane's rotation API (the real one is in
 * deploy/local's PlatformEndToEndIT), and finishes a rotation it was stopped in the middle of when it starts again:
 * each "restart" below is a new {@link WorkerIdentity} reading the same directory, as a new process would.
 */
class KeyRotationTest {

    private static final Duration MAX_AGE = Duration.ofDays(30);
    private static final Duration RETIRE_AFTER = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private FakeControlPlane controlPlane;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T04:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        controlPlane = FakeControlPlane.standalone();
    }

    @AfterEach
    void stop() {
        controlPlane.stop();
    }

    @Test
    void anOldKeyIsReplacedAndRetiredOnlyAfterTheNewOneSigns() throws Exception {
        WorkerIdentity identity = identity();
        SigningKey first = identity.require().key();
        KeyRotation rotation = rotation(identity);

        assertEquals(Step.NOTHING_DUE, rotation.step());
        clock.advance(MAX_AGE.minusMinutes(1));
        assertEquals(Step.NOTHING_DUE, rotation.step(), "a key younger than max-age stays");
        assertEquals(Set.of(first.keyId()), controlPlane.workerKeyIds());

        clock.advance(Duration.ofMinutes(2));
        assertEquals(Step.SWITCHED, rotation.step());
        SigningKey second = identity.enrolled().orElseThrow().key();
        assertNotEquals(first.keyId(), second.keyId());
        assertEquals(Set.of(first.keyId(), second.keyId()), controlPlane.workerKeyIds(), "both accepted for now");
        assertEquals(second.keyId(), identity.signer().key().keyId(), "tokens are signed with the new key");
        assertEquals(200, heartbeatSignedWith(first, identity), "a request signed just before the switch still passes");

        clock.advance(RETIRE_AFTER.minusSeconds(1));
        assertEquals(Step.WAITING_TO_RETIRE, rotation.step());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Step.RETIRED, rotation.step());
        assertEquals(Set.of(second.keyId()), controlPlane.workerKeyIds());
        assertEquals(1.0, meters.get("aiaas.worker.key.rotations").tag("outcome", "completed").counter().count());
        assertEquals(10.0, meters.get("aiaas.worker.key.age.seconds").gauge().value(), "made at the switch");
        assertEquals(401, heartbeatSignedWith(first, identity), "the old key is refused once retired");
        assertEquals(200, heartbeatSignedWith(second, identity));
        assertEquals(Step.NOTHING_DUE, rotation.step());

        JsonNode stored = storedIdentity();
        assertEquals(clock.instant().minus(RETIRE_AFTER).toString(), stored.path("key_created_at").asText());
        assertFalse(stored.has("retiring_key_id"));
        assertFalse(Files.exists(dir.resolve(WorkerIdentity.NEXT_KEY_FILE)));

        WorkerIdentity restarted = restart();
        assertEquals(second.keyId(), restarted.enrolled().orElseThrow().key().keyId(), "key.pem holds the new key");
        assertEquals(Step.NOTHING_DUE, rotation(restarted).step());
        clock.advance(MAX_AGE);
        assertEquals(Step.SWITCHED, rotation(restarted).step(), "and is itself replaced 30 days later");
    }

    @Test
    void stoppedAfterMakingTheNextKeyTheWorkerRegistersThatKeyWhenItStartsAgain() throws Exception {
        WorkerIdentity identity = identity();
        SigningKey first = identity.require().key();
        clock.advance(MAX_AGE.plusDays(1));
        controlPlane.failKeyCalls(1); // the control plane is down for the first attempt
        assertEquals(Step.FAILED, rotation(identity).step());
        assertEquals(1.0, meters.get("aiaas.worker.key.rotations").tag("outcome", "failed").counter().count());
        assertTrue(Files.exists(dir.resolve(WorkerIdentity.NEXT_KEY_FILE)));
        String staged = SigningKey.fromPkcs8Pem(Files.readString(dir.resolve(WorkerIdentity.NEXT_KEY_FILE))).keyId();
        assertEquals(first.keyId(), identity.enrolled().orElseThrow().key().keyId(), "nothing switched");

        WorkerIdentity restarted = restart();
        KeyRotation rotation = rotation(restarted);
        assertEquals(Step.SWITCHED, rotation.step());
        assertEquals(staged, restarted.enrolled().orElseThrow().key().keyId(), "the staged key, not another one");
        clock.advance(RETIRE_AFTER);
        assertEquals(Step.RETIRED, rotation.step());
        assertEquals(Set.of(staged), controlPlane.workerKeyIds());
    }

    @Test
    void anAnswerLostAfterTheControlPlaneAddedOrRetiredTheKeyIsNoHarm() throws Exception {
        WorkerIdentity identity = identity();
        SigningKey first = identity.require().key();
        clock.advance(MAX_AGE);
        KeyRotation rotation = rotation(identity);

        controlPlane.loseKeyAnswers(true);
        assertEquals(Step.FAILED, rotation.step(), "added, but the worker never heard so");
        assertEquals(2, controlPlane.workerKeyIds().size());
        assertEquals(first.keyId(), identity.enrolled().orElseThrow().key().keyId());
        controlPlane.loseKeyAnswers(false);
        assertEquals(Step.SWITCHED, rotation.step(), "adding the same key again is no error");
        String second = identity.enrolled().orElseThrow().key().keyId();

        clock.advance(RETIRE_AFTER);
        controlPlane.loseKeyAnswers(true);
        assertEquals(Step.FAILED, rotation.step(), "retired, but the worker never heard so");
        assertEquals(Optional.of(first.keyId()), identity.retiringKeyId());
        controlPlane.loseKeyAnswers(false);
        assertEquals(Step.RETIRED, rotation.step(), "404 for a key retired already ends the rotation too");
        assertEquals(Set.of(second), controlPlane.workerKeyIds());
        assertEquals(Optional.empty(), identity.retiringKeyId());
    }

    @Test
    void stoppedAfterTheSwitchTheWorkerRetiresTheOldKeyWhenItStartsAgain() throws Exception {
        WorkerIdentity identity = identity();
        SigningKey first = identity.require().key();
        clock.advance(MAX_AGE);
        assertEquals(Step.SWITCHED, rotation(identity).step());
        String second = identity.enrolled().orElseThrow().key().keyId();
        assertEquals(first.keyId(), storedIdentity().path("retiring_key_id").asText());

        WorkerIdentity restarted = restart();
        assertEquals(second, restarted.enrolled().orElseThrow().key().keyId());
        assertEquals(Step.RETIRED, rotation(restarted).step(), "a new process waits no retire-after: none signed with"
                + " the old key since it started");
        assertEquals(Set.of(second), controlPlane.workerKeyIds());
    }

    @Test
    void stoppedBetweenNamingTheOldKeyAndReplacingKeyPemTheSwitchIsDoneAgain() throws Exception {
        WorkerIdentity identity = identity();
        SigningKey first = identity.require().key();
        clock.advance(MAX_AGE);
        SigningKey next = identity.stageNextKey();
        // what switchTo's first write leaves: identity.json names the current key as the one to retire, key.pem is
        // still that key, key.next.pem is the next one
        ObjectNode stored = (ObjectNode) storedIdentity();
        stored.put("retiring_key_id", first.keyId());
        Files.writeString(dir.resolve(WorkerIdentity.IDENTITY_FILE), stored.toString());

        WorkerIdentity restarted = restart();
        assertEquals(first.keyId(), restarted.enrolled().orElseThrow().key().keyId());
        KeyRotation rotation = rotation(restarted);
        assertEquals(Step.SWITCHED, rotation.step(), "never a retirement of the key that signs");
        assertEquals(next.keyId(), restarted.enrolled().orElseThrow().key().keyId());
        clock.advance(RETIRE_AFTER);
        assertEquals(Step.RETIRED, rotation.step());
        assertEquals(Set.of(next.keyId()), controlPlane.workerKeyIds());
    }

    @Test
    void anIdentityStoredBeforeRotationExistedAgesByItsKeyFile() throws Exception {
        WorkerIdentity identity = identity();
        identity.require();
        ObjectNode stored = (ObjectNode) storedIdentity();
        stored.remove("key_created_at");
        Files.writeString(dir.resolve(WorkerIdentity.IDENTITY_FILE), stored.toString());
        Files.setLastModifiedTime(dir.resolve(WorkerIdentity.KEY_FILE),
                FileTime.from(clock.instant().minus(MAX_AGE.minusDays(1))));
        assertEquals(Step.NOTHING_DUE, rotation(restart()).step());

        Files.setLastModifiedTime(dir.resolve(WorkerIdentity.KEY_FILE),
                FileTime.from(clock.instant().minus(MAX_AGE.plusDays(1))));
        assertEquals(Step.SWITCHED, rotation(restart()).step());
    }

    @Test
    void zeroMaxAgeTurnsRotationOffAndAnUnenrolledWorkerWaits() throws Exception {
        WorkerIdentity identity = identity();
        KeyRotation rotation = rotation(identity);
        assertEquals(Step.NOT_ENROLLED, rotation.step());
        identity.require();
        clock.advance(Duration.ofDays(3650));
        KeyRotation off = new KeyRotation(identity, Duration.ZERO, Duration.ofHours(1), RETIRE_AFTER,
                Duration.ofSeconds(5), clock, new SimpleMeterRegistry());
        assertFalse(off.enabled());
        assertEquals(Step.OFF, off.step());
        assertEquals(1, controlPlane.workerKeyIds().size());
    }

    private WorkerIdentity identity() {
        return new WorkerIdentity(dir, Optional.of(FakeControlPlane.ENROLMENT_TOKEN), "rotating-worker",
                controlPlane.url(), Duration.ZERO, Duration.ofMinutes(10), Duration.ofSeconds(5), clock);
    }

    /** A new process on the same identity directory: it loads what the previous one left. */
    private WorkerIdentity restart() {
        WorkerIdentity identity = identity();
        identity.start(null);
        assertTrue(identity.enrolled().isPresent(), "the stored identity loads without enrolling again");
        return identity;
    }

    private KeyRotation rotation(WorkerIdentity identity) {
        return new KeyRotation(identity, MAX_AGE, Duration.ofHours(1), RETIRE_AFTER, Duration.ofSeconds(5), clock,
                meters);
    }

    private JsonNode storedIdentity() throws IOException {
        return new ObjectMapper().readTree(Files.readString(dir.resolve(WorkerIdentity.IDENTITY_FILE),
                StandardCharsets.UTF_8));
    }

    /** Registers with a token signed by {@code key}: 200, or 401 when the fake no longer accepts the key. */
    private int heartbeatSignedWith(SigningKey key, WorkerIdentity identity) throws Exception {
        String token = new InternalTokens().issue(key, Issuers.WORKER, Audiences.CONTROL_PLANE,
                identity.enrolled().orElseThrow().id().toString(), Duration.ofMinutes(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create(controlPlane.url() + "/internal/v1/workers"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
