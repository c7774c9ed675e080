package io.aiaas.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An Open Inference Protocol infer call over loopback HTTP/1.1 with a pre-serialized body: the worker directly (with
 * an internal JWT) or the control plane (with an API key, of a tenant with or without a plan). Each target has its
 * own client and connection pool. An answer counts as a success when it is a 200 that passes the target's header
 * check (for a billed tenant: priced and rate-limited, {@link BilledAnswer}).
 */
public final class HttpTarget implements Target {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final URI uri;
    private final Supplier<String> bearer;
    private final byte[] body;
    private final HttpClient http;
    private final Consumer<HttpHeaders> headerCheck;

    public HttpTarget(String name, String url, Supplier<String> bearer, byte[] body) {
        this(name, url, bearer, body, headers -> { });
    }

    private HttpTarget(String name, String url, Supplier<String> bearer, byte[] body, Consumer<HttpHeaders> check) {
        this.name = name;
        this.headerCheck = check;
        this.uri = URI.create(url);
        if (!isLoopback(uri)) {
            throw new IllegalArgumentException("the benchmark only calls loopback addresses, not " + url);
        }
        this.bearer = bearer;
        this.body = body.clone();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** {@code POST {workerUrl}/v2/models/{model}/versions/{v}/infer}. */
    public static HttpTarget worker(String workerUrl, String model, int version, Supplier<String> jwt, byte[] body) {
        return new HttpTarget(WORKER, workerUrl + "/v2/models/" + model + "/versions/" + version + "/infer", jwt, body);
    }

    /** {@code POST {apiUrl}/v2/models/{model}/infer}, the public gateway. */
    public static HttpTarget controlPlane(String apiUrl, String model, String apiKey, byte[] body) {
        return new HttpTarget(CONTROL_PLANE, apiUrl + "/v2/models/" + model + "/infer", () -> apiKey, body);
    }

    /**
     * The public gateway with the key of a tenant on a plan: every answer must carry its cost in {@code currency} and
     * the rate-limit headers.
     */
    public static HttpTarget controlPlaneBilled(String apiUrl, String model, String apiKey, String currency,
                                                byte[] body) {
        return new HttpTarget(CONTROL_PLANE_BILLING, apiUrl + "/v2/models/" + model + "/infer", () -> apiKey, body,
                headers -> BilledAnswer.require(CONTROL_PLANE_BILLING, currency, headers::firstValue));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void call() {
        HttpResponse<byte[]> response = send();
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": "
                    + abbreviate(new String(response.body(), StandardCharsets.UTF_8)));
        }
        headerCheck.accept(response.headers());
    }

    /** One call whose answer is returned as text, for the check that every target answers alike. */
    public String answer() {
        HttpResponse<byte[]> response = send();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": " + abbreviate(text));
        }
        headerCheck.accept(response.headers());
        return text;
    }

    private HttpResponse<byte[]> send() {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer.get())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": POST " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted", e);
        }
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
