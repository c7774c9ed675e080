package io.aiaas.worker.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.worker.config.WorkerConfig;
import io.aiaas.worker.inference.InferenceService;
import io.aiaas.worker.lifecycle.WorkerLifecycle;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelState;
import io.aiaas.worker.model.ModelVersion;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps this worker known to the control plane: registers once HTTP is up (with its memory budgets), heartbeats with
 * its placements (state, reason, estimated memory) and whether it drains, and loads or unloads model versions so that
 * they match the {@code desired} list in each answer: the versions the control plane placed here. It tells
 * {@link WorkerLifecycle} when it is registered and when a desired list is settled (readiness), and deregisters when
 * the worker drains. All of it runs on one thread, so registration state needs no locking.
 */
@ApplicationScoped
public class ControlPlaneLink {

    private static final Logger LOG = Logger.getLogger(ControlPlaneLink.class);
    private static final long FIRST_RETRY_MS = 250;

    private final WorkerConfig config;
    private final ModelRegistry registry;
    private final InferenceService inference;
    private final OnnxEngine engine;
    private final ControlPlaneClient client;
    private final ObjectMapper mapper;
    private final WorkerLifecycle lifecycle;
    private ScheduledExecutorService executor;
    private boolean stopped;
    private String advertisedUrl;
    private String workerId;
    private long intervalMs = 2000;
    private long retryMs = FIRST_RETRY_MS;
    private boolean reachable = true;

    public ControlPlaneLink(WorkerConfig config, ModelRegistry registry, InferenceService inference, OnnxEngine engine,
                            CachedTokenSource tokens, ObjectMapper mapper, WorkerLifecycle lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.inference = inference;
        this.engine = engine;
        this.mapper = mapper;
        this.client = new ControlPlaneClient(mapper, config.controlPlane().url(), tokens::token,
                config.controlPlane().requestTimeout());
    }

