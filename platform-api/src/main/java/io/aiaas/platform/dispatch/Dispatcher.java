package io.aiaas.platform.dispatch;

import io.aiaas.platform.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Picks the worker for a call (least outstanding requests of this replica among the workers where the version is
 * READY) and forwards it. A call that got no answer (a refused connection, a kept-alive connection that broke because
 * the worker went away) or that reached a worker not holding the version after all moves once to another worker.
 * What the worker answers is sorted here: the client's mistakes (4xx) pass through, the worker's own failures become
 * 502, never a 4xx or a 500 that looks like the client's fault.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int ATTEMPTS = 2;

    private final RoutingTable routes;
    private final WorkerClient client;
    private final long suspectNanos;
    private final ConcurrentHashMap<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Long> suspectUntil = new ConcurrentHashMap<>();

    Dispatcher(RoutingTable routes, WorkerClient client, DispatchConfig config) {
        this.routes = routes;
        this.client = client;
        this.suspectNanos = config.suspectFor().toNanos();
    }

    /**
     * Forwards the body to a worker holding the version and returns its answer when it is a success or the
     * client's mistake (2xx, 4xx).
     *
     * @param tried told of each worker the call goes to, so the call's usage row can name the last one
     * @throws ApiException 503 with Retry-After when no worker holds the version or none could be reached, 504 when
     *     the worker did not answer in time, 502 when the worker failed on its side
     */
    public WorkerReply forward(UUID modelVersionId, String model, int version, ForwardedBody body, String requestId,
            Consumer<WorkerTarget> tried) {
        List<WorkerTarget> candidates = routes.readyWorkers(modelVersionId);
        String name = "model " + model + " version " + version;
        boolean unreachable = false;
        WorkerTarget excluded = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            WorkerTarget worker = pick(candidates, excluded);
            if (worker == null) {
                break;
            }
            tried.accept(worker);
            WorkerReply reply;
            try {
                reply = call(worker, model, version, body, requestId);
            } catch (WorkerClient.UnreachableException e) {
                LOG.debugf("%s: %s", name, e.getMessage());
                suspect(worker);
                excluded = worker;
                unreachable = true;
                continue;
            }
            int status = reply.status();
            if (status == 404 || status == 503) {
                // The worker lost or is still loading the version: our routing is a heartbeat behind. Nothing was
                // computed, so another worker may take the call; a 404 must not tell the client the model is unknown.
                excluded = worker;
                unreachable = false;
                continue;
            }
            if (status >= 500 || status == 401 || status == 403 || status < 200 || (status >= 300 && status < 400)) {
                LOG.warnf("worker %s answered %d for %s (request id %s): %s", worker.url(), status, name, requestId,
                        new String(reply.body(), 0, Math.min(reply.body().length, 500), StandardCharsets.UTF_8));
                throw ApiException.of(502, "worker_failed", "The worker failed to run " + name
                        + " (its fault, not the request's); quote request id " + requestId + " when reporting it");
            }
            return reply;
        }
        if (unreachable) {
            throw ApiException.unavailable("worker_unreachable",
                    "No worker for " + name + " could be reached; retry shortly");
        }
        throw ApiException.unavailable("no_worker", name + " is not ready on any worker; retry shortly");
    }

    /** Calls in flight from this replica to the worker (for tests and metrics). */
    public int inFlight(UUID workerId) {
        AtomicInteger count = inFlight.get(workerId);
        return count == null ? 0 : count.get();
    }

    /** True while this replica ranks the worker last because a recent exchange with it failed. */
    public boolean isSuspected(UUID workerId) {
        Long until = suspectUntil.get(workerId);
        return until != null && until - System.nanoTime() > 0;
    }

    private WorkerReply call(WorkerTarget worker, String model, int version, ForwardedBody body, String requestId)
            throws WorkerClient.UnreachableException {
        AtomicInteger count = inFlight.computeIfAbsent(worker.id(), k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            WorkerReply reply = client.infer(worker, model, version, body, requestId);
            suspectUntil.remove(worker.id());
            return reply;
        } finally {
            count.decrementAndGet();
        }
    }

    private void suspect(WorkerTarget worker) {
        suspectUntil.put(worker.id(), System.nanoTime() + suspectNanos);
    }

    /**
     * The candidate with the fewest calls in flight, skipping {@code exclude} and (while others exist) workers that
     * recently refused a connection; ties go to a random one so replicas do not all pile on the same worker.
     */
    WorkerTarget pick(List<WorkerTarget> candidates, WorkerTarget exclude) {
        int size = candidates.size();
        if (size == 0) {
            return null;
        }
        int offset = size == 1 ? 0 : ThreadLocalRandom.current().nextInt(size);
        WorkerTarget best = null;
        long bestScore = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            WorkerTarget candidate = candidates.get((offset + i) % size);
            if (exclude != null && candidate.id().equals(exclude.id())) {
                continue;
            }
            boolean suspected = isSuspected(candidate.id());
            // A suspected worker ranks after every healthy one, yet stays usable when it is all there is.
            long score = inFlight(candidate.id()) + (suspected ? 1_000_000L : 0L);
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }
}
