package io.aiaas.localstack.bench;

import io.aiaas.engine.InferenceResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An Open Inference Protocol infer call over loopback HTTP/1.1 with a pre-serialized body, JSON or binary tensors:
 * the worker directly (with an internal JWT) or the control plane (with an API key, of a tenant with or without a
 * plan). Each target has its own client and connection pool. An answer counts as a success when it is a 200 that
 * passes the target's header check (for a billed tenant: priced and rate-limited, {@link BilledAnswer}) and, for
 * binary requests, is itself binary ({@code application/octet-stream}), so that a JSON fallback is never timed as
 * binary.
 */
public final class HttpTarget implements Targets.Checked {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String OCTET_STREAM = "application/octet-stream";
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final String name;
    private final URI uri;
    private final Supplier<String> bearer;
    private final byte[] body;
    private final Protocol protocol;
    private final int headerLength;
    private final HttpClient http;
    private final Consumer<HttpHeaders> headerCheck;

    /** A JSON request. */
    public HttpTarget(String name, String url, Supplier<String> bearer, byte[] body) {
        this(name, url, bearer, Body.json(body), headers -> { });
    }

    private HttpTarget(String name, String url, Supplier<String> bearer, Body body, Consumer<HttpHeaders> check) {
        this.name = name;
        this.headerCheck = check;
        this.uri = URI.create(url);
        if (!isLoopback(uri)) {
            throw new IllegalArgumentException("the benchmark only calls loopback addresses, not " + url);
        }
        if (body.protocol() == Protocol.GRPC) {
            throw new IllegalArgumentException("gRPC is not an HTTP target: see Targets.grpc");
        }
        this.bearer = bearer;
        this.body = body.bytes().clone();
        this.protocol = body.protocol();
        this.headerLength = body.headerLength();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * A request body: JSON, or binary with the length of its JSON inference header.
     *
     * @param headerLength the JSON part's length in bytes (binary only; -1 for JSON)
     */
    public record Body(Protocol protocol, byte[] bytes, int headerLength) {

        public static Body json(byte[] bytes) {
            return new Body(Protocol.JSON, bytes, -1);
        }

        public static Body binary(BenchModel.BinaryBody binary) {
            return new Body(Protocol.BINARY, binary.body(), binary.headerLength());
        }
    }

    /** {@code POST {workerUrl}/v2/models/{model}/versions/{v}/infer}. */
    public static HttpTarget worker(String workerUrl, String model, int version, Supplier<String> jwt, byte[] body) {
        return worker(workerUrl, model, version, jwt, Body.json(body));
    }

    /** The worker over the body's protocol; named {@code worker} or {@code worker/binary}. */
    public static HttpTarget worker(String workerUrl, String model, int version, Supplier<String> jwt, Body body) {
        return new HttpTarget(body.protocol().targetName(WORKER),
                workerUrl + "/v2/models/" + model + "/versions/" + version + "/infer", jwt, body, headers -> { });
    }

    /** {@code POST {apiUrl}/v2/models/{model}/infer}, the public gateway. */
    public static HttpTarget controlPlane(String apiUrl, String model, String apiKey, byte[] body) {
        return controlPlane(apiUrl, model, apiKey, Body.json(body));
    }

    /** The public gateway over the body's protocol; named {@code control-plane} or {@code control-plane/binary}. */
    public static HttpTarget controlPlane(String apiUrl, String model, String apiKey, Body body) {
        return new HttpTarget(body.protocol().targetName(CONTROL_PLANE), apiUrl + "/v2/models/" + model + "/infer",
                () -> apiKey, body, headers -> { });
    }

    /** {@link #controlPlane(String, String, String, Body)} again, named {@code control-plane-twin}: identical calls. */
    public static HttpTarget controlPlaneTwin(String apiUrl, String model, String apiKey, Body body) {
        return new HttpTarget(body.protocol().targetName(CONTROL_PLANE_TWIN),
                apiUrl + "/v2/models/" + model + "/infer", () -> apiKey, body, headers -> { });
    }

    /**
     * The public gateway with the key of a tenant on a plan: every answer must carry its cost in {@code currency} and
     * the rate-limit headers.
     */
    public static HttpTarget controlPlaneBilled(String apiUrl, String model, String apiKey, String currency,
                                                byte[] body) {
        return controlPlaneBilled(apiUrl, model, apiKey, currency, Body.json(body));
    }

    /** {@link #controlPlaneBilled(String, String, String, String, byte[])} over the body's protocol. */
    public static HttpTarget controlPlaneBilled(String apiUrl, String model, String apiKey, String currency,
                                                Body body) {
        String name = body.protocol().targetName(CONTROL_PLANE_BILLING);
        return new HttpTarget(name, apiUrl + "/v2/models/" + model + "/infer", () -> apiKey, body,
                headers -> BilledAnswer.require(name, currency, headers::firstValue));
    }

    @Override
    public String name() {
        return name;
    }

    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void call() {
        HttpResponse<byte[]> response = send();
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": "
                    + abbreviate(new String(response.body(), StandardCharsets.UTF_8)));
        }
        headerCheck.accept(response.headers());
        if (protocol == Protocol.BINARY) {
            requireBinary(response);
        }
    }

    /** One call whose answer is returned as text, for the check that every target answers alike (JSON only). */
    public String answer() {
        HttpResponse<byte[]> response = checkedResponse();
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void requireSameAs(InferenceResult expected) {
        HttpResponse<byte[]> response = checkedResponse();
        if (protocol == Protocol.BINARY) {
            requireBinary(response);
            AnswerCheck.requireSameBinary(name, expected, response.body(),
                    response.headers().firstValue(HEADER_LENGTH).orElse(null));
        } else {
            AnswerCheck.requireSame(name, expected, new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<byte[]> checkedResponse() {
        HttpResponse<byte[]> response = send();
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": "
                    + abbreviate(new String(response.body(), StandardCharsets.UTF_8)));
        }
        headerCheck.accept(response.headers());
        return response;
    }

    private void requireBinary(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(OCTET_STREAM) || response.headers().firstValue(HEADER_LENGTH).isEmpty()) {
            throw new IllegalStateException(name + ": asked for binary outputs but the answer is '" + type
                    + "' without " + HEADER_LENGTH);
        }
    }

    private HttpResponse<byte[]> send() {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer.get())
                .POST(BodyPublishers.ofByteArray(body));
        if (protocol == Protocol.BINARY) {
            request.header("Content-Type", OCTET_STREAM)
                    .header(HEADER_LENGTH, String.valueOf(headerLength));
        } else {
            request.header("Content-Type", "application/json")
                    .header("Accept", "application/json");
        }
        try {
            return http.send(request.build(), BodyHandlers.ofByteArray());
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
