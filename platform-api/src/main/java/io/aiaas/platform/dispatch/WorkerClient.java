package io.aiaas.platform.dispatch;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.worker.auth.InternalAuth;
import io.aiaas.protocol.InferenceCodec;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Sends one infer call to one worker with Vert.x's HTTP client: a pool of kept-alive connections per worker, no
 * thread waits for the answer, and the body goes out as the buffer the gateway holds (Netty writes it to the socket;
 * nothing copies it into a second array). The answer is gathered into one buffer that the gateway hands to the client
 * as it is.
 */
@ApplicationScoped
public class WorkerClient {

    /**
     * The exchange with the worker failed without an answer: the connection was refused, or a kept-alive connection
     * turned out to be dead (the worker went away). Another worker may take the call.
     */
    static final class UnreachableException extends RuntimeException {
        /** True when no connection could be opened at all (refused, or none within the connect timeout). */
        final boolean connectFailed;

        UnreachableException(String message) {
            this(message, false);
        }

        UnreachableException(String message, boolean connectFailed) {
            super(message, null, false, false);
            this.connectFailed = connectFailed;
        }
    }

    /** The binary tensor data extension's header: the length of the JSON part of a body with binary data after it. */
    static final String INFERENCE_HEADER = InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH;

    private final InternalAuth auth;
    private final Duration timeout;
    private final Vertx vertx;
    private final HttpClient http;

    WorkerClient(Vertx vertx, DispatchConfig config, InternalAuth auth) {
        this.auth = auth;
        this.vertx = vertx;
        this.timeout = config.workerTimeout();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                        .setName("aiaas-worker-client"),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerWorker()));
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    /**
     * The worker's answer, completed on an event loop. Fails with {@link UnreachableException} when no answer came
     * back for a reason that lets another worker try, and with {@link ApiException} 504 {@code worker_timeout} when
     * the worker did not answer in time.
     */
    CompletionStage<WorkerReply> infer(WorkerTarget worker, String model, int version, ForwardedBody body,
            String requestId, CompletionStage<Void> gaveUp) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(worker.url() + "/v2/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                        + "/versions/" + version + "/infer")
                .setTimeout(timeout.toMillis())
                .putHeader("content-type", body.contentType())
                .putHeader("authorization", "Bearer " + auth.workerToken(worker.id())) // aud = that worker only
                .putHeader("x-request-id", requestId);
        if (body.inferenceHeaderLength() != null) {
            options.putHeader(INFERENCE_HEADER, body.inferenceHeaderLength());
        }
        CompletableFuture<WorkerReply> result = new CompletableFuture<>();
        // The exchange runs on an event loop: a response handed to a callback off the event loop may have delivered
        // its first chunks before body() is asked for, and those are lost (Vert.x issues 3517, 4106; seen here as
        // empty binary answers under load).
        Context context = vertx.getOrCreateContext();
        if (!context.isEventLoopContext()) {
            context = ((VertxInternal) vertx).createEventLoopContext();
        }
        Context loop = context;
        loop.runOnContext(start -> exchange(loop, worker, model, version, body, options, gaveUp, result));
        return result;
    }

    private void exchange(Context context, WorkerTarget worker, String model, int version, ForwardedBody body,
            RequestOptions options, CompletionStage<Void> gaveUp, CompletableFuture<WorkerReply> result) {
        http.request(options)
                // no connection at all (refused, or none within the connect timeout): nothing was sent
                .recover(failure -> Future.failedFuture(new UnreachableException("worker " + worker.url()
                        + " could not be reached: " + failure.getMessage(), true)))
                .compose(request -> {
                    // The client went away: close this exchange, so a worker still queueing the call drops it. The
                    // call ends here, whatever the reset does to the exchange's own futures. Only while the exchange
                    // is open, decided on its own event loop: a reset after the answer would close the pooled
                    // connection under the next call that uses it.
                    gaveUp.thenRun(() -> context.runOnContext(now -> {
                        if (!result.isDone()) {
                            request.reset();
                            result.completeExceptionally(new UnreachableException("the client went away"));
                        }
                    }));
                    return request.send(body.bytes());
                })
                .compose(response -> response.body().map(answer -> reply(worker, response, answer)))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(done.result());
                    } else {
                        result.completeExceptionally(classify(worker, model, version, done.cause()));
                    }
                });
    }

    /**
     * Asks the worker's readiness endpoint ({@code GET /v2/health/ready}, open: no token); completes with its
     * status, or fails when no answer came within the connect timeout. Used to bring an ejected worker back.
     */
    CompletionStage<Integer> probe(WorkerTarget worker, Duration within) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(worker.url() + "/v2/health/ready")
                .setTimeout(within.toMillis());
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Context loop = ((VertxInternal) vertx).createEventLoopContext();
        loop.runOnContext(start -> http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(done.result());
                    } else {
                        result.completeExceptionally(done.cause());
                    }
                }));
        return result;
    }

    private Throwable classify(WorkerTarget worker, String model, int version, Throwable failure) {
        if (failure instanceof UnreachableException || failure instanceof ApiException) {
            return failure;
        }
        if (failure instanceof TimeoutException) {
            return ApiException.of(504, "worker_timeout", "The worker did not answer model " + model + " version "
                    + version + " within " + timeout.toMillis() + " ms");
        }
        // Reset, EOF or a broken pipe on a pooled keep-alive connection: the worker died or closed it. The model
        // may have run; the call is still billed at most once, because only the answer we return is metered.
        return new UnreachableException("the connection to worker " + worker.url() + " broke: " + failure);
    }

    private static WorkerReply reply(WorkerTarget worker, HttpClientResponse response,
            Buffer body) {
        String contentType = response.getHeader("content-type");
        String device = device(response.getHeader("x-aiaas-device"));
        return new WorkerReply(worker, response.statusCode(), body,
                contentType == null ? "application/json" : contentType,
                device == null ? device(worker.device()) : device,
                (int) Math.min(Integer.MAX_VALUE, parse(response.getHeader("x-aiaas-items"))),
                parse(response.getHeader("x-aiaas-compute-us")),
                response.getHeader(INFERENCE_HEADER), response.getHeader("retry-after"),
                flag(response.getHeader("x-aiaas-cold-start")),
                response.getHeader("x-aiaas-load-ms") == null ? null : parse(response.getHeader("x-aiaas-load-ms")),
                flag(response.getHeader("x-aiaas-draining")));
    }

    /** A worker header that says yes with {@code true}. */
    private static boolean flag(String header) {
        return header != null && "true".equalsIgnoreCase(header.strip());
    }

    /** The device as the usage row stores it: a short lower-case word, whatever the header held. */
    private static String device(String value) {
        String cleaned = value == null ? "" : value.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_:-]", "");
        return cleaned.isEmpty() ? null : cleaned.substring(0, Math.min(16, cleaned.length()));
    }

    private static long parse(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
