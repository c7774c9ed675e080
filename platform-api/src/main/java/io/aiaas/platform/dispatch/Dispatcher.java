package io.aiaas.platform.dispatch;

import io.aiaas.platform.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the worker for a call (least outstanding requests of this replica among the workers where the version is
 * READY) and forwards it; a refused connection, or a worker that does not hold the version after all, moves the
 * call once to another worker.
 */
@ApplicationScoped
public class Dispatcher {

    private final RoutingTable routes;
    private final WorkerClient client;
    private final long suspectNanos;
    private final ConcurrentHashMap<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Long> suspectUntil = new ConcurrentHashMap<>();

    Dispatcher(RoutingTable routes, WorkerClient client, GatewayConfig config) {
        this.routes = routes;
        this.client = client;
        this.suspectNanos = config.suspectFor().toNanos();
    }

    /**
     * Forwards the body to a worker holding the version and returns its answer, whatever its status.
     *
     * @throws DispatchException when no worker holds the version, none could be reached, or the call timed out
     */
    public WorkerReply forward(UUID modelVersionId, String model, int version, byte[] body, String requestId) {
        List<WorkerTarget> candidates = routes.readyWorkers(modelVersionId);
        if (candidates.isEmpty()) {
            throw new DispatchException(DispatchException.Failure.NO_WORKER, null,
                    "model " + model + " version " + version + " is not ready on any worker; retry shortly");
        }
        WorkerTarget first = pick(candidates, null);
        WorkerReply reply;
        try {
            reply = call(first, model, version, body, requestId);
        } catch (WorkerClient.UnreachableException e) {
            suspect(first);
            return retry(candidates, first, model, version, body, requestId, DispatchException.Failure.UNREACHABLE,
                    "no worker for model " + model + " version " + version + " could be reached; retry shortly");
        }
        if (notServing(reply)) {
            // The worker lost or is still loading the version: our routing is a heartbeat behind. Nothing was
            // computed, so another worker may take the call; a 404 must not tell the client the model is unknown.
            return retry(candidates, first, model, version, body, requestId, DispatchException.Failure.NO_WORKER,
                    "model " + model + " version " + version + " is not ready on any worker; retry shortly");
        }
        return reply;
    }

    private WorkerReply retry(List<WorkerTarget> candidates, WorkerTarget failed, String model, int version,
            byte[] body, String requestId, DispatchException.Failure failure, String message) {
        WorkerTarget second = pick(candidates, failed);
        if (second == null) {
            throw new DispatchException(failure, failed, message);
        }
        WorkerReply reply;
        try {
            reply = call(second, model, version, body, requestId);
        } catch (WorkerClient.UnreachableException again) {
            suspect(second);
            throw new DispatchException(DispatchException.Failure.UNREACHABLE, second,
                    "no worker for model " + model + " version " + version + " could be reached; retry shortly");
        }
        if (notServing(reply)) {
            throw new DispatchException(DispatchException.Failure.NO_WORKER, second,
                    "model " + model + " version " + version + " is not ready on any worker; retry shortly");
        }
        return reply;
    }

    /** The worker's 404 (version not loaded) and 503 (still loading) say it cannot serve the version yet. */
    private static boolean notServing(WorkerReply reply) {
        return reply.status() == 404 || reply.status() == 503;
    }

    /** Calls in flight from this replica to the worker (for tests and metrics). */
    public int inFlight(UUID workerId) {
        AtomicInteger count = inFlight.get(workerId);
        return count == null ? 0 : count.get();
    }

    /** True while this replica avoids the worker because it recently refused a connection. */
    public boolean isSuspected(UUID workerId) {
        Long until = suspectUntil.get(workerId);
        return until != null && until - System.nanoTime() > 0;
    }

    private WorkerReply call(WorkerTarget worker, String model, int version, byte[] body, String requestId)
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
