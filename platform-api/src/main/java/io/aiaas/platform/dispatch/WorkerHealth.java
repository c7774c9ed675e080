package io.aiaas.platform.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * This replica's view of which workers answer: a worker that fails {@code aiaas.dispatch.eject-after-failures} calls
 * in a row (no answer, a 5xx of its own, a timeout), that refuses a connection, or that says it is draining is
 * ejected at once (it gets no call from this replica, even when it is the last one) until its readiness probe answers
 * 200. Also keeps the per-worker calls in flight and the routing metrics.
 */
@ApplicationScoped
public class WorkerHealth {

    private static final Logger LOG = Logger.getLogger(WorkerHealth.class);
    static final String EJECTIONS = "aiaas.dispatch.worker.ejections";
    static final String IN_FLIGHT = "aiaas.dispatch.in.flight";

    /** One worker as this replica sees it. */
    private final class State {
        final WorkerTarget worker;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicBoolean probing = new AtomicBoolean();
        volatile String ejectedBecause;
        final Counter ejections;
        final Gauge gauge;

        State(WorkerTarget worker) {
            this.worker = worker;
            this.ejections = Counter.builder(EJECTIONS).description("Workers ejected by this replica's routing")
                    .tag("worker", worker.name()).register(meters);
            this.gauge = Gauge.builder(IN_FLIGHT, this, s -> inFlightOfName(s.worker.name()))
                    .description("Calls this replica has in flight to the worker").tag("worker", worker.name())
                    .register(meters);
        }
    }

    private final Map<UUID, State> workers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final WorkerClient client;
    private final int ejectAfter;
    private final Duration probeTimeout;
    private final Duration probeInterval;
    private final Vertx vertx;
    private long timer = -1;

    WorkerHealth(MeterRegistry meters, WorkerClient client, DispatchConfig config, Vertx vertx) {
        this.meters = meters;
        this.client = client;
        this.ejectAfter = Math.max(1, config.ejectAfterFailures());
        this.probeTimeout = config.probeTimeout();
        this.probeInterval = config.probeInterval();
        this.vertx = vertx;
    }

    // a Vert.x timer rather than @Scheduled: Quarkus's scheduler runs nothing more often than once a second
    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(Math.max(50, probeInterval.toMillis()), id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private State state(WorkerTarget worker) {
        return workers.computeIfAbsent(worker.id(), id -> new State(worker));
    }

    /** A call goes to the worker; answers the counter to give back with {@link #finished}. */
    AtomicInteger started(WorkerTarget worker) {
        AtomicInteger count = state(worker).inFlight;
        count.incrementAndGet();
        return count;
    }

    void finished(AtomicInteger count) {
        count.decrementAndGet();
    }

    /** The worker answered (a success or the client's mistake): its run of failures ends. */
    void answered(WorkerTarget worker) {
        state(worker).failures.set(0);
    }

    /** The worker failed a call (no answer, its own 5xx, a timeout): ejected after enough in a row. */
    void failed(WorkerTarget worker, String why) {
        State s = state(worker);
        if (s.failures.incrementAndGet() >= ejectAfter) {
            eject(worker, s.failures.get() + " failures in a row, the last: " + why);
        }
    }

    /** Ejects the worker now (it refused a connection, or it is draining). */
    void eject(WorkerTarget worker, String why) {
        State s = state(worker);
        if (s.ejectedBecause == null) {
            s.ejectedBecause = why;
            s.ejections.increment();
            LOG.warnf("worker %s (%s) ejected from routing on this replica: %s", worker.name(), worker.url(), why);
        }
    }

    /** Whether this replica sends the worker no calls now. */
    public boolean isEjected(UUID workerId) {
        State s = workers.get(workerId);
        return s != null && s.ejectedBecause != null;
    }

    /** Failures in a row of the worker as this replica counted them. */
    public int consecutiveFailures(UUID workerId) {
        State s = workers.get(workerId);
        return s == null ? 0 : s.failures.get();
    }

    /** Calls in flight from this replica to the worker. */
    public int inFlight(UUID workerId) {
        State s = workers.get(workerId);
        return s == null ? 0 : s.inFlight.get();
    }

    private double inFlightOfName(String name) {
        return workers.values().stream().filter(s -> s.worker.name().equals(name))
                .mapToInt(s -> s.inFlight.get()).sum();
    }

    /** Probes every ejected worker's readiness; one that answers 200 takes calls again. */
    void probe() {
        for (State s : workers.values()) {
            if (s.ejectedBecause == null || !s.probing.compareAndSet(false, true)) {
                continue;
            }
            client.probe(s.worker, probeTimeout).whenComplete((status, failure) -> {
                s.probing.set(false);
                if (failure == null && status == 200 && s.ejectedBecause != null) {
                    s.failures.set(0);
                    s.ejectedBecause = null;
                    LOG.infof("worker %s (%s) answered its readiness probe: back in routing", s.worker.name(),
                            s.worker.url());
                }
            });
        }
    }

    /**
     * The routing table now holds these workers: the others are forgotten (state and meters) once no call of this
     * replica is in flight to them, so metrics stay bounded by the workers that exist.
     */
    void retain(Collection<WorkerTarget> present) {
        Set<UUID> ids = present.stream().map(WorkerTarget::id).collect(Collectors.toSet());
        workers.values().removeIf(s -> {
            if (ids.contains(s.worker.id()) || s.inFlight.get() > 0) {
                return false;
            }
            meters.remove(s.ejections);
            if (workers.values().stream().noneMatch(o -> o != s && o.worker.name().equals(s.worker.name()))) {
                meters.remove(s.gauge);
            }
            return true;
        });
    }
}
