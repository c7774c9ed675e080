package io.aiaas.worker.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.RawHttp;
import io.aiaas.worker.support.Tokens;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sends every request of {@code hostile/worker-corpus.json} (data: add entries there) to a running worker over a
 * raw socket and checks that none is answered 5xx, and that each is answered the expected status with an
 * {@code {"error": ...}} body that names the problem and shows no internals.
 * <p>
 * Entries marked {@code "layer": "http"} are refused by the HTTP/1.1 parser before any route (a malformed
 * Content-Length, a raw control character in the request line, an over-long URI): Vert.x answers those 400/414
 * itself, without a body, and the test checks only that nothing reached an endpoint or failed with 5xx.
 */
@QuarkusTest
class HostileRequestCorpusTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> INTERNALS = List.of("java.", "javax.", "io.aiaas", "io.vertx", "io.quarkus",
            "com.fasterxml", "org.jboss", "org.jose4j", "io.smallrye", "Exception", "\tat ", ".cc:", ".h:", "onnxruntime_src", "onnxruntime::",
            "ErrorCode", "Status Message", "`");
    private static final int LIMIT = 1_048_576; // %test.aiaas.worker.max-request-bytes
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final AtomicInteger SERVER_ERRORS = new AtomicInteger();

    @BeforeEach
    void loadModels() {
        Worker.load("scalar", 1, TestModels.scalarAdd());
        for (RealModels.Pattern p : RealModels.all()) {
            Worker.load(p.name(), 1, p.onnx());
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("hostile worker corpus: %d requests sent, %d answered 5xx%n", SENT.get(), SERVER_ERRORS.get());
    }

    static List<JsonNode> corpus() throws IOException {
        try (InputStream in = HostileRequestCorpusTest.class.getResourceAsStream("/hostile/worker-corpus.json")) {
            List<JsonNode> entries = new ArrayList<>();
            MAPPER.readTree(in).forEach(entries::add);
            return entries;
        }
    }

    @Test
    void corpusHasAtLeast100RequestsCoveringEveryEndpointFamily() throws IOException {
        List<JsonNode> entries = corpus();
        assertTrue(entries.size() >= 100, "only " + entries.size() + " requests");
        Set<String> names = entries.stream().map(e -> e.path("name").asText()).collect(Collectors.toSet());
        assertEquals(entries.size(), names.size(), "entry names are unique");
        Map<String, String> families = new LinkedHashMap<>();
        families.put("server metadata", "^/v2$");
        families.put("health probes", "^/v2/health/.*");
        families.put("model metadata", "^/v2/models/[^/]+(/versions/[^/]*)?$");
        families.put("model readiness", "^/v2/models/.+/ready$");
        families.put("infer", "^/v2/models/.+/infer$");
        families.put("versioned infer", "^/v2/models/[^/]+/versions/[^/]+/infer$");
        families.put("repository index", "^/v2/repository/index$");
        families.put("load", "^/v2/repository/models/.+/load$");
        families.put("unload", "^/v2/repository/models/.+/unload$");
        families.put("unknown paths", "^/(?!v2/).*|^/v2/nothing.*|^/v2/repository$");
        for (Map.Entry<String, String> family : families.entrySet()) {
            assertTrue(entries.stream().anyMatch(e -> e.path("path").asText().matches(family.getValue())),
                    "no request for " + family.getKey());
        }
    }

    @TestFactory
    List<DynamicTest> noHostileRequestGetsA5xxAndEveryErrorNamesTheProblem() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : corpus()) {
            tests.add(DynamicTest.dynamicTest(entry.path("name").asText(), () -> check(entry)));
        }
        return tests;
    }

    private static void check(JsonNode entry) throws IOException {
        Request request = request(entry);
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, request.head, request.body, 30_000);
        SENT.incrementAndGet();
        String where = entry.path("name").asText() + ": " + entry.path("method").asText() + " "
                + entry.path("path").asText() + " -> " + response.status() + " " + abbreviate(response.bodyText());
        if (response.status() >= 500) {
            SERVER_ERRORS.incrementAndGet();
        }
        assertTrue(response.status() > 0, "no answer: " + where);
        assertTrue(response.status() < 500, where);
        if ("http".equals(entry.path("layer").asText())) {
            assertTrue(Set.of(400, 413, 414, 431).contains(response.status()), where);
            if (response.body().length > 0) {
                assertCleanError(entry, response, where);
            }
            return;
        }
        assertEquals(entry.path("expect").asInt(), response.status(), where);
        assertCleanError(entry, response, where);
    }

    private static void assertCleanError(JsonNode entry, RawHttp.Response response, String where) throws IOException {
        String type = response.header("content-type");
        assertTrue(type != null && type.startsWith("application/json"), "content type " + type + ": " + where);
        JsonNode body = MAPPER.readTree(response.body());
        assertTrue(body.isObject() && body.path("error").isTextual(), "no {\"error\": ...}: " + where);
        String error = body.path("error").asText();
        assertFalse(error.isBlank(), "empty error: " + where);
        for (String internal : INTERNALS) {
            assertFalse(error.contains(internal), "'" + internal + "' in the error: " + where);
        }
        String expected = entry.path("errorContains").asText(null);
        if (expected != null) {
            assertTrue(error.contains(expected), "expected '" + expected + "' in the error: " + where);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private record Request(String head, byte[] body) {
    }

    private static Request request(JsonNode entry) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + RestAssured.port);
        String auth = Tokens.header(entry.path("auth").asText("valid"));
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            headers.put(header.getKey(), header.getValue().asText());
        }
        byte[] body;
        boolean chunked = false;
        if (entry.has("bodyGenerator")) {
            Generated generated = generate(entry.path("bodyGenerator").asText());
            body = generated.body;
            chunked = generated.chunked;
        } else {
            body = entry.has("body") ? entry.path("body").asText().getBytes(StandardCharsets.UTF_8) : new byte[0];
        }
        if (chunked) {
            headers.put("Transfer-Encoding", "chunked");
            body = chunk(body);
        } else if (!headers.containsKey("Content-Length")
                && (body.length > 0 || !entry.path("method").asText().equals("GET"))) {
            headers.put("Content-Length", Integer.toString(body.length));
        }
        StringBuilder head = new StringBuilder(entry.path("method").asText()).append(' ')
                .append(entry.path("path").asText()).append(" HTTP/1.1");
        headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
        return new Request(head.toString(), body);
    }

    private record Generated(byte[] body, boolean chunked) {
    }

    /** Bodies too large, too deep or too odd to keep in the JSON file. */
    private static Generated generate(String name) {
        String scalarInputs = "{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}, "
                + "{\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}";
        return switch (name) {
            case "twoThousandDigits" -> text("{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [], "
                    + "\"data\": [" + "9".repeat(2000) + "]}]}");
            case "deepArrays" -> text("{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": "
                    + "[".repeat(5000) + "1" + "]".repeat(5000) + "}]}");
            case "deepEarlyData" -> text("{\"inputs\": [{\"data\": " + "[".repeat(5000) + "1" + "]".repeat(5000)
                    + ", \"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [1]}]}");
            case "deepUnknownField" -> text("{\"extra\": " + "{\"x\": ".repeat(5000) + "1" + "}".repeat(5000)
                    + ", \"inputs\": [" + scalarInputs + "]}");
            case "longDatatype" -> text("{\"inputs\": [{\"name\": \"a\", \"datatype\": \"" + "D".repeat(10_000)
                    + "\", \"shape\": [], \"data\": [1]}]}");
            case "cesuSurrogateName" -> bytes("{\"inputs\": [{\"name\": \"", new byte[] {(byte) 0xED, (byte) 0xA0,
                    (byte) 0x80}, "\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}]}");
            case "invalidUtf8" -> bytes("{\"id\": \"", new byte[] {(byte) 0xFF, (byte) 0xFE}, "\", \"inputs\": ["
                    + scalarInputs + "]}");
            case "overLimit" -> text("{\"inputs\": [" + " ".repeat(LIMIT + 1024) + "]}");
            case "overLimitChunked" -> new Generated(("{\"inputs\": [" + " ".repeat(LIMIT + 1024) + "]}")
                    .getBytes(StandardCharsets.UTF_8), true);
            case "twoMegabyteString" -> text("{\"id\": \"" + "x".repeat(2 * LIMIT) + "\", \"inputs\": []}");
            case "manyInputs" -> {
                StringBuilder many = new StringBuilder("{\"inputs\": [");
                for (int i = 0; i < 10_000; i++) {
                    many.append(i == 0 ? "" : ",").append("{\"name\":\"i").append(i)
                            .append("\",\"datatype\":\"FP32\",\"shape\":[],\"data\":[1]}");
                }
                yield text(many.append("]}").toString());
            }
            case "oddImage" -> text("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 48, 32], "
                    + "\"data\": [" + ("0,".repeat(3 * 48 * 32 - 1)) + "0]}]}");
            case "smallChunked" -> new Generated("{}".getBytes(StandardCharsets.UTF_8), true);
            default -> {
                fail("unknown body generator " + name);
                yield null;
            }
        };
    }

    private static Generated text(String body) {
        return new Generated(body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static Generated bytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return new Generated(out.toByteArray(), false);
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int size = Math.min(8192, body.length - offset);
            out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
