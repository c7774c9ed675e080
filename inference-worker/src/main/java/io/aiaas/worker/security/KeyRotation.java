package io.aiaas.worker.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Replaces this worker's key when it is older than {@code aiaas.worker.key-rotation.max-age}, without a moment in
 * which the control plane refuses it: the new key is made and kept on disk, registered with a request signed by the
 * old one ({@code POST /internal/v1/workers/keys}), then signs every token, and {@code retire-after} later the old
 * one is retired with a request signed by the new one ({@code DELETE /internal/v1/workers/keys/{kid}}). Each step is
 * on disk before the next begins ({@link WorkerIdentity}), so a worker stopped anywhere in between carries on where
 * it stopped when it starts again. docs/internal-auth.md, "Rotating a worker's key".
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    private static final Duration RETRY_AT_MOST_EVERY = Duration.ofMinutes(1);
    private static final Duration TOKEN_TTL = Duration.ofSeconds(60);

    /** What one round did. */
    public enum Step {
        /** max-age is 0. */
        OFF,
        /** Not enrolled yet. */
        NOT_ENROLLED,
        /** The key is younger than max-age and nothing is left over from a rotation. */
        NOTHING_DUE,
        /** A new key is registered and signs from now on; the old one is retired after retire-after. */
        SWITCHED,
        /** The old key was switched away from less than retire-after ago. */
        WAITING_TO_RETIRE,
        /** The old key is retired at the control plane: the rotation is complete. */
        RETIRED,
        /** The control plane could not be reached or refused; the step is tried again. */
        FAILED
    }

    private final WorkerIdentity identity;
    private final Duration maxAge;
    private final Duration checkInterval;
    private final Duration retireAfter;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final InternalTokens tokens = new InternalTokens();
    private final Counter completed;
    private final Counter failed;
    private volatile Instant switchedAt = Instant.MIN;
    private volatile String lastFailure;
    private ScheduledExecutorService background;

    @Inject
    KeyRotation(WorkerIdentity identity, WorkerConfig config, MeterRegistry meters) {
        this(identity, config.keyRotation().maxAge(), config.keyRotation().checkInterval(),
                config.keyRotation().retireAfter(), config.controlPlane().requestTimeout(), Clock.systemUTC(), meters);
    }

    /**
     * Meters: {@code aiaas_worker_key_age_seconds} (the current key's age; alert well before max-age plus a few check
     * intervals) and {@code aiaas_worker_key_rotations_total{outcome=completed|failed}} (failed: one per step refused
     * or not answered, retried).
     */
    KeyRotation(WorkerIdentity identity, Duration maxAge, Duration checkInterval, Duration retireAfter,
            Duration timeout, Clock clock, MeterRegistry meters) {
        this.identity = identity;
        this.maxAge = maxAge;
        this.checkInterval = checkInterval;
        this.retireAfter = retireAfter;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        Gauge.builder("aiaas.worker.key.age.seconds", this, KeyRotation::keyAgeSeconds)
                .description("Age of the key this worker signs with").baseUnit("seconds").register(meters);
        this.completed = Counter.builder("aiaas.worker.key.rotations").tag("outcome", "completed")
                .description("Key rotations of this worker").register(meters);
        this.failed = Counter.builder("aiaas.worker.key.rotations").tag("outcome", "failed")
                .description("Key rotations of this worker").register(meters);
    }

    private double keyAgeSeconds() {
        return identity.keyCreatedAt().map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0)
                .orElse(Double.NaN);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            LOG.info("key rotation is off (aiaas.worker.key-rotation.max-age=0)");
            return;
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-key-rotation");
            t.setDaemon(true);
            return t;
        });
        schedule(Duration.ofSeconds(1));
    }

    void stop(@Observes ShutdownEvent event) {
        if (background != null) {
            background.shutdownNow();
        }
    }

    boolean enabled() {
        return !maxAge.isZero() && !maxAge.isNegative();
    }

    private void schedule(Duration delay) {
        try {
            background.schedule(this::tick, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ignored) {
            // shutting down
        }
    }

    private void tick() {
        Step step;
        try {
            step = step();
        } catch (RuntimeException e) {
            fail("key rotation failed: " + e);
            step = Step.FAILED;
        }
        schedule(switch (step) {
            case SWITCHED, WAITING_TO_RETIRE -> Duration.between(clock.instant(), switchedAt.plus(retireAfter));
            case FAILED -> checkInterval.compareTo(RETRY_AT_MOST_EVERY) < 0 ? checkInterval : RETRY_AT_MOST_EVERY;
            default -> checkInterval;
        });
    }

    /**
     * One round: finishes what a rotation left (a staged key, an old key to retire), else starts one when the key is
     * older than max-age. Blocking; tests call it directly.
     */
    public synchronized Step step() {
        if (!enabled()) {
            return Step.OFF;
        }
        Optional<WorkerIdentity.Enrolled> enrolled = identity.enrolled();
        if (enrolled.isEmpty()) {
            return Step.NOT_ENROLLED;
        }
        SigningKey current = enrolled.get().key();
        if (identity.nextKeyStaged()) {
            return addAndSwitch(enrolled.get()); // a rotation stopped before its switch
        }
        Optional<String> retiring = identity.retiringKeyId().filter(kid -> !kid.equals(current.keyId()));
        if (retiring.isPresent()) {
            if (clock.instant().isBefore(switchedAt.plus(retireAfter))) {
                return Step.WAITING_TO_RETIRE;
            }
            return retire(enrolled.get(), retiring.get());
        }
        Instant madeAt = identity.keyCreatedAt().orElse(Instant.MIN);
        if (clock.instant().isBefore(madeAt.plus(maxAge))) {
            return Step.NOTHING_DUE;
        }
        LOG.infof("key %s was made at %s, more than %s ago: rotating it", current.keyId(), madeAt, maxAge);
        return addAndSwitch(enrolled.get());
    }

    private Step addAndSwitch(WorkerIdentity.Enrolled enrolled) {
        URI uri = identity.controlPlane().resolve("internal/v1/workers/keys");
        try {
            SigningKey next = identity.stageNextKey();
            byte[] body = mapper.writeValueAsBytes(Map.of("public_key", next.publicJwk()));
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)), enrolled, enrolled.key());
            if (response.statusCode() == 409 && "worker_key_taken".equals(code(response.body()))) {
                identity.discardNextKey(); // another identity's key: never use it
                return fail("POST " + uri + " answered 409 worker_key_taken; a new key is made next time");
            }
            if (response.statusCode() != 201) {
                return fail("POST " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            identity.switchTo(next);
            switchedAt = clock.instant();
            lastFailure = null;
            return Step.SWITCHED;
        } catch (IOException e) {
            return fail("POST " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private Step retire(WorkerIdentity.Enrolled enrolled, String keyId) {
        URI uri = identity.controlPlane().resolve("internal/v1/workers/keys/" + keyId);
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).DELETE(), enrolled, enrolled.key());
            // 404: retired already (an answer lost on the way, or another round)
            if (response.statusCode() != 204 && response.statusCode() != 404) {
                return fail("DELETE " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            identity.retired(keyId);
            completed.increment();
            lastFailure = null;
            LOG.infof("key %s is retired; worker identity %s holds only key %s", keyId, enrolled.id(),
                    enrolled.key().keyId());
            return Step.RETIRED;
        } catch (IOException e) {
            return fail("DELETE " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** Sends with a token of this worker's identity signed by {@code key} (the old key adds, the new one retires). */
    private HttpResponse<String> send(HttpRequest.Builder request, WorkerIdentity.Enrolled enrolled, SigningKey key)
            throws IOException, InterruptedException {
        String token = tokens.issue(key, Issuers.WORKER, Audiences.CONTROL_PLANE, enrolled.id().toString(), TOKEN_TTL);
        return http.send(request.timeout(timeout).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String code(String body) {
        try {
            JsonNode problem = mapper.readTree(body);
            return problem.path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private Step fail(String why) {
        failed.increment();
        if (!why.equals(lastFailure)) {
            LOG.warn(why); // once per distinct reason, not once per retry
        }
        lastFailure = why;
        return Step.FAILED;
    }
}
