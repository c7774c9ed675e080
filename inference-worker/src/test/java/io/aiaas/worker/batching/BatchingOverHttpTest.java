package io.aiaas.worker.batching;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic batching through the worker's REST API with real ONNX Runtime: concurrent callers share runs yet each gets
 * exactly its own answer, a bad caller fails alone, a fixed batch dimension is never batched.
 */
@QuarkusTest
class BatchingOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    InferenceService inference;

    record Answer(int status, String body, String items, String computeUs) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private static Answer post(String model, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v2/models/" + model + "/versions/1/infer"))
                .header("Authorization", "Bearer " + Worker.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("x-aiaas-items").orElse(null),
                response.headers().firstValue("x-aiaas-compute-us").orElse(null));
    }

    private static String mlpRequest(int rows, Random random) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < rows * 16; i++) {
            data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", random.nextGaussian()));
        }
        return "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[" + rows + ",16],\"data\":[" + data
                + "]}]}";
    }

    /** Sends all bodies at once (released together) and returns the answers in the same order. */
    private static List<Answer> concurrently(String model, List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return post(model, body);
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private ModelQueue queue(String model) {
        return inference.queue(new ModelKey(model, 1)).orElseThrow();
    }

    @Test
    void concurrentCallersGetExactlyTheirUnbatchedAnswersFromSharedRuns() throws Exception {
        byte[] onnx = BatchModels.mlp(16, 64, 8);
        Worker.load("batch_mlp", 1, onnx);
        Worker.load("batch_mlp_off", 1, onnx);
        Random random = new Random(7);
        List<String> bodies = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            rows.add(1 + i % 3);
            bodies.add(mlpRequest(rows.get(i), random));
        }

        List<Answer> batched = concurrently("batch_mlp", bodies);
        List<Answer> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(post("batch_mlp_off", body));
        }

        for (int i = 0; i < bodies.size(); i++) {
            assertEquals(200, batched.get(i).status(), batched.get(i).body());
            assertEquals(200, alone.get(i).status(), alone.get(i).body());
            JsonNode b = batched.get(i).json().at("/outputs/0");
            JsonNode a = alone.get(i).json().at("/outputs/0");
            assertEquals(a.get("shape"), b.get("shape"), "caller " + i);
            assertEquals("[" + rows.get(i) + ",8]", b.get("shape").toString());
            assertEquals(a.get("data").size(), b.get("data").size());
            for (int j = 0; j < a.get("data").size(); j++) {
                float expected = a.get("data").get(j).floatValue();
                float actual = b.get("data").get(j).floatValue();
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                        "caller " + i + " value " + j + ": " + expected + " vs " + actual);
            }
            assertEquals(Integer.toString(rows.get(i)), batched.get(i).items(), "items are the caller's rows");
            assertTrue(Long.parseLong(batched.get(i).computeUs()) >= 0);
        }
        ModelQueue q = queue("batch_mlp");
        assertTrue(q.batched());
        assertEquals(32, q.requestsRun());
        assertTrue(q.executions() < q.requestsRun(),
                "batches formed: " + q.executions() + " runs for " + q.requestsRun() + " requests");
        assertFalse(queue("batch_mlp_off").batched(), "batching is off unless configured");
    }

    @Test
    void aCallerWhoseValuesFailTheModelFailsAloneAndTheOthersGetTheirAnswers() throws Exception {
        Worker.load("batch_gather", 1, BatchModels.gather());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // caller 3's index 9 passes every shape check and fails only inside the run
            long index = i == 3 ? 9 : i % 4;
            bodies.add("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":["
                    + (10 * i) + "," + (10 * i + 1) + "," + (10 * i + 2) + "," + (10 * i + 3) + "]},"
                    + "{\"name\":\"idx\",\"datatype\":\"INT64\",\"shape\":[1,1],\"data\":[" + index + "]}]}");
        }
        // caller 5's shape is wrong: refused before it joins a batch
        bodies.set(5, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                + "{\"name\":\"idx\",\"datatype\":\"INT64\",\"shape\":[1,1],\"data\":[0]}]}");

        List<Answer> answers = concurrently("batch_gather", bodies);

        for (int i = 0; i < bodies.size(); i++) {
            Answer answer = answers.get(i);
            if (i == 3) {
                assertEquals(400, answer.status(), answer.body());
                assertTrue(answer.json().get("error").asText().contains("batch_gather"), answer.body());
            } else if (i == 5) {
                assertEquals(400, answer.status(), answer.body());
                assertTrue(answer.json().get("error").asText().contains("shape"), answer.body());
            } else {
                assertEquals(200, answer.status(), "caller " + i + ": " + answer.body());
                float expected = 10 * i + (i % 4);
                assertEquals(expected, answer.json().at("/outputs/0/data/0").floatValue(), "caller " + i);
                assertEquals("1", answer.items());
            }
        }
        assertEquals(7, queue("batch_gather").requestsRun(), "the wrongly shaped request never ran");
    }

    @Test
    void aModelWithAFixedBatchDimensionRunsUnbatched() throws Exception {
        Worker.load("batch_fixed", 1, BatchModels.fixedBatch());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[" + i
                    + ",-1,2,-3,4,-5]}]}");
        }
        List<Answer> answers = concurrently("batch_fixed", bodies);
        for (int i = 0; i < bodies.size(); i++) {
            assertEquals(200, answers.get(i).status(), answers.get(i).body());
            assertEquals("[" + i + ".0,0.0,2.0,0.0,4.0,0.0]",
                    answers.get(i).json().at("/outputs/0/data").toString());
        }
        ModelQueue q = queue("batch_fixed");
        assertFalse(q.batched(), "enabled in the settings, but the first dimension is fixed");
        assertEquals(6, q.executions());
    }
}
