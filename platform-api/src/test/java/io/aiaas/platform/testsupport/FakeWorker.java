package io.aiaas.platform.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aiaas.engine.EngineException;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.protocol.EncodedResponse;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.InferenceRequest;
import io.aiaas.protocol.InferenceResponse;
import io.aiaas.protocol.ProtocolException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small inference worker for gateway tests: it registers and heartbeats through the real internal API and answers
 * infer calls like a real worker, decoding the Open Inference Protocol body and running the model it holds in ONNX
 * Runtime (any model: the linear test model, the real-model patterns). It can be told to stall (for timeouts), to stop
 * listening while it keeps heartbeating (for refused connections), to answer a given status and body, or to die in
 * the middle of its answers (for a kept-alive connection that breaks).
 */
public final class FakeWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OnnxEngine engine;

    private final String platformUrl;
    private final EnrolledWorker identity;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();
    /** The sha256 of each held version's file, reported with it as a real worker does. */
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final Set<String> pretended = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inferCalls = new AtomicInteger();
    private final AtomicLong stallMillis = new AtomicLong();
    private final InferenceCodec codec = new InferenceCodec();
    private volatile Canned canned;
    private volatile boolean breakMidResponse;
    private final String url;
    private volatile UUID id;
    private volatile String name;
    private volatile String device = "cpu";
    private volatile long hostBudget;
    private volatile long deviceBudget;
    private volatile boolean draining;
    private volatile boolean ready = true;
    private volatile JsonNode lastAnswer;
    /** Placements reported as given (state, reason, memory), besides the held and pretended ones. */
    private final Map<String, Map<String, Object>> reports = new ConcurrentHashMap<>();

    private FakeWorker(String platformUrl) throws IOException {
        this.platformUrl = platformUrl;
        this.identity = EnrolledWorker.enrol(platformUrl, "fake-worker");
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/v2/models/", this::handleInfer);
        server.createContext("/v2/health/ready", this::handleReady);
        server.setExecutor(executor);
        server.start();
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A worker for the application under test, enrolled with the test profile's bootstrap token. */
    public static FakeWorker start() throws IOException {
        return start("http://localhost:" + io.restassured.RestAssured.port);
    }

    public static FakeWorker start(String platformUrl) throws IOException {
        return new FakeWorker(platformUrl);
    }

    /** This worker's enrolled identity (its id is the worker id once registered). */
    public EnrolledWorker identity() {
        return identity;
    }

    /** Registers with this name (default fake-{port}). */
    public FakeWorker named(String name) {
        this.name = name;
        return this;
    }

    /** Registers with this device (default cpu) and these memory budgets (0: unknown). */
    public FakeWorker device(String device, long hostBudget, long deviceBudget) {
        this.device = device;
        this.hostBudget = hostBudget;
        this.deviceBudget = deviceBudget;
        return this;
    }

    /** Heartbeats say the worker is draining from now on; infer calls get 503 "draining", readiness 503. */
    public FakeWorker drain() {
        this.draining = true;
        this.ready = false;
        return answer(503, "{\"error\": \"worker " + url + " is draining; retry on another worker\"}",
                Map.of("retry-after", "1", "x-aiaas-draining", "true"));
    }

    /** What GET /v2/health/ready answers: 200 when true, 503 when false. */
    public FakeWorker ready(boolean ready) {
        this.ready = ready;
        return this;
    }

    /** Reports the version in this state (READY, LOADING, FAILED, EVICTED...) with a reason and memory in use. */
    public FakeWorker report(String model, int version, String state, String reason, long memoryBytes) {
        Map<String, Object> placement = new java.util.HashMap<>();
        placement.put("model", model);
        placement.put("version", version);
        placement.put("state", state);
        placement.put("reason", reason);
        placement.put("memory_bytes", memoryBytes);
        reports.put(model + "/" + version, placement);
        return this;
    }

    /** Reports the version no more (through {@link #report}). */
    public FakeWorker unreport(String model, int version) {
        reports.remove(model + "/" + version);
        return this;
    }

    /** The answer to the last heartbeat. */
    public JsonNode lastAnswer() {
        return lastAnswer;
    }

    /** The versions ("model/version") the last heartbeat answer asked this worker to hold. */
    public Set<String> desired() {
        Set<String> desired = new java.util.TreeSet<>();
        JsonNode answer = lastAnswer;
        if (answer != null) {
            answer.path("desired").forEach(d -> desired.add(d.path("model").asText() + "/" + d.path("version").asInt()));
        }
        return desired;
    }

    /** {@code DELETE /internal/v1/workers/{id}}: answers the status. */
    public int deregister() throws IOException, InterruptedException {
        String token = identity.token();
        return http.send(HttpRequest.newBuilder(URI.create(platformUrl + "/internal/v1/workers/" + id))
                .header("authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static synchronized OnnxEngine engine() {
        if (engine == null) {
            engine = new OnnxEngine(EngineOptions.cpu());
        }
        return engine;
    }

    public String url() {
        return url;
    }

    public UUID id() {
        return id;
    }

    /** The content type and Inference-Header-Content-Length ("null" when absent) of the last infer call received. */
    public Map<String, String> lastInferHeaders() {
        return lastInferHeaders;
    }

    private volatile Map<String, String> lastInferHeaders = Map.of();

    public int inferCalls() {
        return inferCalls.get();
    }

    /** Makes every following infer call wait this long before it answers. */
    public void stall(Duration duration) {
        stallMillis.set(duration.toMillis());
    }

    /** A fixed answer to every infer call, given after the request was read. */
    private record Canned(int status, String body, Map<String, String> headers) {
    }

    /** From now on every infer call is answered with this status and JSON body (after reading the request). */
    public FakeWorker answer(int status, String body) {
        return answer(status, body, Map.of());
    }

    /** {@link #answer(int, String)} with these headers too. */
    public FakeWorker answer(int status, String body, Map<String, String> headers) {
        this.canned = new Canned(status, body, headers);
        return this;
    }

    /**
     * Holds infer calls, once read, until {@link #release()} (or {@code patience} passed), so that a test can look at
     * the platform while calls are at the workers; shared by the workers of a test.
     */
    public static final class Gate {
        private final CountDownLatch arrived;
        private final CountDownLatch released = new CountDownLatch(1);
        private final Duration patience;

        public Gate(int expected, Duration patience) {
            this.arrived = new CountDownLatch(expected);
            this.patience = patience;
        }

        /** Waits until the expected number of calls is held; false when they did not all come in time. */
        public boolean awaitArrivals(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        void pass() throws InterruptedException {
            arrived.countDown();
            released.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private volatile Gate gate;

    /** From now on every infer call waits at this gate before it is answered. */
    public FakeWorker gate(Gate gate) {
        this.gate = gate;
        return this;
    }

    /**
     * From now on every infer call is read, then its answer is cut off after the headers and part of the body and the
     * connection closed: what a client sees when a worker dies while it answers on a kept-alive connection.
     */
    public FakeWorker breakMidResponse() {
        this.breakMidResponse = true;
        return this;
    }

    /** Back to running the model for every call. */
    public FakeWorker behave() {
        this.canned = null;
        this.gate = null;
        this.breakMidResponse = false;
        this.stallMillis.set(0);
        return this;
    }

    /** Loads the model file into ONNX Runtime; heartbeats report it READY from now on. */
    public FakeWorker hold(String model, int version, Path onnx) {
        models.put(model + "/" + version, engine().load(onnx));
        try {
            files.put(model + "/" + version, sha256(java.nio.file.Files.readAllBytes(onnx)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    /** Reports the version READY in heartbeats without holding it: infer calls get the worker's 404. */
    public FakeWorker pretend(String model, int version) {
        pretended.add(model + "/" + version);
        return this;
    }

    /** Registers and sends heartbeats every 500 ms until {@link #stopHeartbeats()}. */
    public FakeWorker join() throws IOException, InterruptedException {
        register();
        heartbeat();
        beats.scheduleAtFixedRate(() -> {
            try {
                heartbeat();
            } catch (Exception e) {
                // a test that stopped the platform or the worker does not care
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    public void register() throws IOException, InterruptedException {
        HttpResponse<String> response = post("/internal/v1/workers", Map.of("name",
                name != null ? name : "fake-" + server.getAddress().getPort(), "url", url, "device", device,
                "memory", Map.of("host_bytes", hostBudget, "device_bytes", deviceBudget)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registration failed: " + response.statusCode() + " " + response.body());
        }
        id = UUID.fromString(JSON.readTree(response.body()).get("id").asText());
    }

    /** Sends one heartbeat reporting every held model READY; answers the platform's reply body. */
    public JsonNode heartbeat() throws IOException, InterruptedException {
        Set<String> reported = new java.util.HashSet<>(models.keySet());
        reported.addAll(pretended);
        reported.removeAll(reports.keySet());
        List<Map<String, Object>> placements = new java.util.ArrayList<>(reported.stream().map(key -> {
            String[] parts = key.split("/");
            Map<String, Object> placement = new java.util.HashMap<>(Map.of("model", parts[0], "version",
                    Integer.parseInt(parts[1]), "state", "READY"));
            if (files.containsKey(key)) {
                placement.put("sha256", files.get(key));
            }
            return placement;
        }).toList());
        placements.addAll(reports.values());
        HttpResponse<String> response = post("/internal/v1/workers/" + id + "/heartbeat",
                Map.of("outstanding", 0, "draining", draining, "placements", placements));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("heartbeat failed: " + response.statusCode() + " " + response.body());
        }
        lastAnswer = JSON.readTree(response.body());
        return lastAnswer;
    }

    /**
     * Does what a real worker does with a desired version: downloads the artifact with its token, checks the
     * sha256 header and the bytes against the desired entry, and loads it.
     */
    public FakeWorker pull(JsonNode heartbeatAnswer, String model) throws IOException, InterruptedException {
        for (JsonNode desired : heartbeatAnswer.path("desired")) {
            if (!model.equals(desired.path("model").asText())) {
                continue;
            }
            String token = identity.token();
            Path file = java.nio.file.Files.createTempFile("fake-worker-", ".onnx");
            // like a real worker: only from the control plane it is registered with, never from a URL it is given
            URI artifact = URI.create(platformUrl + "/internal/v1/artifacts/" + model + "/"
                    + desired.get("version").asInt());
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(artifact)
                    .header("authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
            String sha = desired.get("sha256").asText();
            if (response.statusCode() != 200 || !sha.equals(response.headers().firstValue("x-aiaas-sha256").orElse(""))
                    || !sha.equals(sha256(java.nio.file.Files.readAllBytes(file)))) {
                throw new IllegalStateException("artifact download failed: " + response.statusCode());
            }
            return hold(model, desired.get("version").asInt(), file);
        }
        throw new IllegalStateException("model " + model + " is not desired: " + heartbeatAnswer);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void stopHeartbeats() {
        beats.shutdownNow();
    }

    /** Closes the listening socket: connections are refused from now on, heartbeats go on. */
    public void stopServing() {
        server.stop(0);
    }

    private HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
        String token = identity.token();
        HttpRequest request = HttpRequest.newBuilder(URI.create(platformUrl + path))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void handleReady(HttpExchange exchange) throws IOException {
        try {
            send(exchange, ready ? 200 : 503, Map.of("ready", ready), Map.of());
        } finally {
            exchange.close();
        }
    }

    private void handleInfer(HttpExchange exchange) throws IOException {
        try {
            String authorization = exchange.getRequestHeaders().getFirst("authorization");
            try {
                identity.verifyControlPlaneToken(authorization == null ? null
                        : authorization.replaceFirst("^Bearer ", ""));
            } catch (RuntimeException e) {
                send(exchange, 401, Map.of("error", "bad token: " + e.getMessage()), Map.of());
                return;
            }
            // /v2/models/{name}/versions/{v}/infer
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (parts.length != 7 || !"infer".equals(parts[6])) {
                send(exchange, 404, Map.of("error", "no such path"), Map.of());
                return;
            }
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            String inferenceHeader = exchange.getRequestHeaders().getFirst(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH);
            lastInferHeaders = Map.of("content-type", String.valueOf(exchange.getRequestHeaders().getFirst("content-type")),
                    InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH, String.valueOf(inferenceHeader));
            inferCalls.incrementAndGet();
            long stall = stallMillis.get();
            if (stall > 0) {
                Thread.sleep(stall);
            }
            Gate waitFor = gate;
            if (waitFor != null) {
                waitFor.pass();
            }
            if (breakMidResponse) {
                byte[] partial = "{\"outputs\": [".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(200, 4096);
                OutputStream out = exchange.getResponseBody();
                out.write(partial);
                out.flush();
                // fewer bytes than announced: closing the exchange closes the connection, as a dying process would
                return;
            }
            Canned fixed = canned;
            if (fixed != null) {
                sendRaw(exchange, fixed.status(), fixed.body().getBytes(StandardCharsets.UTF_8), fixed.headers());
                return;
            }
            LoadedModel model = models.get(parts[3] + "/" + parts[5]);
            if (model == null) {
                send(exchange, 404, Map.of("error", "model " + parts[3] + " version " + parts[5] + " not loaded"),
                        Map.of());
                return;
            }
            InferenceRequest request;
            InferenceResult result;
            try {
                request = codec.decode(requestBody, inferenceHeader);
                result = model.run(request.inputs(), new LinkedHashSet<>(request.requestedOutputs()));
            } catch (ProtocolException | InvalidInputException e) {
                send(exchange, 400, Map.of("error", String.valueOf(e.getMessage())), Map.of());
                return;
            } catch (EngineUnavailableException e) {
                send(exchange, 503, Map.of("error", String.valueOf(e.getMessage())), Map.of());
                return;
            } catch (EngineException e) {
                send(exchange, 500, Map.of("error", "inference failed: " + e.getMessage()), Map.of());
                return;
            }
            long[] firstShape = request.inputs().isEmpty() ? new long[0] : request.inputs().get(0).shape();
            // as the real worker answers: binary outputs where the request asked for them
            EncodedResponse encoded = codec.prepare(InferenceResponse.answering(request, parts[3], parts[5],
                    result.outputs()));
            Map<String, String> headers = new java.util.HashMap<>(Map.of("x-aiaas-device", result.device(),
                    "x-aiaas-compute-us", Long.toString(Math.max(1, result.computeNanos() / 1000)),
                    "x-aiaas-items", Long.toString(firstShape.length == 0 ? 1 : firstShape[0]),
                    "content-type", encoded.contentType()));
            if (encoded.binary()) {
                headers.put(InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH, Integer.toString(encoded.headerLength()));
            }
            sendRaw(exchange, 200, encoded.toBytes(), headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, Object body, Map<String, String> headers)
            throws IOException {
        sendRaw(exchange, status, JSON.writeValueAsBytes(body), headers);
    }

    private static void sendRaw(HttpExchange exchange, int status, byte[] bytes, Map<String, String> headers)
            throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        beats.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
        models.values().forEach(m -> {
            try {
                m.close();
            } catch (Exception e) {
                // closing a test model
            }
        });
    }
}
