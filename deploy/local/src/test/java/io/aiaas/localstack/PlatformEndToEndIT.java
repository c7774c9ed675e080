package io.aiaas.localstack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.IrisDemo;
import io.aiaas.onnx.builder.TestModels;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole platform as real processes (Keycloak, platform-api with embedded PostgreSQL, one worker), driven only
 * through HTTP: an operator sets up tenants and models, a tenant calls them with an API key, another tenant cannot.
 * The stack starts once for all steps; the steps build on each other in order. The last steps add a second
 * platform-api replica on the first one's PostgreSQL and check that keys, routing, usage, revocation and suspension
 * hold across replicas.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndIT {

    private static final String PRIVATE_MODEL = "acme-linear";
    private static final float[][] WEIGHTS = {{0.5f, -1.25f, 2f}, {1.5f, 0.25f, -0.75f}, {-2f, 1f, 0.125f},
        {0.3f, 0.6f, -0.9f}};
    private static final float[] BIAS = {0.1f, -0.2f, 0.05f};
    private static final TestModels.Linear LINEAR = TestModels.linear(WEIGHTS, BIAS);
    private static final float[][] X = {{1f, 2f, 3f, 4f}, {-0.5f, 0.25f, 1.5f, -2f}};
    private static final double TOLERANCE = 1e-5;

    private static final AtomicReference<String> childDeath = new AtomicReference<>();
    private static LocalStack stack;
    private static String admin;
    private static String alice;
    private static String bob;
    private static String acmeKey;
    private static String acmeKeyId;
    /** The second platform-api replica, on the first one's database. */
    private static String replicaB;
    private static String keyMadeOnB;
    private static String usageKey;
    private static String usageKeyId;

    @BeforeAll
    static void startStack() {
        Path state = Path.of("target", "e2e-" + System.currentTimeMillis());
        stack = SharedKeycloak.stack(state, message -> {
            childDeath.set(message);
            System.err.println("CHILD DIED: " + message);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        RestAssured.baseURI = stack.apiUrl();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        admin = stack.userToken("admin", "admin");
        alice = stack.userToken("alice", "alice");
        bob = stack.userToken("bob", "bob");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        assertEquals(null, childDeath.get(), "no child process may die during the run");
    }

    @Test
    @Order(0)
    void realmTokensCarryEmailAndRealmRoles() {
        JsonNode aliceClaims = claims(alice);
        assertEquals("alice@acme.test", aliceClaims.path("email").asText());
        assertTrue(aliceClaims.path("realm_access").path("roles").isArray(), "realm_access.roles: " + aliceClaims);
        assertFalse(aliceClaims.path("realm_access").path("roles").toString().contains("platform-admin"));
        JsonNode adminClaims = claims(admin);
        assertEquals("admin@aiaas.test", adminClaims.path("email").asText());
        assertTrue(adminClaims.path("realm_access").path("roles").toString().contains("\"platform-admin\""));
        assertEquals("bob@globex.test", claims(bob).path("email").asText());
        assertThrows(IllegalStateException.class, () -> stack.userToken("alice", "wrong-password"));
    }

    @Test
    @Order(1)
    void adminCreatesTenantsAndAddsTheirAdmins() {
        as(admin).body(Map.of("slug", "acme", "name", "Acme Corp")).post("/admin/v1/tenants")
                .then().statusCode(201).body("slug", equalTo("acme"));
        as(admin).body(Map.of("slug", "globex", "name", "Globex Inc")).post("/admin/v1/tenants")
                .then().statusCode(201);
        as(admin).body(Map.of("slug", "acme", "name", "Acme again")).post("/admin/v1/tenants")
                .then().statusCode(409).contentType("application/problem+json").body("code", notNullValue());

        as(admin).body(Map.of("email", "alice@acme.test", "role", "admin")).post("/admin/v1/tenants/acme/members")
                .then().statusCode(201);
        as(admin).body(Map.of("email", "bob@globex.test", "role", "admin")).post("/admin/v1/tenants/globex/members")
                .then().statusCode(201);

        as(admin).get("/admin/v1/tenants").then().statusCode(200).body("slug", hasItems("acme", "globex"));
        as(alice).body(Map.of("slug", "evil", "name", "Evil")).post("/admin/v1/tenants").then().statusCode(403);
        as(admin).get("/admin/v1/tenants").then().body("slug", not(hasItem("evil")));
    }

    @Test
    @Order(2)
    void garbageUploadIsRejectedAndLeavesNoVersion() {
        as(admin).body(Map.of("name", PRIVATE_MODEL, "description", "acme's private linear model",
                        "visibility", "private", "owner_tenant", "acme"))
                .post("/admin/v1/models").then().statusCode(201);

        given().header("Authorization", "Bearer " + admin).contentType("application/octet-stream")
                .body("this is not an ONNX model".getBytes(StandardCharsets.UTF_8))
                .post("/admin/v1/models/" + PRIVATE_MODEL + "/versions")
                .then().statusCode(400).contentType("application/problem+json").body("code", notNullValue());

        as(admin).get("/admin/v1/models/" + PRIVATE_MODEL).then().statusCode(200)
                .body("versions.size()", equalTo(0));
    }

    @Test
    @Order(3)
    void uploadedModelBecomesReadyOnTheWorker() {
        given().header("Authorization", "Bearer " + admin).contentType("application/octet-stream")
                .body(LINEAR.onnx())
                .post("/admin/v1/models/" + PRIVATE_MODEL + "/versions")
                .then().statusCode(201).body("version", equalTo(1)).body("status", equalTo("ready"));

        DemoSeeder.awaitReady(stack.api(), admin, PRIVATE_MODEL, 1, Duration.ofSeconds(60));
        as(admin).get("/admin/v1/workers").then().statusCode(200).body("status", hasItem("up"));
    }

    @Test
    @Order(4)
    void aliceCreatesAKeyAndGetsTheReferenceOutputs() {
        Response created = as(alice).body(Map.of("name", "e2e")).post("/api/v1/tenants/acme/keys");
        created.then().statusCode(201).body("key", startsWith("aiaas_"));
        acmeKey = created.path("key");
        acmeKeyId = created.path("id");
        as(alice).get("/api/v1/tenants/acme/keys").then().statusCode(200)
                .body("id", hasItem(acmeKeyId)).body("key", not(hasItem(acmeKey)));

        Response infer = inferLinear(acmeKey);
        infer.then().statusCode(200)
                .header("x-request-id", notNullValue())
                .header("x-aiaas-device", notNullValue())
                .header("x-aiaas-model-version", equalTo("1"))
                .body("outputs[0].name", equalTo(TestModels.Linear.OUTPUT))
                .body("outputs[0].datatype", equalTo("FP32"))
                .body("outputs[0].shape", equalTo(List.of(X.length, BIAS.length)));
        assertClose(LINEAR.forward(X), floats(infer.path("outputs[0].data")), BIAS.length);
    }

    @Test
    @Order(5)
    void usageShowsExactlyThatCall() {
        Response usage = as(alice).get("/api/v1/tenants/acme/usage?bucket_width=1d&group_by=model");
        usage.then().statusCode(200)
                .body("tenant", equalTo("acme"))
                .body("totals.requests", equalTo(1))
                .body("totals.billable_requests", equalTo(1))
                .body("totals.errors", equalTo(0))
                .body("totals.items", equalTo(X.length))
                .body("buckets.size()", equalTo(1))
                .body("buckets[0].group", equalTo(PRIVATE_MODEL))
                .body("buckets[0].requests", equalTo(1));
        // bob's tenant has made no call yet
        as(bob).get("/api/v1/tenants/globex/usage").then().statusCode(200).body("totals.requests", equalTo(0));
    }

    @Test
    @Order(6)
    void globexCannotReachAcmesPrivateModelKeysOrUsage() {
        Response created = as(bob).body(Map.of("name", "globex-e2e")).post("/api/v1/tenants/globex/keys");
        created.then().statusCode(201);
        String globexKey = created.path("key");

        inferLinear(globexKey).then().statusCode(404).body("error", notNullValue());
        given().header("Authorization", "Bearer " + globexKey).get("/v2/models/" + PRIVATE_MODEL)
                .then().statusCode(404);
        given().header("Authorization", "Bearer " + acmeKey).get("/v2/models/" + PRIVATE_MODEL)
                .then().statusCode(200);

        as(bob).get("/api/v1/tenants/globex/models").then().statusCode(200)
                .body("name", not(hasItem(PRIVATE_MODEL)));
        as(alice).get("/api/v1/tenants/acme/models").then().statusCode(200).body("name", hasItem(PRIVATE_MODEL));
        for (String path : List.of("/api/v1/tenants/acme/keys", "/api/v1/tenants/acme/usage",
                "/api/v1/tenants/acme/models")) {
            as(bob).get(path).then().statusCode(404).contentType("application/problem+json");
        }
        as(bob).delete("/api/v1/tenants/acme/keys/" + acmeKeyId).then().statusCode(404);
        inferLinear(acmeKey).then().statusCode(200);
    }

    @Test
    @Order(7)
    void revokedKeyIsRejectedWithin1s() {
        as(alice).delete("/api/v1/tenants/acme/keys/" + acmeKeyId).then().statusCode(204);
        Instant revoked = Instant.now();
        int status;
        do {
            status = inferLinear(acmeKey).statusCode();
        } while (status != 401 && Duration.between(revoked, Instant.now()).toMillis() < 1000);
        assertEquals(401, status, "a revoked key must be refused within 1 s");
        inferLinear(acmeKey).then().statusCode(401).body("error", notNullValue());
        inferLinear("aiaas_not-a-key").then().statusCode(401);
    }

    @Test
    @Order(8)
    void irisDemoSeedsIdempotentlyAndAnswersLikeTheReference() {
        DemoSeeder.Result first = stack.seedDemo();
        DemoSeeder.Result second = stack.seedDemo();
        assertEquals(first.version(), second.version(), "a second seeding must not upload the model again");
        assertTrue(first.testAccuracy() >= 0.9, "the demo model is a good classifier: " + first.testAccuracy());

        IrisDemo.Trained iris = IrisDemo.train();
        float[][] rows = iris.test().features();
        Response infer = given().header("Authorization", "Bearer " + second.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(Map.of("name", IrisDemo.INPUT, "datatype", "FP32",
                        "shape", List.of(rows.length, IrisDemo.FEATURES), "data", rows))))
                .post("/v2/models/" + DemoSeeder.MODEL + "/infer");
        infer.then().statusCode(200).header("x-aiaas-device", notNullValue());
        List<Map<String, Object>> outputs = infer.path("outputs");
        Map<String, Object> probabilities = outputs.stream()
                .filter(o -> IrisDemo.PROBABILITIES.equals(o.get("name"))).findFirst().orElseThrow();
        Map<String, Object> labels = outputs.stream()
                .filter(o -> IrisDemo.LABEL.equals(o.get("name"))).findFirst().orElseThrow();
        assertClose(iris.probabilities(rows), floats(probabilities.get("data")), IrisDemo.CLASS_NAMES.size());
        long[] expected = iris.labels(rows);
        List<?> actual = (List<?>) labels.get("data");
        assertArrayEquals(expected, actual.stream().mapToLong(v -> ((Number) v).longValue()).toArray());
    }

    @Test
    @Order(9)
    void secondReplicaRunsOnTheFirstOnesDatabaseAndSeesItsWorker() throws IOException {
        Instant begin = Instant.now();
        replicaB = stack.startReplica();
        System.out.printf("replica B ready in %d ms at %s%n", millisSince(begin), replicaB);

        // B got only the standard datasource settings: it must use A's server, not start one of its own
        String logA = Files.readString(stack.settings().logDir().resolve("platform-api.log"));
        String logB = Files.readString(stack.settings().logDir().resolve("platform-api-2.log"));
        assertTrue(logA.contains("Embedded PostgreSQL on port " + stack.settings().postgresPort()), "A's database");
        assertFalse(logB.contains("Embedded PostgreSQL"), "replica B started a database of its own");

        // the worker registered and heartbeats with A only; B knows it from PostgreSQL
        as(admin).baseUri(replicaB).get("/admin/v1/workers").then().statusCode(200)
                .body("url", hasItem(stack.workerUrl())).body("status", hasItem("up"));
        as(admin).baseUri(replicaB).get("/admin/v1/tenants").then().statusCode(200)
                .body("slug", hasItems("acme", "globex"));
    }

    @Test
    @Order(10)
    void keyMadeOnOneReplicaInfersThroughTheOtherWithTheSameOutputs() {
        Response created = as(alice).body(Map.of("name", "made-on-a")).post("/api/v1/tenants/acme/keys");
        created.then().statusCode(201);
        String keyMadeOnA = created.path("key");
        String idMadeOnA = created.path("id");

        Response viaB = inferLinear(replicaB, keyMadeOnA);
        viaB.then().statusCode(200).header("x-aiaas-model-version", equalTo("1"))
                .header("x-aiaas-device", notNullValue());
        Response viaA = inferLinear(stack.apiUrl(), keyMadeOnA);
        viaA.then().statusCode(200);
        float[] outputsB = floats(viaB.path("outputs[0].data"));
        assertClose(LINEAR.forward(X), outputsB, BIAS.length);
        assertArrayEquals(floats(viaA.path("outputs[0].data")), outputsB, "one worker answers both replicas");

        Response createdOnB = as(alice).baseUri(replicaB).body(Map.of("name", "made-on-b"))
                .post("/api/v1/tenants/acme/keys");
        createdOnB.then().statusCode(201);
        keyMadeOnB = createdOnB.path("key");
        String idMadeOnB = createdOnB.path("id");
        inferLinear(stack.apiUrl(), keyMadeOnB).then().statusCode(200);
        as(alice).get("/api/v1/tenants/acme/keys").then().statusCode(200)
                .body("id", hasItems(idMadeOnA, idMadeOnB));
    }

    @Test
    @Order(11)
    void usageThroughBothReplicasIsCountedOncePerCall() {
        Response created = as(alice).body(Map.of("name", "replica-usage")).post("/api/v1/tenants/acme/keys");
        created.then().statusCode(201);
        usageKey = created.path("key");
        usageKeyId = created.path("id");
        int viaA = 3;
        int viaB = 4;
        for (int i = 0; i < viaA; i++) {
            inferLinear(stack.apiUrl(), usageKey).then().statusCode(200);
        }
        for (int i = 0; i < viaB; i++) {
            inferLinear(replicaB, usageKey).then().statusCode(200);
        }
        // both replicas report the same rows: each call once, whichever replica served it
        for (String replica : List.of(stack.apiUrl(), replicaB)) {
            Response usage = as(alice).baseUri(replica).get("/api/v1/tenants/acme/usage?bucket_width=1d&group_by=key");
            usage.then().statusCode(200);
            List<Map<String, Object>> buckets = usage.path("buckets");
            List<Map<String, Object>> ofKey = buckets.stream().filter(b -> usageKeyId.equals(b.get("group"))).toList();
            assertEquals(viaA + viaB, sum(ofKey, "requests"), "requests of the key, reported by " + replica);
            assertEquals(viaA + viaB, sum(ofKey, "billable_requests"), "billable requests, reported by " + replica);
            assertEquals((viaA + viaB) * X.length, sum(ofKey, "items"), "items, reported by " + replica);
        }
    }

    @Test
    @Order(12)
    void keyLimitedNarrowedOrRevokedOnOneReplicaIsRefusedOnTheOtherWithin1s() {
        // B has just looked the key up and holds it in its cache
        inferLinear(replicaB, usageKey).then().statusCode(200);
        // a rate limit of its own put on it through A: B holds it to one call a minute from then on, and lets it go
        as(alice).body(Map.of("requests_per_minute", 1))
                .put("/api/v1/tenants/acme/keys/" + usageKeyId + "/rate-limit").then().statusCode(200);
        long limited = millisUntilStatus(() -> inferLinear(replicaB, usageKey).statusCode(), 429);
        System.out.printf("a key's rate limit set through A held on B after %d ms%n", limited);
        assertTrue(limited < 1000, "a key's rate limit set on A must hold on B within 1 s, took " + limited + " ms");
        inferLinear(replicaB, usageKey).then().statusCode(429).body("code", equalTo("rate_limited"));
        Map<String, Object> none = new java.util.HashMap<>();
        none.put("requests_per_minute", null);
        as(alice).body(none).put("/api/v1/tenants/acme/keys/" + usageKeyId + "/rate-limit").then().statusCode(200);
        assertTrue(millisUntilStatus(() -> inferLinear(replicaB, usageKey).statusCode(), 200) < 1000,
                "the limit removed on A is gone on B within 1 s");
        // its models narrowed through A to the demo model: B refuses the linear model from then on
        as(alice).body(Map.of("models", List.of(DemoSeeder.MODEL)))
                .put("/api/v1/tenants/acme/keys/" + usageKeyId + "/models").then().statusCode(200);
        long narrowed = millisUntilStatus(() -> inferLinear(replicaB, usageKey).statusCode(), 403);
        System.out.printf("models narrowed through A refused on B after %d ms%n", narrowed);
        assertTrue(narrowed < 1000, "a key narrowed on A must be refused on B within 1 s, took " + narrowed + " ms");
        inferLinear(replicaB, usageKey).then().statusCode(403).body("code", equalTo("model_not_allowed"));
        // B holds the key again, with its new list (a 403 comes after the key was found)
        as(alice).delete("/api/v1/tenants/acme/keys/" + usageKeyId).then().statusCode(204);
        long millis = millisUntilStatus(() -> inferLinear(replicaB, usageKey).statusCode(), 401);
        System.out.printf("revocation through A refused on B after %d ms%n", millis);
        assertTrue(millis < 1000, "a key revoked on A must be refused on B within 1 s, took " + millis + " ms");
        inferLinear(replicaB, usageKey).then().statusCode(401).body("error", notNullValue());
    }

    @Test
    @Order(13)
    void tenantSuspendedOnOneReplicaIsRefusedOnTheOtherWithin1sAndResumes() {
        inferLinear(replicaB, keyMadeOnB).then().statusCode(200);
        as(admin).body(Map.of("status", "suspended")).patch("/admin/v1/tenants/acme")
                .then().statusCode(200).body("status", equalTo("suspended"));
        long suspended = millisUntilStatus(() -> inferLinear(replicaB, keyMadeOnB).statusCode(), 403);
        System.out.printf("suspension through A refused on B after %d ms%n", suspended);
        assertTrue(suspended < 1000, "a tenant suspended on A must be refused on B within 1 s, took "
                + suspended + " ms");
        inferLinear(replicaB, keyMadeOnB).then().statusCode(403).body("error", notNullValue());

        as(admin).body(Map.of("status", "active")).patch("/admin/v1/tenants/acme")
                .then().statusCode(200).body("status", equalTo("active"));
        long resumed = millisUntilStatus(() -> inferLinear(replicaB, keyMadeOnB).statusCode(), 200);
        System.out.printf("resumption through A served on B after %d ms%n", resumed);
        assertTrue(resumed < 1000, "a resumed tenant must be served on B within 1 s, took " + resumed + " ms");
        as(admin).baseUri(replicaB).get("/admin/v1/tenants/acme").then().statusCode(200)
                .body("status", equalTo("active"));
    }

    /**
     * One person signing up six times at once, half through each replica, with a limit of two: the limit is held in
     * PostgreSQL (an advisory lock on the person), so exactly two tenants exist afterwards, whichever replica served.
     */
    @Test
    @Order(15)
    void onePersonsSignupsThroughBothReplicasAtOnceStopAtTheLimit() throws Exception {
        String starter = as(admin).get("/admin/v1/signup").then().statusCode(200).body("open", equalTo(true))
                .extract().path("plan_id"); // the demo seeded in order 8 opened it
        as(admin).body(Map.of("plan_id", starter, "max_tenants_per_person", 2)).put("/admin/v1/signup").then()
                .statusCode(200);
        List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String base = i % 2 == 0 ? stack.apiUrl() : replicaB;
            String slug = "bob-race-" + i;
            calls.add(() -> as(bob).baseUri(base).body(Map.of("slug", slug, "name", "Race " + slug))
                    .post("/api/v1/signup").then().extract().statusCode());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        try {
            for (java.util.concurrent.Future<Integer> answer : pool.invokeAll(calls)) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("RESULT sign-ups of one person over two replicas, limit 2: " + statuses);
        assertEquals(Map.of(201, 2, 409, 4), statuses);
        as(bob).baseUri(replicaB).get("/api/v1/signup").then().statusCode(200).body("tenants_created", equalTo(2));
        long created = as(bob).get("/api/v1/me").then().statusCode(200).extract().jsonPath()
                .getList("tenants.slug", String.class).stream().filter(slug -> slug.startsWith("bob-race-")).count();
        assertEquals(2, created, "bob is the admin of exactly the two tenants created");
    }

    /**
     * Bob closes one of his tenants through A: its key stops on B within a second (its revocation, and the tenant's
     * status, reach B by NOTIFY), B refuses changes to it, and what it owes stays readable there.
     */
    @Test
    @Order(16)
    void aTenantClosedOnOneReplicaStopsItsKeysOnTheOtherWithin1s() {
        String slug = as(bob).get("/api/v1/me").then().statusCode(200).extract().jsonPath()
                .getList("tenants.slug", String.class).stream().filter(s -> s.startsWith("bob-race-")).findFirst()
                .orElseThrow();
        String key = as(bob).baseUri(replicaB).body(Map.of("name", "closing")).post("/api/v1/tenants/" + slug
                + "/keys").then().statusCode(201).extract().path("key");
        // acme's private model is not bob's to call: the key authenticates, and the model is not found for it
        inferLinear(replicaB, key).then().statusCode(404);

        as(bob).body(Map.of("confirm", slug)).post("/api/v1/tenants/" + slug + "/close").then().statusCode(200)
                .body("status", equalTo("closed"));
        long millis = millisUntilStatus(() -> inferLinear(replicaB, key).statusCode(), 401);
        System.out.printf("tenant closed through A: its key refused on B after %d ms%n", millis);
        assertTrue(millis < 1000, "a closed tenant's key must be refused on B within 1 s, took " + millis + " ms");
        as(bob).baseUri(replicaB).body(Map.of("name", "after")).post("/api/v1/tenants/" + slug + "/keys").then()
                .statusCode(409).body("code", equalTo("tenant_closed"));
        as(bob).baseUri(replicaB).get("/api/v1/tenants/" + slug + "/invoices/upcoming").then().statusCode(200)
                .body("plan_id", notNullValue()); // the Starter plan's month, still owed
        as(bob).baseUri(replicaB).get("/api/v1/signup").then().statusCode(200).body("tenants_created", equalTo(2));
    }

    /**
     * A worker whose key may be two seconds old replaces it again and again on its own (docs/internal-auth.md): the
     * real control plane registers each new key on a request signed with the old one, retires the old one on a
     * request signed with the new one, and the worker's heartbeats pass throughout.
     */
    @Test
    @Order(17)
    void aWorkerReplacesItsOwnKeyAndItsHeartbeatsPassThroughout() throws IOException {
        LocalStack.Worker worker = stack.startWorker(Map.of("AIAAS_WORKER_KEY_ROTATION_MAX_AGE", "2s",
                "AIAAS_WORKER_KEY_ROTATION_CHECK_INTERVAL", "500ms",
                "AIAAS_WORKER_KEY_ROTATION_RETIRE_AFTER", "1s"));
        Instant begin = Instant.now();
        JsonNode identity;
        do {
            identity = identityNamed(worker.workerName());
            if (retired(identity).size() >= 2) {
                break;
            }
            sleep(250);
        } while (millisSince(begin) < 30_000);
        List<JsonNode> retired = retired(identity);
        assertTrue(retired.size() >= 2, "two rotations within 30 s: " + identity);
        System.out.printf("worker %s retired %d keys in %d ms%n", worker.workerName(), retired.size(),
                millisSince(begin));
        Instant lastRetired = retired.stream().map(k -> Instant.parse(k.path("retired_at").asText()))
                .max(Instant::compareTo).orElseThrow();

        // a heartbeat after the last retirement was signed with a key added since and accepted
        Instant heartbeat = Instant.MIN;
        Instant waited = Instant.now();
        while (!heartbeat.isAfter(lastRetired) && millisSince(waited) < 10_000) {
            sleep(250);
            heartbeat = as(admin).get("/admin/v1/workers").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.name == '" + worker.workerName() + "' }.last_heartbeat_at", String.class)
                    .stream().map(Instant::parse).findFirst().orElse(Instant.MIN);
        }
        assertTrue(heartbeat.isAfter(lastRetired), "heartbeat " + heartbeat + " after " + lastRetired);
        JsonNode now = identityNamed(worker.workerName());
        long active = 0;
        for (JsonNode key : now.path("keys")) {
            active += key.path("retired_at").isNull() ? 1 : 0;
        }
        assertTrue(active >= 1 && active <= 2, "the key signing now, and at most the next one: " + now);
        String log = Files.readString(stack.settings().logDir().resolve(worker.name() + ".log"));
        assertFalse(log.contains("answered HTTP 401") || log.contains("answered 401"),
                "no request of the worker was refused");
        assertTrue(log.contains("is retired; worker identity"), "the worker logs each completed rotation");
    }

    /**
     * A model whose weights lie in a data file, uploaded as a zip archive (how every model over 2 GB travels): the
     * workers download the archive, unpack it and serve it; a tenant's call reads the weights from the data file.
     */
    @Test
    @Order(18)
    void aModelWithItsWeightsInADataFileIsUploadedAsAnArchiveAndServed() {
        String model = "external-weights";
        as(admin).body(Map.of("name", model, "visibility", "public", "description", "W in model/weights.bin"))
                .post("/admin/v1/models").then().statusCode(201);
        given().header("Authorization", "Bearer " + admin).contentType("application/zip")
                .body(TestModels.externalDataArchive()).post("/admin/v1/models/" + model + "/versions")
                .then().statusCode(201).body("signature.inputs[0].name", equalTo("x"));
        DemoSeeder.awaitReady(stack.api(), admin, model, 1, Duration.ofSeconds(60));
        String key = as(bob).body(Map.of("name", "archived")).post("/api/v1/tenants/globex/keys").then()
                .statusCode(201).extract().path("key");
        Map<String, Object> x = Map.of("name", "x", "datatype", "FP32", "shape", List.of(2, 2),
                "data", List.of(1, 1, 0.5, -1));
        // W = [[1, 2], [3, 4]]: [1, 1] W = [4, 6], [0.5, -1] W = [-2.5, -3]
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(x))).post("/v2/models/" + model + "/infer")
                .then().statusCode(200).body("outputs[0].data", equalTo(List.of(4f, 6f, -2.5f, -3f)));
    }

    /**
     * A rollout set through replica A steers the calls that name no version on replica B within a second (the same
     * NOTIFY as a new version), and a canary there gets its share.
     */
    @Test
    @Order(19)
    void aRolloutSetOnOneReplicaSteersTheOthersCallsWithin1s() {
        given().header("Authorization", "Bearer " + admin).contentType("application/octet-stream")
                .body(LINEAR.onnx()).post("/admin/v1/models/" + PRIVATE_MODEL + "/versions")
                .then().statusCode(201).body("version", equalTo(2));
        DemoSeeder.awaitReady(stack.api(), admin, PRIVATE_MODEL, 2, Duration.ofSeconds(60));
        String key = as(alice).body(Map.of("name", "rollout")).post("/api/v1/tenants/acme/keys").then()
                .statusCode(201).extract().path("key");
        // B's routing table learns that a worker serves version 2 from its next refresh
        Instant loaded = Instant.now();
        while (!"2".equals(inferLinear(replicaB, key).header("x-aiaas-model-version"))) {
            assertTrue(millisSince(loaded) < 10_000, "version 2 never took B's calls");
            sleep(100);
        }
        String rollout = "/admin/v1/models/" + PRIVATE_MODEL + "/rollout";
        as(admin).body(Map.of("stable_version", 1)).put(rollout).then().statusCode(200);
        long millis = millisUntilStatus(() -> "1".equals(inferLinear(replicaB, key).header("x-aiaas-model-version"))
                ? 200 : 0, 200);
        System.out.printf("rollout set through A: B's calls on the stable version after %d ms%n", millis);
        assertTrue(millis < 1000, "B must follow the rollout within 1 s, took " + millis + " ms");

        as(admin).body(Map.of("stable_version", 1, "canary_version", 2, "canary_percent", 50)).put(rollout).then()
                .statusCode(200);
        java.util.Set<String> answered = new java.util.TreeSet<>();
        Instant canary = Instant.now();
        while (answered.size() < 2 && millisSince(canary) < 10_000) {
            answered.add(inferLinear(replicaB, key).then().statusCode(200).extract().header("x-aiaas-model-version"));
        }
        assertEquals(java.util.Set.of("1", "2"), answered, "half the calls on the canary, half on the stable one");
        as(admin).body(Map.of()).put(rollout).then().statusCode(200);
    }

    private static JsonNode identityNamed(String name) {
        JsonNode all = Json.parse(as(admin).get("/admin/v1/workers/identities").then().statusCode(200).extract()
                .asString());
        for (JsonNode identity : all) {
            if (identity.path("name").asText().equals(name) && identity.path("revoked_at").isNull()) {
                return identity;
            }
        }
        throw new AssertionError("no identity named " + name + ": " + all);
    }

    private static List<JsonNode> retired(JsonNode identity) {
        List<JsonNode> keys = new java.util.ArrayList<>();
        identity.path("keys").forEach(k -> {
            if (!k.path("retired_at").isNull()) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls until the call answers the status wanted; the time since the poll began, failing after 5 s. */
    private static long millisUntilStatus(IntSupplier call, int wanted) {
        Instant begin = Instant.now();
        int status;
        do {
            status = call.getAsInt();
            if (status == wanted) {
                return millisSince(begin);
            }
        } while (millisSince(begin) < 5000);
        throw new AssertionError("still HTTP " + status + " after 5 s, expected " + wanted);
    }

    /**
     * A classifier as scikit-learn exports it by default: its labels as strings, its probabilities as a sequence of
     * maps (ZipMap), which the Open Inference Protocol cannot carry. Triton refuses such a model; here it is served
     * with its tensor output, and the one it cannot serve is named on its card and in the error of a call asking for it.
     */
    @Test
    @Order(14)
    void aScikitLearnClassifierIsServedWithItsLabelsAndWithoutItsZipMapOutput() {
        String model = "sklearn-zipmap";
        as(admin).body(Map.of("name", model, "visibility", "public", "description", "labels as strings, ZipMap"))
                .post("/admin/v1/models").then().statusCode(201);
        given().header("Authorization", "Bearer " + admin).contentType("application/octet-stream")
                .body(TestModels.zipMapClassifier()).post("/admin/v1/models/" + model + "/versions")
                .then().statusCode(201).body("signature.outputs.name", equalTo(List.of("output_label")))
                .body("signature.omitted_outputs.name", equalTo(List.of("output_probability")));
        DemoSeeder.awaitReady(stack.api(), admin, model, 1, Duration.ofSeconds(60));
        String key = as(bob).body(Map.of("name", "sklearn")).post("/api/v1/tenants/globex/keys").then()
                .statusCode(201).extract().path("key");

        float[][] rows = {{3f, 0f, 0f}, {0f, 3f, 0.5f}, {0.1f, 0f, 4f}, {1f, 1.2f, 0.9f}};
        List<String> expected = java.util.Arrays.stream(rows).map(TestModels::zipMapLabel).toList();
        assertEquals(3, new java.util.HashSet<>(expected).size(), "the rows ask for every class: " + expected);
        Map<String, Object> features = Map.of("name", "features", "datatype", "FP32", "shape", List.of(rows.length, 3),
                "data", rows);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(features))).post("/v2/models/" + model + "/infer")
                .then().statusCode(200).body("outputs.name", equalTo(List.of("output_label")))
                .body("outputs[0].datatype", equalTo("BYTES")).body("outputs[0].shape", equalTo(List.of(rows.length)))
                .body("outputs[0].data", equalTo(expected));
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(features), "outputs", List.of(Map.of("name", "output_probability"))))
                .post("/v2/models/" + model + "/infer")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString(
                        "output 'output_probability' is a sequence of maps from string to float, which the inference"
                                + " protocol cannot carry"));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + model).then().statusCode(200)
                .body("outputs.name", equalTo(List.of("output_label")));
    }

    private static long millisSince(Instant begin) {
        return Duration.between(begin, Instant.now()).toMillis();
    }

    private static long sum(List<Map<String, Object>> buckets, String field) {
        return buckets.stream().mapToLong(b -> ((Number) b.get(field)).longValue()).sum();
    }

    private static JsonNode claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return Json.parse(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private static Response inferLinear(String key) {
        return inferLinear(stack.apiUrl(), key);
    }

    private static Response inferLinear(String baseUrl, String key) {
        return given().baseUri(baseUrl).header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(Map.of("name", TestModels.Linear.INPUT, "datatype", "FP32",
                        "shape", List.of(X.length, WEIGHTS.length), "data", X))))
                .post("/v2/models/" + PRIVATE_MODEL + "/infer");
    }

    /** The flat data of an output, which the protocol allows flat or nested. */
    private static float[] floats(Object data) {
        assertNotNull(data, "output data");
        List<Float> flat = new java.util.ArrayList<>();
        flatten(data, flat);
        float[] result = new float[flat.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = flat.get(i);
        }
        return result;
    }

    private static void flatten(Object data, List<Float> into) {
        if (data instanceof List<?> list) {
            list.forEach(item -> flatten(item, into));
        } else {
            into.add(((Number) data).floatValue());
        }
    }

    private static void assertClose(float[][] expected, float[] actual, int columns) {
        assertEquals(expected.length * columns, actual.length, "number of output values");
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < columns; c++) {
                assertEquals(expected[r][c], actual[r * columns + c], TOLERANCE, "row " + r + " column " + c);
            }
        }
    }
}
