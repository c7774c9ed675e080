package io.aiaas.worker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small stand-in for platform-api's internal worker API on a JDK HTTP server: enrolment (with
 * {@link #ENROLMENT_TOKEN}), the control plane's keys, artifact downloads, registration and heartbeats, each checked
 * for a token signed by the key the worker enrolled. It signs the tokens it "sends" to the worker with its own key,
 * which a test may rotate.
 */
public final class FakeControlPlane {

    /** The worker's test profile enrols with this token (application.properties). */
    public static final String ENROLMENT_TOKEN = "test-enrolment-token-0123456789abcdef";

    private static FakeControlPlane shared;
    private static final String LINK_PORT_PROPERTY = "aiaas.test.link-control-plane-port";
    /** The worker's control-plane URL in the test profile points at this port (application.properties). */
    static final String SHARED_PORT_PROPERTY = "aiaas.test.control-plane-port";

    private final ObjectMapper mapper = new ObjectMapper();
    private final InternalTokens tokens = new InternalTokens();
    private volatile SigningKey signingKey = SigningKey.generate();
    private volatile List<ECPublicKey> published = List.of(signingKey.publicKey());
    private final Map<String, ECPublicKey> workerKeys = new ConcurrentHashMap<>();
    private final java.util.concurrent.CompletableFuture<String> identity = new java.util.concurrent.CompletableFuture<>();
    private final List<String> keyFetches = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    private final Map<String, Long> delaysMs = new ConcurrentHashMap<>();
    private final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
    private final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    private final List<String> artifactRequests = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> deregistrations = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> desired = new ConcurrentHashMap<>();
    private final AtomicBoolean forgetWorkers = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger keyCallsToFail = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean loseKeyAnswers;
    private volatile String workerId;

    private FakeControlPlane(int port) throws IOException {
        this(port, cp -> { });
    }

    /** @param before runs before the server takes its first request (say, to publish what the first answer holds) */
    private FakeControlPlane(int port, java.util.function.Consumer<FakeControlPlane> before) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            send(exchange, 404, "{\"error\":\"nothing here\"}".getBytes());
        });
        server.createContext("/internal/v1/artifacts/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            artifact(exchange);
        });
        server.createContext("/internal/v1/enrolments", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            enrol(exchange);
        });
        server.createContext("/internal/v1/keys", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            keyFetches.add(exchange.getRequestURI().getRawPath());
            send(exchange, 200, Jwks.of(published).toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        server.createContext("/internal/v1/workers/keys", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            workerKeys(exchange);
        });
        server.createContext("/internal/v1/workers", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            workers(exchange);
        });
        before.accept(this);
        server.start();
    }

    /**
     * One instance per test JVM, started on first use, on the port the worker's test configuration names (see
     * {@link FakeControlPlaneConfigSource}): the worker fetches artifacts from its configured control plane only.
     */
    public static synchronized FakeControlPlane shared() {
        if (shared == null) {
            try {
                shared = new FakeControlPlane(port(SHARED_PORT_PROPERTY));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private static FakeControlPlane linked;

    /**
     * The instance for the test whose worker links to a control plane. A test profile cannot hand over an object
     * (it may live in another class loader), so it agrees on a port through a system property instead; the worker
     * keeps retrying until the test starts this instance.
     */
    public static synchronized FakeControlPlane linked() {
        return linked(cp -> { });
    }

    /**
     * As {@link #linked()}; on first use {@code before} sets the instance up before it answers anything, so that the
     * worker's very first heartbeat answer already holds what it publishes.
     */
    public static synchronized FakeControlPlane linked(java.util.function.Consumer<FakeControlPlane> before) {
        if (linked == null) {
            try {
                linked = new FakeControlPlane(Integer.parseInt(System.getProperty(LINK_PORT_PROPERTY)), before);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return linked;
    }

    /**
     * The fake the worker under test enrols with: the linked one once a test started it (the link profile), else
     * the shared one. Tokens for the worker come from here.
     */
    public static synchronized FakeControlPlane forWorker() {
        return linked != null ? linked : shared();
    }

    /** Picks the port for {@link #linked()} once per JVM. */
    public static int linkPort() {
        return port(LINK_PORT_PROPERTY);
    }

    /** A free port, chosen once per JVM and kept in a system property so that every class loader agrees on it. */
    static synchronized int port(String property) {
        String port = System.getProperty(property);
        if (port == null) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                port = Integer.toString(probe.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(property, port);
        }
        return Integer.parseInt(port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }


    /** Serves {@code onnx} as the artifact of name/version and returns its sha256. */
    public String publish(String name, int version, byte[] onnx) {
        artifacts.put(name + "/" + version, onnx);
        return sha256(onnx);
    }

    public void delay(String name, int version, long millis) {
        delaysMs.put(name + "/" + version, millis);
    }

    public void desire(String name, int version) {
        desire(name, version, null);
    }

    /**
     * Puts name/version in the heartbeat answers' {@code desired} list with the given example request (JSON, or
     * null). Its {@code artifact_url} points at {@link #decoy()}, which the worker must never call.
     */
    public void desire(String name, int version, String exampleJson) {
        byte[] onnx = artifacts.get(name + "/" + version);
        ObjectNode d = mapper.createObjectNode();
        d.put("model", name).put("version", version).put("sha256", sha256(onnx))
                .put("size_bytes", onnx.length)
                .put("artifact_url", decoy().url() + "/internal/v1/artifacts/" + name + "/" + version);
        try {
            d.set("example", exampleJson == null ? mapper.nullNode() : mapper.readTree(exampleJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        desired.put(name + "/" + version, d);
    }

    /**
     * A separate instance on a free port, for plain tests that run in the same JVM as the Quarkus tests (whose class
     * loader holds {@link #shared()}'s port).
     */
    public static FakeControlPlane standalone() {
        try {
            return new FakeControlPlane(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Enrols a worker key without the HTTP round trip, for plain tests that drive a downloader themselves; answers the
     * identity id their tokens must name as subject.
     */
    public String enrolDirectly(SigningKey workerKey) {
        String id = UUID.randomUUID().toString();
        workerKeys.put(Jwks.keyId(workerKey.publicKey()), workerKey.publicKey());
        identity.complete(id);
        return identity.getNow(id);
    }

    /** Stops a {@link #standalone()} instance. */
    public void stop() {
        server.stop(0);
    }

    private static FakeControlPlane decoy;

    /** Another server, standing for a host a forged answer or request could name; it must never see a request. */
    public static synchronized FakeControlPlane decoy() {
        if (decoy == null) {
            try {
                decoy = new FakeControlPlane(0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return decoy;
    }

    /** Every request this server got, artifact or not (the decoy's must stay empty). */
    public List<String> requests() {
        return requests;
    }

    public void undesire(String name, int version) {
        desired.remove(name + "/" + version);
    }

    /** Makes the next heartbeat answer 404, as if the control plane lost the worker's row. */
    public void forgetWorker() {
        forgetWorkers.set(true);
    }

    public List<JsonNode> registrations() {
        return registrations;
    }

    public List<JsonNode> heartbeats() {
        return heartbeats;
    }

    /** Worker ids deregistered with {@code DELETE /internal/v1/workers/{id}}, in order. */
    public List<String> deregistrations() {
        return deregistrations;
    }

    /** The id of the last registration; null before any. */
    public String workerId() {
        return workerId;
    }

    public List<String> artifactRequests() {
        return artifactRequests;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identity id the worker enrolled with, waiting up to 30 s for the enrolment (it retries in the background). */
    public String identityId() {
        try {
            return identity.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the worker did not enrol with the fake control plane at " + url(), e);
        }
    }

    /** A token as the control plane sends it to the enrolled worker (audience = its identity id). */
    public String workerToken() {
        return tokens.issue(signingKey, Issuers.PLATFORM, identityId(), "platform-api", Duration.ofMinutes(5));
    }

    /** The key this fake signs with now. */
    public SigningKey signingKey() {
        return signingKey;
    }

    /** Rotation: signs with {@code key} from now on and publishes exactly {@code published}. */
    public void rotate(SigningKey key, List<SigningKey> published) {
        List<ECPublicKey> keys = new ArrayList<>();
        published.forEach(k -> keys.add(k.publicKey()));
        this.published = List.copyOf(keys);
        this.signingKey = key;
    }

    /** The ids of the keys the enrolled worker may sign with now (added by enrolment and rotation, not retired). */
    public java.util.Set<String> workerKeyIds() {
        return java.util.Set.copyOf(workerKeys.keySet());
    }

    /** The next {@code calls} requests to /internal/v1/workers/keys answer 503 and change nothing. */
    public void failKeyCalls(int calls) {
        keyCallsToFail.set(calls);
    }

    /** While on, /internal/v1/workers/keys does what it is asked and then answers 503, as if the answer were lost. */
    public void loseKeyAnswers(boolean lose) {
        loseKeyAnswers = lose;
    }

    /** How often the worker fetched /internal/v1/keys. */
    public int keyFetches() {
        return keyFetches.size();
    }

    private void enrol(HttpExchange exchange) throws IOException {
        JsonNode body = mapper.readTree(exchange.getRequestBody());
        if (!ENROLMENT_TOKEN.equals(body.path("token").asText())) {
            send(exchange, 401, "{\"detail\":\"the enrolment token is not known\"}".getBytes());
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = mapper.convertValue(body.get("public_key"), Map.class);
        ECPublicKey key = Jwks.parseJwk(jwk);
        String id = UUID.randomUUID().toString();
        workerKeys.put(Jwks.keyId(key), key);
        identity.complete(id);
        ObjectNode answer = mapper.createObjectNode();
        answer.put("identity_id", identity.getNow(id)).put("key_id", Jwks.keyId(key));
        answer.set("jwks", mapper.readTree(Jwks.of(published).toJson()));
        send(exchange, 201, mapper.writeValueAsBytes(answer));
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        try {
            if (header == null || !header.startsWith("Bearer ")) {
                throw new InvalidTokenException("no token");
            }
            String subject = tokens.verify(header.substring(7), kid -> Optional.ofNullable(workerKeys.get(kid)),
                    Audiences.CONTROL_PLANE, Issuers.WORKER).subject();
            if (!subject.equals(identity.getNow(null))) {
                throw new InvalidTokenException("not the enrolled identity");
            }
            return true;
        } catch (InvalidTokenException e) {
            send(exchange, 401, "{\"error\":\"bad token\"}".getBytes());
            return false;
        }
    }

    private void artifact(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath().substring("/internal/v1/artifacts/".length());
        artifactRequests.add(key);
        if (!authorized(exchange)) {
            return;
        }
        Long delay = delaysMs.get(key);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] onnx = artifacts.get(key);
        if (onnx == null) {
            send(exchange, 404, "{\"error\":\"no artifact\"}".getBytes());
            return;
        }
        exchange.getResponseHeaders().add("x-aiaas-sha256", sha256(onnx));
        send(exchange, 200, onnx);
    }

    /** Rotation as platform-api does it: add a key (signed with a held one), retire one (not the signing one). */
    private void workerKeys(HttpExchange exchange) throws IOException {
        if (keyCallsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 503, "{\"code\":\"unavailable\"}".getBytes());
            return;
        }
        if (!authorized(exchange)) {
            return;
        }
        String signedWith = InternalTokens.keyId(exchange.getRequestHeaders().getFirst("Authorization").substring(7));
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.equals("/internal/v1/workers/keys")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = mapper.convertValue(mapper.readTree(exchange.getRequestBody()).get("public_key"),
                    Map.class);
            ECPublicKey key = Jwks.parseJwk(jwk);
            workerKeys.put(Jwks.keyId(key), key);
            send(exchange, loseKeyAnswers ? 503 : 201, mapper.writeValueAsBytes(Map.of("key_id", Jwks.keyId(key))));
            return;
        }
        if (exchange.getRequestMethod().equals("DELETE") && path.startsWith("/internal/v1/workers/keys/")) {
            String kid = path.substring("/internal/v1/workers/keys/".length());
            if (kid.equals(signedWith)) {
                send(exchange, 409, "{\"code\":\"worker_key_in_use\"}".getBytes());
            } else if (workerKeys.remove(kid) == null) {
                send(exchange, 404, "{\"code\":\"worker_key_not_found\"}".getBytes());
            } else {
                send(exchange, loseKeyAnswers ? 503 : 204, new byte[0]);
            }
            return;
        }
        send(exchange, 405, "{\"code\":\"method_not_allowed\"}".getBytes());
    }

    private void workers(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("DELETE") && path.startsWith("/internal/v1/workers/")) {
            String id = path.substring("/internal/v1/workers/".length());
            deregistrations.add(id);
            if (id.equals(workerId)) {
                workerId = null;
                send(exchange, 204, new byte[0]);
            } else {
                send(exchange, 404, "{\"error\":\"unknown worker\"}".getBytes());
            }
            return;
        }
        JsonNode body = mapper.readTree(exchange.getRequestBody());
        if (path.equals("/internal/v1/workers")) {
            registrations.add(body);
            workerId = identity.getNow(UUID.randomUUID().toString());
            send(exchange, 200, mapper.writeValueAsBytes(Map.of("id", workerId, "heartbeat_interval_ms", 200)));
            return;
        }
        if (path.equals("/internal/v1/workers/" + workerId + "/heartbeat") && !forgetWorkers.getAndSet(false)) {
            heartbeats.add(body);
            ObjectNode answer = mapper.createObjectNode();
            ArrayNode list = answer.putArray("desired");
            desired.values().forEach(list::add);
            send(exchange, 200, mapper.writeValueAsBytes(answer));
            return;
        }
        send(exchange, 404, "{\"error\":\"unknown worker\"}".getBytes());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", status == 200 && body.length > 0 && body[0] != '{'
                ? "application/octet-stream" : "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
