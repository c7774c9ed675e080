package io.aiaas.worker.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This worker's identity: its own EC P-256 key pair, generated at first start and kept in
 * {@code aiaas.worker.identity-dir} (files of mode 600), the identity id the control plane gave it at enrolment, and
 * the control plane's public keys (JWK Set) it verifies incoming calls with. A worker with a stored identity does not
 * enrol again; without one it enrols with {@code aiaas.worker.enrolment-token}, retrying in the background until the
 * control plane answers.
 */
@ApplicationScoped
public class WorkerIdentity {

    private static final Logger LOG = Logger.getLogger(WorkerIdentity.class);
    static final String KEY_FILE = "key.pem";
    static final String NEXT_KEY_FILE = "key.next.pem";
    static final String IDENTITY_FILE = "identity.json";
    private static final long FIRST_RETRY_MS = 250;
    private static final long MAX_RETRY_MS = 5000;

    /** What enrolment gave this worker. */
    public record Enrolled(UUID id, SigningKey key) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;
    private final Optional<String> enrolmentToken;
    private final String name;
    private final URI controlPlane;
    private final Duration refreshMinInterval;
    private final Duration keysMaxAge;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock;
    private volatile Enrolled enrolled;
    /** When this worker's current key was made (identity.json; key.pem's modification time for older files). */
    private volatile Instant keyCreatedAt;
    /** The key a rotation switched away from and has not retired at the control plane yet. */
    private volatile String retiringKeyId;
    private volatile Jwks controlPlaneKeys = Jwks.of(java.util.List.of());
    private volatile Instant keysFetchedAt = Instant.MIN;
    private volatile String lastFailure;
    private ScheduledExecutorService background;

    @Inject
    WorkerIdentity(WorkerConfig config) {
        this(config.identityDir(), config.enrolmentToken(), config.name(), config.controlPlane().url(),
                config.controlPlaneKeys().refreshMinInterval(), config.controlPlaneKeys().maxAge(),
                config.controlPlane().requestTimeout(), Clock.systemUTC());
    }

    WorkerIdentity(Path dir, Optional<String> enrolmentToken, String name, String controlPlaneUrl,
            Duration refreshMinInterval, Duration keysMaxAge, Duration timeout, Clock clock) {
        this.dir = dir.toAbsolutePath();
        this.enrolmentToken = enrolmentToken.map(String::strip).filter(t -> !t.isEmpty());
        this.name = name;
        this.controlPlane = URI.create(controlPlaneUrl.endsWith("/") ? controlPlaneUrl : controlPlaneUrl + "/");
        this.refreshMinInterval = refreshMinInterval;
        this.keysMaxAge = keysMaxAge;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    void start(@Observes StartupEvent event) {
        if (load()) {
            return;
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-enrolment");
            t.setDaemon(true);
            return t;
        });
        background.execute(() -> enrolWithRetries(FIRST_RETRY_MS));
    }

    void stop(@Observes ShutdownEvent event) {
        if (background != null) {
            background.shutdownNow();
        }
    }

    /** The identity, when enrolled; never blocks. */
    public Optional<Enrolled> enrolled() {
        return Optional.ofNullable(enrolled);
    }

    /**
     * The identity, enrolling now if that has not happened yet (blocks for one attempt).
     *
     * @throws IllegalStateException when the worker is not enrolled and this attempt failed
     */
    public Enrolled require() {
        Enrolled current = enrolled;
        if (current != null) {
            return current;
        }
        if (!tryEnrol()) {
            throw new IllegalStateException("worker is not enrolled with the control plane: " + lastFailure);
        }
        return enrolled;
    }

    /** Who signs this worker's tokens to the control plane: subject = identity id, its current key. */
    public CachedTokenSource.Signer signer() {
        Enrolled current = require();
        return new CachedTokenSource.Signer(current.id().toString(), current.key());
    }

    /** The control plane's public keys as last fetched. */
    public Jwks controlPlaneKeys() {
        return controlPlaneKeys;
    }

    /** Whether a refresh of the control plane's keys may run now (at most one per refresh-min-interval). */
    public boolean mayRefreshKeys() {
        return !clock.instant().isBefore(keysFetchedAt.plus(refreshMinInterval));
    }

    /** Whether the keys are older than max-age, so that a retired key is dropped even if no new one shows up. */
    public boolean keysStale() {
        return !clock.instant().isBefore(keysFetchedAt.plus(keysMaxAge));
    }

