package io.aiaas.worker.batching;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.worker.inference.InferenceService;
import io.aiaas.worker.inference.ModelQueue;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.support.BatchModels;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded queue over HTTP, on a model whose Loop holds the batcher busy ({@code batch_slow}: max-batch-size 1,
 * queue-capacity 1): a caller who hangs up leaves the queue and never runs, a full queue is refused at once with 503.
 */
@QuarkusTest
class BatchQueueOverHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    InferenceService inference;

    private static String body(long steps, float state) {
        return "{\"inputs\":[{\"name\":\"steps\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[" + steps + "]},"
                + "{\"name\":\"state\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[" + state + "]}]}";
    }

    private static HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v2/models/batch_slow/versions/1/infer"))
                .header("Authorization", "Bearer " + Worker.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void aCallerWhoHangsUpNeverRunsAndAFullQueueIsRefusedAtOnce() throws Exception {
        Worker.load("batch_slow", 1, BatchModels.slowCounter());
        ModelQueue queue = inference.queue(new ModelKey("batch_slow", 1)).orElse(null);
        long before = queue == null ? 0 : queue.executions();

        // A holds the only batcher for seconds
        long aStarted = System.nanoTime();
        CompletableFuture<HttpResponse<String>> a = HTTP.sendAsync(request(body(1_000_000L, 0f)),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> inference.queue(new ModelKey("batch_slow", 1))
                .map(q -> q.executions() > before).orElse(false));
        ModelQueue slow = inference.queue(new ModelKey("batch_slow", 1)).orElseThrow();
        long ranBefore = slow.requestsRun();

        // B waits in the queue, then its caller hangs up
        String b = body(1, 100f);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/batch_slow/versions/1/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + Worker.token() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + b.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + b)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.waiting() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.waiting() == 0);

        // its place is free again: C waits, and D finds the queue full
        CompletableFuture<HttpResponse<String>> c = HTTP.sendAsync(request(body(2, 10f)),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.waiting() == 1);
        long started = System.nanoTime();
        HttpResponse<String> d = HTTP.send(request(body(3, 20f)), HttpResponse.BodyHandlers.ofString());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, d.statusCode(), d.body());
        assertEquals("1", d.headers().firstValue("retry-after").orElse(null));
        String error = new ObjectMapper().readTree(d.body()).get("error").asText();
        assertEquals("model 'batch_slow' version 1 cannot run right now (its queue is full: 1 requests are waiting);"
                + " retry shortly", error);
        assertTrue(tookMillis < 1000, "refused at once, not after " + tookMillis + " ms");
        assertTrue(!a.isDone(), "A still held the batcher while D was refused");

        HttpResponse<String> answerC = c.get(60, TimeUnit.SECONDS);
        assertEquals(200, answerC.statusCode(), answerC.body());
        assertTrue(answerC.body().contains("\"data\":[12.0]"), answerC.body());
        assertEquals(200, a.get(60, TimeUnit.SECONDS).statusCode());
        System.out.printf("A took %d ms in all%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - aStarted));
        assertEquals(ranBefore + 2, slow.requestsRun(), "A and C ran; B, whose caller hung up, never did");
    }
}
