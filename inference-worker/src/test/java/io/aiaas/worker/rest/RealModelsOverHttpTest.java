package io.aiaas.worker.rest;

import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.RealModels.Pattern;
import io.aiaas.onnx.builder.RealModels.Values;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static io.aiaas.worker.support.Worker.authorized;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each real-model pattern through the worker's REST API: loaded without an example (zeros tried, skipped when
 * refused), with one, and with one that fails; its example answered as the Java reference says; its bad values
 * answered 400 naming the model.
 */
@QuarkusTest
class RealModelsOverHttpTest {

    private static Response infer(String model, int version, String body) {
        return authorized().contentType(ContentType.JSON).body(body)
                .post("/v2/models/{m}/versions/{v}/infer", model, version);
    }

    /** The repository index entry of name/version, as a JsonPath rooted at the entry. */
    private static JsonPath entry(String name, int version) {
        String json = authorized().get("/v2/repository/index").then().statusCode(200).extract().asString();
        List<Object> matches = JsonPath.from(json)
                .getList("findAll { it.name == '" + name + "' && it.version == " + version + " }");
        assertEquals(1, matches.size(), name + " " + version + " in the index: " + json);
        return JsonPath.from(json).setRootPath("find { it.name == '" + name + "' && it.version == " + version + " }");
    }

    private static void assertClean(String message) {
        for (String internal : List.of("onnxruntime_src", ".h:", ".cc:", "onnxruntime::", "was false", "ErrorCode",
                "Status Message", "java.", "io.aiaas", "Exception")) {
            assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
        }
    }

