package io.aiaas.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs console pages over plain HTTP with a signed-in browser's cookies: the status code (which Selenium cannot
 * read), the body, and how long the console took, measured from sending the request to the last byte.
 */
final class ConsoleHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String consoleUrl;
    private final String cookieHeader;

    ConsoleHttp(String consoleUrl, String cookieHeader) {
        this.consoleUrl = consoleUrl;
        this.cookieHeader = cookieHeader;
    }

    /** One page: status, body, the Location of a redirect, and the time to the last byte. */
    record Page(String path, int status, String body, Optional<String> location, long nanos) {

        double millis() {
            return nanos / 1e6;
        }
    }

    Page get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(consoleUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Cookie", cookieHeader)
                .header("Accept", "text/html")
                .GET()
                .build();
        try {
            long begin = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, BodyHandlers.ofString());
            long nanos = System.nanoTime() - begin;
            return new Page(path, response.statusCode(), response.body(),
                    response.headers().firstValue("Location"), nanos);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + request.uri(), e);
        }
    }
}
