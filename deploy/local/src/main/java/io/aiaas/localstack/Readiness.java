package io.aiaas.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;

/** Polls a child's health URL until it answers 200, failing fast when the child dies. */
final class Readiness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Readiness() {
    }

    static void await(String name, String url, ChildProcess child, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!child.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + child.exitValue()
                        + " before it was ready; last lines of " + child.logFile() + ":"
                        + System.lineSeparator() + child.logTail(40));
            }
            try {
                int status = HTTP.send(request, BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                last = "HTTP " + status;
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(300);
        }
        throw new IllegalStateException(name + " not ready at " + url + " after " + timeout.toSeconds() + " s ("
                + last + "); last lines of " + child.logFile() + ":" + System.lineSeparator() + child.logTail(40));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