    /**
     * Fetches {@code GET /internal/v1/keys} from the configured control plane and replaces the keys (blocking; call
     * off the event loop). Rate-limited: a call within refresh-min-interval of the last one does nothing.
     *
     * @return whether the keys were fetched
     */
    public synchronized boolean refreshKeys() {
        if (!mayRefreshKeys()) {
            return false;
        }
        keysFetchedAt = clock.instant();
        URI uri = controlPlane.resolve("internal/v1/keys");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("GET %s answered %d; keeping the control plane's keys %s", uri, response.statusCode(),
                        controlPlaneKeys.keyIds());
                return false;
            }
            Jwks fresh = Jwks.parse(response.body());
            if (!fresh.keyIds().equals(controlPlaneKeys.keyIds())) {
                LOG.infof("control plane keys now %s (were %s)", fresh.keyIds(), controlPlaneKeys.keyIds());
            }
            controlPlaneKeys = fresh;
            Enrolled current = enrolled;
            if (current != null) {
                writeIdentity(current.id(), fresh);
            }
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("cannot refresh the control plane's keys from %s: %s", uri, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The control plane this worker enrolled with (its base URL, ending in /). */
    URI controlPlane() {
        return controlPlane;
    }

    /** When the current key was made; empty before enrolment. */
    Optional<Instant> keyCreatedAt() {
        return enrolled == null ? Optional.empty() : Optional.ofNullable(keyCreatedAt);
    }

    /** The key a rotation switched away from, still to be retired at the control plane. */
    Optional<String> retiringKeyId() {
        return Optional.ofNullable(retiringKeyId);
    }

    /** Whether a rotation made its next key and has not switched to it yet (found on disk after a restart too). */
    boolean nextKeyStaged() {
        return Files.exists(dir.resolve(NEXT_KEY_FILE));
    }

    /**
     * Rotation, step one: the key to switch to, written to {@code key.next.pem} before anyone hears of it, so that a
     * worker stopped after registering it still holds it; the staged one when there is one.
     */
    synchronized SigningKey stageNextKey() throws IOException {
        return keyIn(NEXT_KEY_FILE);
    }

    /** Forgets a staged key the control plane refused, so that the next rotation makes a new one. */
    synchronized void discardNextKey() throws IOException {
        Files.deleteIfExists(dir.resolve(NEXT_KEY_FILE));
    }

    /**
     * Rotation, step two, once the control plane holds {@code next}: the identity file names the current key as the
     * one to retire, then {@code key.next.pem} replaces {@code key.pem}, then tokens are signed with it. Stopped
     * between the two writes, the worker starts on the old key with the next one still staged and does this again.
     */
    synchronized void switchTo(SigningKey next) throws IOException {
        Enrolled current = enrolled;
        if (current == null) {
            throw new IllegalStateException("not enrolled");
        }
        if (current.key().keyId().equals(next.keyId())) {
            return;
        }
        retiringKeyId = current.key().keyId();
        keyCreatedAt = clock.instant();
        writeIdentity(current.id(), controlPlaneKeys);
        move(dir.resolve(NEXT_KEY_FILE), dir.resolve(KEY_FILE));
        enrolled = new Enrolled(current.id(), next);
        LOG.infof("worker identity %s signs with its new key %s now; key %s is to be retired", current.id(),
                next.keyId(), retiringKeyId);
    }

    /** Rotation, last step: the control plane no longer accepts {@code keyId}. */
    synchronized void retired(String keyId) throws IOException {
        Enrolled current = enrolled;
        if (current != null && keyId.equals(retiringKeyId)) {
            retiringKeyId = null;
            writeIdentity(current.id(), controlPlaneKeys);
        }
    }

    private void enrolWithRetries(long delayMs) {
        if (tryEnrol()) {
            return;
        }
        try {
            background.schedule(() -> enrolWithRetries(Math.min(delayMs * 2, MAX_RETRY_MS)), delayMs,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down
        }
    }

    /** Loads a stored identity; false when there is none. */
    private synchronized boolean load() {
        Path identityFile = dir.resolve(IDENTITY_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (!Files.exists(identityFile) || !Files.exists(keyFile)) {
            return false;
        }
        try {
            JsonNode identity = mapper.readTree(identityFile.toFile());
            SigningKey key = SigningKey.fromPkcs8Pem(Files.readString(keyFile, StandardCharsets.US_ASCII));
            controlPlaneKeys = Jwks.parse(identity.get("control_plane_keys").toString());
            keyCreatedAt = identity.hasNonNull("key_created_at")
                    ? Instant.parse(identity.get("key_created_at").asText())
                    : Files.getLastModifiedTime(keyFile).toInstant();
            retiringKeyId = identity.hasNonNull("retiring_key_id") ? identity.get("retiring_key_id").asText() : null;
            enrolled = new Enrolled(UUID.fromString(identity.get("identity_id").asText()), key);
            LOG.infof("worker identity %s (key %s) from %s", enrolled.id(), key.keyId(), dir);
            return true;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the worker identity in " + dir + " cannot be read (" + e.getMessage()
                    + "); remove the directory to enrol again with a new enrolment token");
        }
    }

    /** One enrolment attempt; true when enrolled (now or before). */
    private synchronized boolean tryEnrol() {
        if (enrolled != null) {
            return true;
        }
        if (enrolmentToken.isEmpty()) {
            fail("no identity in " + dir + " and no enrolment token: set AIAAS_WORKER_ENROLMENT_TOKEN");
            return false;
        }
        URI uri = controlPlane.resolve("internal/v1/enrolments");
        try {
            SigningKey key = keyForEnrolment();
            byte[] body = mapper.writeValueAsBytes(Map.of("token", enrolmentToken.get(), "name", name,
                    "public_key", key.publicJwk()));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 409) {
                // the key is registered already (an enrolment whose answer was lost): start over with a new one
                Files.deleteIfExists(dir.resolve(KEY_FILE));
                fail("POST " + uri + " answered 409: " + detail(response.body()) + "; retrying with a new key");
                return false;
            }
            if (response.statusCode() != 201) {
                fail("POST " + uri + " answered " + response.statusCode() + ": " + detail(response.body()));
                return false;
            }
            JsonNode answer = mapper.readTree(response.body());
            UUID id = UUID.fromString(answer.get("identity_id").asText());
            Jwks keys = Jwks.parse(answer.get("jwks").toString());
            keyCreatedAt = clock.instant();
            writeIdentity(id, keys);
            controlPlaneKeys = keys;
            keysFetchedAt = clock.instant();
            enrolled = new Enrolled(id, key);
            LOG.infof("enrolled with control plane %s as worker identity %s (key %s)", controlPlane, id, key.keyId());
            return true;
        } catch (IOException | RuntimeException e) {
            fail("enrolment at " + uri + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return false;
        }
    }

    private void fail(String why) {
        if (!why.equals(lastFailure)) {
            LOG.warn(why); // once per distinct reason, not once per retry
        }
        lastFailure = why;
    }

    private String detail(String body) {
        try {
            JsonNode problem = mapper.readTree(body);
            return problem.path("detail").asText(problem.path("error").asText(body));
        } catch (IOException e) {
            return body.substring(0, Math.min(200, body.length()));
        }
    }

    /** The key pair to enrol with: the one on disk from an earlier attempt, or a new one written first. */
    private SigningKey keyForEnrolment() throws IOException {
        return keyIn(KEY_FILE);
    }

    /** The key pair in {@code file} of the identity directory, or a new one written there first. */
    private SigningKey keyIn(String file) throws IOException {
        Path keyFile = dir.resolve(file);
        if (Files.exists(keyFile)) {
            return SigningKey.fromPkcs8Pem(Files.readString(keyFile, StandardCharsets.US_ASCII));
        }
        SigningKey key = SigningKey.generate();
        writePrivate(keyFile, key.toPkcs8Pem());
        return key;
    }

    private void writeIdentity(UUID id, Jwks keys) throws IOException {
        ObjectNode identity = mapper.createObjectNode();
        identity.put("identity_id", id.toString());
        identity.put("name", name);
        identity.put("control_plane", controlPlane.toString());
        identity.set("control_plane_keys", mapper.readTree(keys.toJson()));
        identity.put("key_created_at", keyCreatedAt.toString());
        if (retiringKeyId != null) {
            identity.put("retiring_key_id", retiringKeyId);
        }
        writePrivate(dir.resolve(IDENTITY_FILE), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(identity));
    }

    /** Writes a file readable by this user only (600), in a directory of mode 700, replacing it atomically. */
    private void writePrivate(Path file, String content) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (posix) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        move(temp, file);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
