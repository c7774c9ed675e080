package io.aiaas.worker.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Calls the control plane's internal worker API with this worker's internal JWT (ES256, its own key) on each call. */
public final class ControlPlaneClient {

    /** Thrown when the control plane cannot be reached or answers with an unexpected status. */
    public static final class UnreachableException extends Exception {
        public UnreachableException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI base;
    private final Supplier<String> token;
    private final Duration timeout;

    public ControlPlaneClient(ObjectMapper mapper, String baseUrl, Supplier<String> token, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // plain HTTP/1.1, no h2c upgrade round on every new connection
                .connectTimeout(timeout).build();
        this.mapper = mapper;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.timeout = timeout;
    }

    public ControlPlaneMessages.Registered register(ControlPlaneMessages.Register body) throws UnreachableException {
        return post("internal/v1/workers", body, ControlPlaneMessages.Registered.class)
                .orElseThrow(() -> new UnreachableException("registration answered 404"));
    }

    /** @return empty when the control plane does not know the worker id (register again) */
    public Optional<ControlPlaneMessages.HeartbeatAnswer> heartbeat(String workerId, ControlPlaneMessages.Heartbeat body)
            throws UnreachableException {
        return post("internal/v1/workers/" + workerId + "/heartbeat", body, ControlPlaneMessages.HeartbeatAnswer.class);
    }

    /**
     * Deregisters the worker ({@code DELETE /internal/v1/workers/{id}}): 204, or 404 when the control plane no longer
     * knows it (the same outcome).
     */
    public void deregister(String workerId) throws UnreachableException {
        URI uri = base.resolve("internal/v1/workers/" + workerId);
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token.get())
                    .DELETE()
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204 && response.statusCode() != 200 && response.statusCode() != 404) {
                throw new UnreachableException("DELETE " + uri + " answered HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UnreachableException("DELETE " + uri + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
    }

    private <T> Optional<T> post(String path, Object body, Class<T> answer) throws UnreachableException {
        URI uri = base.resolve(path);
        String bearer;
        try {
            // signing may need an enrolment first (WorkerIdentity): an outage of the control plane, not a bug
            bearer = token.get();
        } catch (RuntimeException e) {
            throw new UnreachableException("no internal token: " + e.getMessage());
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new UnreachableException("POST " + uri + " answered HTTP " + response.statusCode());
            }
            return Optional.of(mapper.readValue(response.body(), answer));
        } catch (IOException e) {
            throw new UnreachableException("POST " + uri + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
    }
}
