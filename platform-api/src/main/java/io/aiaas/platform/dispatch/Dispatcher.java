package io.aiaas.platform.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.common.error.ApiException;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Picks the worker for a call (least outstanding requests of this replica among the workers where the version is
 * READY, then those where it is EVICTED; never an ejected one: see {@link WorkerHealth}) and forwards it. A call
 * that got no answer (a refused connection, a kept-alive connection that broke because the worker went away), or that reached a worker not holding the version after all or whose queue for it was full
 * (503), moves once to another worker; when every worker tried was busy the client gets 503 {@code worker_busy}
 * with the worker's Retry-After.
 * What the worker answers is sorted here: the client's mistakes (4xx) pass through, the worker's own failures become
 * 502, never a 4xx or a 500 that looks like the client's fault.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int ATTEMPTS = 2;
    private static final ObjectMapper ERRORS = new ObjectMapper();

    private final RoutingTable routes;
    private final WorkerClient client;
    private final WorkerHealth health;

    Dispatcher(RoutingTable routes, WorkerClient client, WorkerHealth health) {
        this.routes = routes;
        this.client = client;
        this.health = health;
    }

    /**
     * Forwards the body to a worker holding the version; completes with its answer when it is a success or the
     * client's mistake (2xx, 4xx). No thread waits meanwhile: the stage completes on an event loop.
     *
     * @param gaveUp completes when the client went away: the exchange with the worker is reset and none other tried
     * @param tried told of each worker the call goes to, so the call's usage row can name the last one
     * @return fails with {@link ApiException} 503 with Retry-After when no worker holds the version, none could be
     *     reached or every one tried was busy (its queue full), 504 when the worker did not answer in time, 502 when
     *     the worker failed on its side
     */
    public CompletionStage<WorkerReply> forward(UUID modelVersionId, String model, int version, ForwardedBody body,
            String requestId, CompletionStage<Void> gaveUp, Consumer<WorkerTarget> tried) {
        Call call = new Call(routes.readyWorkers(modelVersionId), "model " + model + " version " + version, model,
                version, body, requestId, gaveUp.toCompletableFuture(), tried);
        return attempt(call, 0, null);
    }

    /** One call's state across its attempts. */
    private static final class Call {
        final List<WorkerTarget> candidates;
        final String name;
        final String model;
        final int version;
        final ForwardedBody body;
        final String requestId;
        final CompletableFuture<Void> gaveUp;
        final Consumer<WorkerTarget> tried;
        boolean unreachable;
        WorkerReply busy;

        Call(List<WorkerTarget> candidates, String name, String model, int version, ForwardedBody body,
                String requestId, CompletableFuture<Void> gaveUp, Consumer<WorkerTarget> tried) {
            this.candidates = candidates;
            this.gaveUp = gaveUp;
            this.name = name;
            this.model = model;
            this.version = version;
            this.body = body;
            this.requestId = requestId;
            this.tried = tried;
        }
    }

    private CompletionStage<WorkerReply> attempt(Call call, int attempt, WorkerTarget excluded) {
        if (call.gaveUp.isDone()) {
            return CompletableFuture.failedStage(ApiException.of(499, "client_gone", "The client closed the "
                    + "connection before the answer; the call to " + call.name + " was abandoned"));
        }
        WorkerTarget worker = attempt < ATTEMPTS ? pick(call.candidates, excluded) : null;
        if (worker == null) {
            if (attempt == 0 && !call.candidates.isEmpty()) {
                call.unreachable = true; // every worker holding it is ejected: say so at once, try none
            }
            return CompletableFuture.failedStage(noAnswer(call));
        }
        call.tried.accept(worker);
        AtomicInteger count = health.started(worker);
        CompletionStage<WorkerReply> sent;
        try {
            sent = client.infer(worker, call.model, call.version, call.body, call.requestId, call.gaveUp);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedStage(e);
        }
        return sent.handle((reply, failure) -> {
            health.finished(count);
            Throwable cause = unwrap(failure);
            if (cause instanceof WorkerClient.UnreachableException unreachable) {
                if (call.gaveUp.isDone()) {
                    return attempt(call, attempt, worker); // we closed it: the worker is not to blame, and none other
                }
                LOG.debugf("%s: %s", call.name, cause.getMessage());
                if (unreachable.connectFailed) {
                    health.eject(worker, cause.getMessage());
                } else {
                    health.failed(worker, cause.getMessage());
                }
                call.unreachable = true;
                return attempt(call, attempt + 1, worker);
            }
            if (cause != null) {
                if (cause instanceof ApiException e && e.status() == 504) {
                    health.failed(worker, "no answer within the worker timeout");
                }
                return CompletableFuture.<WorkerReply>failedStage(cause);
            }
            int status = reply.status();
            if (status == 503 && reply.draining()) {
                // it is shutting down: no new call from this replica until the registry drops it (or it is ready)
                health.eject(worker, "it is draining");
                call.unreachable = false;
                call.busy = null;
                return attempt(call, attempt + 1, worker);
            }
            if (status >= 500 && status != 503) {
                health.failed(worker, "it answered " + status);
            } else {
                health.answered(worker);
            }
            if (status == 404 || status == 503) {
                // The worker lost or is still loading the version (our routing is a heartbeat behind), or its queue
                // for the version is full. Nothing was computed, so another worker may take the call; a 404 must not
                // tell the client the model is unknown.
                call.unreachable = false;
                call.busy = status == 503 ? reply : null;
                return attempt(call, attempt + 1, worker);
            }
            if (status >= 500 || status == 401 || status == 403 || status < 200 || (status >= 300 && status < 400)) {
                LOG.warnf("worker %s answered %d for %s (request id %s): %s", worker.url(), status, call.name,
                        call.requestId, reply.body().getString(0, Math.min(reply.body().length(), 500),
                                StandardCharsets.UTF_8.name()));
                return CompletableFuture.<WorkerReply>failedStage(ApiException.of(502, "worker_failed",
                        "The worker failed to run " + call.name + " (its fault, not the request's); quote request id "
                                + call.requestId + " when reporting it"));
            }
            return CompletableFuture.completedStage(reply);
        }).thenCompose(next -> next);
    }

    /** Why no worker answered the call: the last thing that happened decides. */
    private static ApiException noAnswer(Call call) {
        if (call.busy != null) {
            return ApiException.unavailable("worker_busy", "Every worker holding " + call.name + " that was tried is "
                    + "busy (" + errorText(call.busy.body()) + "); retry after the time Retry-After says",
                    retryAfter(call.busy.retryAfter()));
        }
        if (call.unreachable) {
            return ApiException.unavailable("worker_unreachable",
                    "No worker for " + call.name + " could be reached; retry shortly");
        }
        return ApiException.unavailable("no_worker", call.name + " is not ready on any worker; retry shortly");
    }

    private static int retryAfter(String header) {
        if (header != null) {
            try {
                return (int) Math.max(1, Math.min(60, Long.parseLong(header.strip())));
            } catch (NumberFormatException e) {
                // an HTTP date or junk: the default below
            }
        }
        return 1;
    }

    /** The {@code error} of a worker's protocol error body, shortened; what the worker said in its own words. */
    private static String errorText(Buffer body) {
        try {
            String text = ERRORS.readTree(body.getBytes()).path("error").asText("");
            text = text.isBlank() ? "no reason given" : text;
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        } catch (IOException | RuntimeException e) {
            return "no reason given";
        }
    }

    /** The failure a completion stage carries, without the {@link CompletionException}s around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Calls in flight from this replica to the worker (for tests and metrics). */
    public int inFlight(UUID workerId) {
        return health.inFlight(workerId);
    }

    /** True while this replica sends the worker no calls (see {@link WorkerHealth}). */
    public boolean isEjected(UUID workerId) {
        return health.isEjected(workerId);
    }

    /**
     * The candidate with the fewest calls in flight, skipping {@code exclude} and ejected workers, those holding the
     * version loaded before those where it was evicted; ties go to a random one so replicas do not all pile on the
     * same worker.
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
            if (health.isEjected(candidate.id())) {
                continue;
            }
            // A worker that would load the version first ranks after every one that holds it loaded.
            long score = inFlight(candidate.id()) + (candidate.evicted() ? 1_000_000L : 0L);
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }
}
