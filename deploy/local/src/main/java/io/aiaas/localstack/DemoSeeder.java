package io.aiaas.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.IrisDemo;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * Seeds the demo through the public APIs only, as a real operator would: tenants acme and globex, their admins alice
 * and bob, self-service sign-up open on a Starter plan (and Pro for tenants to move to), the Iris classifier trained
 * here and published as the public model {@code iris} with an example request, and an API key for acme. Every step
 * tolerates 409 (already there), so a restart on the same state seeds nothing twice.
 */
public final class DemoSeeder {

    public static final String MODEL = "iris";
    public static final String TENANT = "acme";
    /** The plan self-service sign-up puts new tenants on in the local run. */
    public static final String SIGNUP_PLAN = "Starter";
    /** The self-service plan a Starter tenant can move to. */
    public static final String UPGRADE_PLAN = "Pro";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private record Tenant(String slug, String name, String adminEmail) {
    }

    private static final List<Tenant> TENANTS = List.of(
            new Tenant("acme", "Acme Corp", "alice@acme.test"),
            new Tenant("globex", "Globex Inc", "bob@globex.test"));

    /** What the seeding left for the person at the keyboard. */
    public record Result(String tenant, String apiKey, String apiKeyId, String model, int version,
                         double testAccuracy, int testRows, float[] sample, String sampleLabel,
                         String sampleResponse) {
    }

    private final ApiClient api;
    private final BinaryOperator<String> userToken;
    private final PrintStream log;

    /** {@code userToken} answers an access token for (username, password). */
    public DemoSeeder(ApiClient api, BinaryOperator<String> userToken, PrintStream log) {
        this.api = api;
        this.userToken = userToken;
        this.log = log;
    }

    public Result seed() {
        String admin = userToken.apply("admin", "admin");
        for (Tenant tenant : TENANTS) {
            int created = api.postJson("/admin/v1/tenants", admin, Map.of("slug", tenant.slug(), "name", tenant.name()))
                    .expect(200, 201, 409).status();
            log.printf("tenant %-8s %s%n", tenant.slug(), created == 409 ? "already there" : "created");
            int member = api.postJson("/admin/v1/tenants/" + tenant.slug() + "/members", admin,
                    Map.of("email", tenant.adminEmail(), "role", "admin")).expect(200, 201, 409).status();
            log.printf("  member %-16s %s%n", tenant.adminEmail(), member == 409 ? "already there" : "added as admin");
        }

        openSignup(admin);

        // prepare, train, evaluate: the whole model story runs here in plain Java, then the ONNX file is deployed
        IrisDemo.Trained iris = IrisDemo.train();
        byte[] onnx = iris.onnx();
        log.printf("iris trained: train accuracy %.3f (%d rows), test accuracy %.3f (%d rows), %d bytes of ONNX%n",
                iris.trainAccuracy(), iris.train().size(), iris.testAccuracy(), iris.test().size(), onnx.length);

        int modelStatus = api.postJson("/admin/v1/models", admin, Map.of(
                "name", MODEL,
                "description", "Iris species from sepal and petal sizes (logistic regression, demo)",
                "visibility", "public")).expect(200, 201, 409).status();
        log.printf("model %s %s%n", MODEL, modelStatus == 409 ? "already there" : "created");
        int version = existingVersion(admin, sha256(onnx)).orElseGet(() -> upload(admin, onnx));
        float[] sample = iris.test().features()[0];
        registerExample(admin, version, sample);
        awaitReadyOnWorker(admin, MODEL, version);

        String alice = userToken.apply("alice", "alice");
        String keyName = "local-run " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneOffset.UTC).format(Instant.now());
        JsonNode key = api.postJson("/api/v1/tenants/" + TENANT + "/keys", alice, Map.of("name", keyName))
                .expect(200, 201).json();
        String apiKey = key.path("key").asText();
        log.printf("API key '%s' created by alice for %s%n", keyName, TENANT);

