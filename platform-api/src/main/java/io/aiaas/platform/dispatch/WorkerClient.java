package io.aiaas.platform.dispatch;

import io.aiaas.platform.gateway.GatewayConfig;
import io.aiaas.platform.worker.auth.InternalAuth;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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

    /** The connection could not be opened: nothing reached the worker, so another worker may be tried. */
    static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message, null, false, false);
        }
    }

    private final InternalAuth auth;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    WorkerClient(GatewayConfig config, InternalAuth auth) {
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

    WorkerReply infer(WorkerTarget worker, String model, int version, byte[] body, String requestId)
            throws UnreachableException {
        URI uri = URI.create(worker.url() + "/v2/models/" + model + "/versions/" + version + "/infer");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + auth.workerToken())
                .header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new UnreachableException("worker " + worker.url() + " refused the connection");
        } catch (HttpTimeoutException e) {
            throw new DispatchException(DispatchException.Failure.TIMEOUT, worker,
                    "the worker did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new DispatchException(DispatchException.Failure.BROKEN, worker,
                    "the connection to the worker failed during the call");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchException(DispatchException.Failure.BROKEN, worker, "the call was interrupted");
        }
        var headers = response.headers();
        return new WorkerReply(worker, response.statusCode(), response.body(),
                headers.firstValue("content-type").orElse("application/json"),
                headers.firstValue("x-aiaas-device").orElse(worker.device()),
                (int) parse(headers.firstValue("x-aiaas-items").orElse(null)),
                parse(headers.firstValue("x-aiaas-compute-us").orElse(null)));
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
