package io.aiaas.platform.dispatch;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.worker.auth.InternalAuth;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one infer call to one worker with the JDK HTTP client: pooled keep-alive connections, per-request timeouts
 * and no extra dependency; the blocking send suits the worker thread the gateway already runs on.
 */
@ApplicationScoped
public class WorkerClient {

    /**
     * The exchange with the worker failed without an answer: the connection was refused, or a kept-alive connection
     * turned out to be dead (the worker went away). Another worker may take the call.
     */
    static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message, null, false, false);
        }
    }

    private final InternalAuth auth;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    WorkerClient(DispatchConfig config, InternalAuth auth) {
        this.auth = auth;
        this.timeout = config.workerTimeout();
        AtomicInteger threads = new AtomicInteger();
        // Our own daemon executor, shut down with the application, so no client thread outlives it.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "aiaas-worker-client-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // workers speak plain HTTP/1.1; skip the h2c upgrade dance
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /**
     * @throws UnreachableException when no answer came back for a reason that lets another worker try
     * @throws ApiException 504 {@code worker_timeout} when the worker did not answer in time
     */
    WorkerReply infer(WorkerTarget worker, String model, int version, ForwardedBody body, String requestId)
            throws UnreachableException {
        URI uri = URI.create(worker.url() + "/v2/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "/versions/" + version + "/infer");
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", body.contentType())
                .header("authorization", "Bearer " + auth.workerToken())
                .header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (body.inferenceHeaderLength() != null) {
            builder.header(INFERENCE_HEADER, body.inferenceHeaderLength());
        }
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new UnreachableException("worker " + worker.url() + " refused the connection");
        } catch (HttpTimeoutException e) {
            throw ApiException.of(504, "worker_timeout", "The worker did not answer model " + model + " version "
                    + version + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // Reset, EOF or a broken pipe on a pooled keep-alive connection: the worker died or closed it. The model
            // may have run; the call is still billed at most once, because only the answer we return is metered.
            throw new UnreachableException("the connection to worker " + worker.url() + " broke: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", "The call was interrupted while the platform shut down");
        }
        var headers = response.headers();
        return new WorkerReply(worker, response.statusCode(), response.body(),
                headers.firstValue("content-type").orElse("application/json"),
                device(headers.firstValue("x-aiaas-device").orElse(worker.device())),
                (int) Math.min(Integer.MAX_VALUE, parse(headers.firstValue("x-aiaas-items").orElse(null))),
                parse(headers.firstValue("x-aiaas-compute-us").orElse(null)),
                headers.firstValue(INFERENCE_HEADER).orElse(null));
    }

    /** The binary tensor data extension's header: the length of the JSON part of a body with binary data after it. */
    static final String INFERENCE_HEADER = io.aiaas.protocol.InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH;

    /** The device as the usage row stores it: a short lower-case word, whatever the header held. */
    private static String device(String value) {
        String cleaned = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT)
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