    void onHttpStarted(@ObservesAsync HttpServerStart started) {
        if (!config.controlPlane().enabled() || executor != null) {
            return;
        }
        advertisedUrl = config.advertisedUrl().orElseGet(() -> "http://127.0.0.1:" + actualPort(started));
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-plane-link");
            t.setDaemon(true);
            return t;
        });
        registry.onLoadFinished(version -> submit(this::heartbeatOnce));
        LOG.infof("worker '%s' at %s links to control plane %s", config.name(), advertisedUrl, config.controlPlane().url());
        submit(this::tick);
    }

    /** With port 0 the options still say 0 (or -1); Quarkus publishes the bound port as a system property. */
    private static int actualPort(HttpServerStart started) {
        int port = started.options().getPort();
        if (port > 0) {
            return port;
        }
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String value = System.getProperty(property);
        return value != null ? Integer.parseInt(value)
                : ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8090);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Stops heartbeating and deregisters ({@code DELETE /internal/v1/workers/{id}}) after one last heartbeat that says
     * the worker drains; on the link's thread, waiting up to {@code timeout}.
     *
     * @return true when the control plane acknowledged the deregistration
     */
    public boolean deregister(Duration timeout) {
        if (executor == null) {
            return false;
        }
        Future<Boolean> done;
        try {
            done = executor.submit(() -> {
                stopped = true;
                if (workerId == null) {
                    return false;
                }
                try {
                    client.heartbeat(workerId, heartbeat());
                } catch (ControlPlaneClient.UnreachableException e) {
                    // the deregistration below is what matters
                }
                try {
                    client.deregister(workerId);
                    LOG.infof("deregistered worker %s from the control plane", workerId);
                    workerId = null;
                    lifecycle.registered(false);
                    return true;
                } catch (ControlPlaneClient.UnreachableException e) {
                    LOG.warnf("could not deregister from the control plane (%s); it will mark the worker down when "
                            + "heartbeats stop", e.getMessage());
                    return false;
                }
            });
        } catch (RejectedExecutionException e) {
            return false;
        }
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Registers and heartbeats again after {@link #deregister}: only tests call this. */
    public void resume() {
        if (executor == null) {
            return;
        }
        submit(() -> {
            if (stopped) {
                stopped = false;
                tick();
            }
        });
    }

    /** The id the control plane gave this worker; null until registered. Visible for tests. */
    public String workerId() {
        return workerId;
    }

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException ignored) {
            // shutting down
        }
    }

    private void schedule(long delayMs) {
        try {
            executor.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ignored) {
            // shutting down
        }
    }

    /** One round of the regular loop; schedules the next one unless the link was stopped (drain). */
    private void tick() {
        if (stopped) {
            return;
        }
        boolean ok = heartbeatOnce();
        if (ok) {
            retryMs = FIRST_RETRY_MS;
            schedule(intervalMs);
        } else {
            schedule(retryMs);
            retryMs = Math.min(retryMs * 2, config.controlPlane().maxRetryInterval().toMillis());
        }
    }

    /** Registers when needed, then sends one heartbeat and reconciles; false when the control plane was unreachable. */
    private boolean heartbeatOnce() {
        if (stopped) {
            return false;
        }
        try {
            if (workerId == null) {
                register();
            }
            Optional<ControlPlaneMessages.HeartbeatAnswer> answer = client.heartbeat(workerId, heartbeat());
            if (answer.isEmpty()) {
                LOG.infof("control plane does not know worker id %s; registering again", workerId);
                workerId = null;
                lifecycle.registered(false);
                register();
                answer = client.heartbeat(workerId, heartbeat());
            }
            if (!reachable) {
                LOG.infof("control plane %s reachable again", config.controlPlane().url());
                reachable = true;
            }
            answer.ifPresent(a -> {
                List<ControlPlaneMessages.Desired> desired = a.desired() == null ? List.of() : a.desired();
                reconcile(desired);
                if (!lifecycle.isSettled() && settled(desired)) {
                    LOG.infof("the %d version(s) placed here are settled: ready", desired.size());
                    lifecycle.settled();
                }
            });
            return true;
        } catch (ControlPlaneClient.UnreachableException e) {
            if (reachable) {
                // One line per outage, not one per attempt.
                LOG.warnf("control plane unreachable (%s); retrying with back-off", e.getMessage());
                reachable = false;
            }
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat round failed: %s", e.toString());
            return false;
        }
    }

    private void register() throws ControlPlaneClient.UnreachableException {
        ControlPlaneMessages.Registered registered = client.register(
                new ControlPlaneMessages.Register(config.name(), advertisedUrl, engine.defaultDevice(),
                        new ControlPlaneMessages.Memory(registry.budget().hostBytes(), registry.budget().deviceBytes())));
        workerId = registered.id();
        lifecycle.registered(true);
        if (registered.heartbeatIntervalMs() > 0) {
            intervalMs = registered.heartbeatIntervalMs();
        }
        LOG.infof("registered with control plane as %s (heartbeat every %d ms)", workerId, intervalMs);
    }

    /**
     * The example as compact JSON, null for none. Anything but an object is passed on as it is, so that the load
     * fails with a reason the control plane sees in the placement.
     */
    private String exampleJson(JsonNode example) {
        if (example == null || example.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(example);
        } catch (JsonProcessingException e) {
            return "invalid";
        }
    }

    private ControlPlaneMessages.Heartbeat heartbeat() {
        List<ControlPlaneMessages.Placement> placements = registry.all().stream()
                .map(v -> new ControlPlaneMessages.Placement(v.key().name(), v.key().version(), v.sha256(),
                        v.state().name(), v.reason(), v.memory().totalBytes()))
                .toList();
        return new ControlPlaneMessages.Heartbeat(inference.outstanding(), lifecycle.draining(), placements);
    }

    /**
     * Whether every desired version is READY, EVICTED, or FAILED for a reason a retry will not soon cure (its
     * artifact or example, or no room in the memory budget).
     */
    private boolean settled(List<ControlPlaneMessages.Desired> desired) {
        for (ControlPlaneMessages.Desired d : desired) {
            if (d.model() == null || d.sha256() == null) {
                continue;
            }
            Optional<ModelVersion> here = registry.find(new ModelKey(d.model(), d.version()));
            if (here.isEmpty()) {
                return false;
            }
            ModelVersion v = here.get();
            boolean done = switch (v.state()) {
                case READY, EVICTED -> true;
                case FAILED -> v.failedForGood() || v.failedForRoom();
                case LOADING -> false;
            };
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /** Loads what is desired and missing (asynchronously), unloads what is here and not desired. */
    private void reconcile(List<ControlPlaneMessages.Desired> desired) {
        Set<ModelKey> wanted = new HashSet<>();
        for (ControlPlaneMessages.Desired d : desired) {
            if (d.model() == null || d.sha256() == null) {
                LOG.warnf("ignoring a desired entry without model or sha256");
                continue;
            }
            ModelKey key = new ModelKey(d.model(), d.version());
            wanted.add(key);
            String example = exampleJson(d.example());
            Optional<ModelVersion> here = registry.find(key);
            boolean needsLoad = here.isEmpty()
                    || !here.get().sameAs(d.sha256(), example)
                    || (here.get().state() == ModelState.FAILED && here.get().worthRetrying());
            if (needsLoad) {
                try {
                    registry.load(key, d.sha256(), example, d.sizeBytes());
                } catch (RuntimeException e) {
                    LOG.warnf("cannot load %s: %s", key, e.getMessage());
                }
            }
        }
        for (ModelVersion version : registry.all()) {
            if (!wanted.contains(version.key())) {
                registry.unload(version.key()); // counted as unload reason "undesired"
            }
        }
    }
}