        ApiClient.Response infer = api.postJson("/v2/models/" + MODEL + "/infer", apiKey, inferBody(sample))
                .expect(200);
        long label = iris.labels(new float[][] {sample})[0];
        return new Result(TENANT, apiKey, key.path("id").asText(), MODEL, version, iris.testAccuracy(),
                iris.test().size(), sample, IrisDemo.CLASS_NAMES.get((int) label), infer.body());
    }

    /**
     * The plan a stranger's tenant starts on when they register on the sign-in page and create one (docs/signup.md):
     * small limits and prices, so that trying the platform shows what billing does.
     */
    static final Map<String, Object> STARTER_PLAN = Map.of(
            "name", SIGNUP_PLAN,
            "currency", "USD",
            "monthly_fee_micros", 0,
            "included_credit_micros", 1_000_000,
            "rate_limits", Map.of("requests_per_minute_per_key", 60, "requests_per_minute_per_tenant", 120,
                    "max_concurrent_requests", 4),
            "quotas", List.of(Map.of("metric", "requests", "limit", 10_000, "enforcement", "hard")),
            "budget", Map.of("limit_micros", 5_000_000, "enforcement", "hard"),
            "prices", List.of(Map.of("per_1k_requests", Map.of("tiers", List.of(Map.of("unit_micros", 500_000))))));

    /** A bigger plan a tenant on Starter can move to by itself (from its next billing period). */
    static final Map<String, Object> PRO_PLAN = Map.of(
            "name", UPGRADE_PLAN,
            "currency", "USD",
            "monthly_fee_micros", 20_000_000,
            "included_credit_micros", 5_000_000,
            "rate_limits", Map.of("requests_per_minute_per_key", 600, "requests_per_minute_per_tenant", 1_200,
                    "max_concurrent_requests", 16),
            "quotas", List.of(Map.of("metric", "requests", "limit", 1_000_000, "enforcement", "hard")),
            "budget", Map.of("limit_micros", 100_000_000, "enforcement", "soft"),
            "prices", List.of(Map.of("per_1k_requests", Map.of("tiers", List.of(Map.of("unit_micros", 400_000))))));

    /**
     * Creates the Starter and Pro plans (or finds them), lets tenants choose either themselves, and opens
     * self-service sign-up on Starter, three tenants a person.
     */
    private void openSignup(String admin) {
        String starter = createOrFindPlan(api, admin, SIGNUP_PLAN, STARTER_PLAN);
        String pro = createOrFindPlan(api, admin, UPGRADE_PLAN, PRO_PLAN);
        for (String plan : List.of(starter, pro)) {
            api.putJson("/admin/v1/plans/" + plan + "/self-service", admin, Map.of("self_service", true)).expect(200);
        }
        api.putJson("/admin/v1/signup", admin, Map.of("plan_id", starter, "max_tenants_per_person", 3)).expect(200);
        log.printf("plans %s and %s ready for tenants to choose; self-service sign-up open on %s%n", SIGNUP_PLAN,
                UPGRADE_PLAN, SIGNUP_PLAN);
    }

    /** Creates the plan through the admin API, or finds the one of its name (a kept state directory); its id. */
    public static String createOrFindPlan(ApiClient api, String admin, String name, Object spec) {
        ApiClient.Response created = api.postJson("/admin/v1/plans", admin, spec).expect(201, 409);
        if (created.status() == 201) {
            return created.json().path("id").asText();
        }
        for (JsonNode plan : api.get("/admin/v1/plans", admin).expect(200).json()) {
            if (name.equals(plan.path("name").asText())) {
                return plan.path("id").asText();
            }
        }
        throw new IllegalStateException("plan " + name + " was neither created nor found: "
                + created.body());
    }

    /** An Open Inference Protocol request for one Iris row. */
    public static Map<String, Object> inferBody(float[] row) {
        return Map.of("inputs", List.of(Map.of(
                "name", IrisDemo.INPUT,
                "datatype", "FP32",
                "shape", List.of(1, IrisDemo.FEATURES),
                "data", row)));
    }

    private Optional<Integer> existingVersion(String admin, String sha256) {
        JsonNode model = api.get("/admin/v1/models/" + MODEL, admin).expect(200).json();
        for (JsonNode v : model.path("versions")) {
            if (sha256.equalsIgnoreCase(v.path("sha256").asText()) && !"RETIRED".equalsIgnoreCase(status(v))) {
                log.printf("model %s version %d already uploaded (same sha256)%n", MODEL, v.path("version").asInt());
                return Optional.of(v.path("version").asInt());
            }
        }
        return Optional.empty();
    }

    private int upload(String admin, byte[] onnx) {
        JsonNode version = api.postBytes("/admin/v1/models/" + MODEL + "/versions", admin, onnx,
                "application/octet-stream").expect(200, 201).json();
        log.printf("model %s version %d uploaded: %s%n", MODEL, version.path("version").asInt(), status(version));
        return version.path("version").asInt();
    }

    /**
     * The model card's example (and the console's try-it request): one held-out row. A worker that already serves
     * the version keeps serving it while it warms up with the example.
     */
    private void registerExample(String admin, int version, float[] row) {
        JsonNode model = api.get("/admin/v1/models/" + MODEL, admin).expect(200).json();
        for (JsonNode v : model.path("versions")) {
            if (v.path("version").asInt() == version && v.path("example").isObject()) {
                log.printf("model %s version %d already has an example%n", MODEL, version);
                return;
            }
        }
        api.putJson("/admin/v1/models/" + MODEL + "/versions/" + version + "/example", admin, inferBody(row))
                .expect(200);
        log.printf("model %s version %d: example request registered (a held-out row)%n", MODEL, version);
    }

    /** Polls the admin view of the model until a worker reports the version READY. */
    public static void awaitReady(ApiClient api, String adminToken, String model, int version, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            ApiClient.Response response = api.get("/admin/v1/models/" + model, adminToken);
            last = response.body();
            for (JsonNode v : response.json().path("versions")) {
                if (v.path("version").asInt() == version) {
                    for (JsonNode placement : v.path("placements")) {
                        if ("ready".equals(placement.path("state").asText())) {
                            return;
                        }
                    }
                }
            }
            Readiness.sleep(250);
        }
        throw new IllegalStateException("model " + model + " version " + version + " not READY on a worker after "
                + timeout.toSeconds() + " s; last answer: " + last);
    }

    private void awaitReadyOnWorker(String admin, String model, int version) {
        Instant begin = Instant.now();
        awaitReady(api, admin, model, version, READY_TIMEOUT);
        log.printf("model %s version %d READY on the worker after %d ms%n", model, version,
                Duration.between(begin, Instant.now()).toMillis());
    }

    private static String status(JsonNode version) {
        return version.path("status").asText();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