    @TestFactory
    List<DynamicTest> everyPatternLoadsAnswersItsExampleAndRejectsBadValuesNamingTheModel() {
        return RealModels.all().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> check(p))).toList();
    }

    private static void check(Pattern p) {
        String name = "http_" + p.name();

        // without an example: zeros, or READY with the skipped warm-up in its reason
        Worker.load(name, 1, p.onnx());
        JsonPath withoutExample = entry(name, 1);
        assertEquals("READY", withoutExample.getString("state"));
        if (p.zerosFail()) {
            assertEquals("skipped", withoutExample.getString("warmup.status"));
            String reason = withoutExample.getString("warmup.reason");
            assertTrue(reason.startsWith("zero-filled inputs failed: node '"), reason);
            assertEquals("warm-up skipped: " + reason, withoutExample.getString("reason"));
            assertClean(reason);
        } else {
            assertEquals("zeros", withoutExample.getString("warmup.status"));
            assertEquals(null, withoutExample.getString("reason"));
        }

        // the example answers what the Java reference computes
        Response answer = infer(name, 1, p.exampleRequest());
        answer.then().statusCode(200).body("model_name", equalTo(name)).body("model_version", equalTo("1"));
        for (Values expected : p.expected()) {
            JsonPath out = answer.jsonPath();
            String at = "outputs.find { it.name == '" + expected.name() + "' }";
            assertEquals(toLongs(expected.shape()), out.getList(at + ".shape", Long.class), expected.name());
            if (expected.data() instanceof long[] longs) {
                assertEquals(toLongs(longs), out.getList(at + ".data", Long.class), expected.name());
            } else {
                List<Float> data = out.getList(at + ".data", Float.class);
                float[] floats = expected.floats();
                assertEquals(floats.length, data.size());
                for (int i = 0; i < floats.length; i++) {
                    assertEquals(floats[i], data.get(i), 1e-5f, expected.name() + "[" + i + "]");
                }
            }
        }

        // bad values: 400, the model named, ONNX Runtime's reason without its internals
        Response rejected = infer(name, 1, p.rejectedRequest());
        rejected.then().statusCode(400).contentType(ContentType.JSON)
                .body("error", startsWith("model '" + name + "' version 1 rejected the input: node '"
                        + p.rejectedNode() + "' ("));
        assertClean(rejected.jsonPath().getString("error"));

        // with an example: it is what warms the version up
        Worker.loadWithExample(name, 2, p.onnx(), p.exampleRequest()).then().statusCode(200)
                .body("state", equalTo("READY")).body("warmup.status", equalTo("example")).body("reason", nullValue());
        infer(name, 2, p.exampleRequest()).then().statusCode(200).body("model_version", equalTo("2"));

        // an example that fails here (the control plane proved it elsewhere): FAILED with the clean reason
        Response failed = Worker.loadWithExample(name, 3, p.onnx(), p.rejectedRequest());
        failed.then().statusCode(422).body("error", startsWith("the example request failed: node '" + p.rejectedNode()));
        assertClean(failed.jsonPath().getString("error"));
        JsonPath failedEntry = entry(name, 3);
        assertEquals("FAILED", failedEntry.getString("state"));
        assertTrue(failedEntry.getString("reason").startsWith("the example request failed: "));
        infer(name, 3, p.exampleRequest()).then().statusCode(503).body("error", startsWith(name + " version 3 failed to load"));
    }

    private static List<Long> toLongs(long[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    @Test
    void aNewExampleWarmsTheServingSessionWithoutTakingItOutOfService() throws Exception {
        Pattern p = RealModels.vocabularyEmbedding();
        String name = "http_rewarm";
        Worker.load(name, 1, p.onnx());
        assertEquals("skipped", entry(name, 1).getString("warmup.status"));

        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread caller = new Thread(() -> {
            while (loading.get()) {
                statuses.add(infer(name, 1, p.exampleRequest()).statusCode());
            }
        });
        caller.start();
        try {
            // the same artifact with an example: the loaded session stays and is warmed up again in the background
            Worker.loadWithExample(name, 1, p.onnx(), p.exampleRequest()).then().statusCode(200)
                    .body("state", equalTo("READY"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> "example".equals(entry(name, 1).getString("warmup.status")));
            assertEquals(null, entry(name, 1).getString("reason"));
        } finally {
            loading.set(false);
            caller.join();
        }
        assertFalse(statuses.isEmpty());
        assertTrue(statuses.stream().allMatch(status -> status == 200), "every call during the change: " + statuses);

        // a new example this worker cannot run leaves the version serving, with the reason on its placement
        Worker.loadWithExample(name, 1, p.onnx(), p.rejectedRequest()).then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            String reason = entry(name, 1).getString("reason");
            return reason != null && reason.startsWith("the new example request failed: node '");
        });
        assertEquals("READY", entry(name, 1).getString("state"));
        infer(name, 1, p.exampleRequest()).then().statusCode(200);
    }

    @Test
    void anInputWithoutShapeIsAnyRankInTheMetadataAndTakesAnyShape() {
        Worker.load("http_any_rank", 1, RealModels.anyRank());
        authorized().get("/v2/models/http_any_rank").then().statusCode(200)
                .body("inputs[0].name", equalTo("x"))
                .body("inputs[0].shape", nullValue())
                .body("outputs[0].shape", nullValue());
        for (String shape : List.of("[]", "[3]", "[2, 2]")) {
            int count = shape.equals("[]") ? 1 : shape.equals("[3]") ? 3 : 4;
            String data = String.join(", ", java.util.Collections.nCopies(count, "1.5"));
            authorized().contentType(ContentType.JSON)
                    .body("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": " + shape + ", \"data\": [" + data + "]}]}")
                    .post("/v2/models/http_any_rank/infer").then().statusCode(200)
                    .body("outputs[0].data[0]", equalTo(3.0f));
        }
        // a declared scalar is still a scalar
        Worker.load("http_scalar", 1, TestModels.scalarAdd());
        authorized().get("/v2/models/http_scalar").then().body("inputs[0].shape.size()", equalTo(0));
        authorized().contentType(ContentType.JSON)
                .body("{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]},"
                        + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}]}")
                .post("/v2/models/http_scalar/infer").then().statusCode(400)
                .body("error", equalTo("input 'a' has shape [1] but the model expects [] (-1 = any size)"));
    }
}
