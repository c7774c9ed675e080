package io.aiaas.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A small blocking HTTP client for the platform's JSON APIs and Keycloak's token endpoint. */
public final class ApiClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String baseUrl;

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Status, headers and body of one answer. */
    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {

        public JsonNode json() {
            return Json.parse(body);
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** Throws with the status and body unless the status is one of those given. */
        public Response expect(int... accepted) {
            for (int s : accepted) {
                if (status == s) {
                    return this;
                }
            }
            throw new IllegalStateException("unexpected HTTP " + status + ": " + body);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response get(String path, String bearer) {
        return send(request(path, bearer).GET());
    }

    public Response delete(String path, String bearer) {
        return send(request(path, bearer).DELETE());
    }

    public Response postJson(String path, String bearer, Object body) {
        return send(request(path, bearer)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
    }

    public Response putJson(String path, String bearer, Object body) {
        return send(request(path, bearer)
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))));
    }

    public Response patchJson(String path, String bearer, Object body) {
        return send(request(path, bearer)
                .header("Content-Type", "application/json")
                .method("PATCH", BodyPublishers.ofString(Json.write(body))));
    }

    public Response postBytes(String path, String bearer, byte[] body, String contentType) {
        return send(request(path, bearer)
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body)));
    }

    public Response postForm(String path, Map<String, String> form) {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(encoded)));
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri(), e);
        }
    }
}
