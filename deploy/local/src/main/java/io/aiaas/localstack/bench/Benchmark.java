package io.aiaas.localstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.localstack.ApiClient;
import io.aiaas.localstack.DemoSeeder;
import io.aiaas.localstack.LocalStack;
import io.aiaas.localstack.LocalStackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The benchmark harness: starts the local stack on free ports in a throwaway state directory, publishes the models,
 * and measures side by side, in interleaved turns, (1) ONNX Runtime in this process, (2) the worker over HTTP with
 * an internal JWT, (3) the control plane's gateway with an API key and, with {@code --billing}, (4) the gateway with
 * the key of a second tenant on a plan ({@link #BILLING_PLAN}), whose calls are limited and priced. Prints a table
 * and writes JSON and Markdown.
 */
public final class Benchmark {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** The tenant of the billed target: on {@link #BILLING_PLAN}; the demo's acme has no plan. */
    static final String BILLED_TENANT = "bench-billed";
    static final String BILLING_CURRENCY = "USD";
    /**
     * Limits far above what the benchmark sends, so nothing is refused, but every kind is checked on each call (two
     * rate windows, concurrency, a hard quota, a hard budget) and each call is priced with three components.
     */
    static final String BILLING_PLAN = """
            {"name": "bench", "currency": "USD", "monthly_fee_micros": 0, "included_credit_micros": 0,
             "rate_limits": {"requests_per_minute_per_key": 10000000, "requests_per_minute_per_tenant": 10000000,
                             "max_concurrent_requests": 1000},
             "quotas": [{"metric": "requests", "model": null, "limit": 1000000000, "enforcement": "hard"}],
             "budget": {"limit_micros": 1000000000000, "enforcement": "hard"},
             "prices": [{"model": null,
                         "per_1k_requests": {"tiering": "graduated", "tiers": [{"up_to": null, "unit_micros": 100}]},
                         "per_1k_items": {"tiers": [{"up_to": null, "unit_micros": 10}]},
                         "per_compute_second": {"tiers": [{"up_to": null, "unit_micros": 1000}]}}]}""";

    private final BenchOptions options;
    private final PrintStream out;

    public Benchmark(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.now());
            options = BenchOptions.parse(args, Path.of("target", "bench", stamp));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            new Benchmark(options, System.out).run();
        } catch (RuntimeException e) {
            System.err.println("bench: FAILED: " + e.getMessage());
            System.exit(1);
        }
        // the HTTP clients' and ONNX Runtime's threads must not keep the JVM alive
        System.exit(0);
    }

    /** Runs every scenario and writes the report; the stack is stopped whatever happens. */
    public BenchReport run() {
        List<BenchModel> models = options.models().stream().map(BenchModel::named).toList();
        boolean ownState = options.stateDir().isEmpty();
        Path state = options.stateDir().orElseGet(Benchmark::tempDir).toAbsolutePath().normalize();
        AtomicReference<LocalStack> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            LocalStack stack = running.getAndSet(null);
            if (stack != null) {
                stack.close();
            }
        }, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, String> environment = environment();
        boolean succeeded = false;
        out.printf("bench: %d scenarios x %d targets x %d requests (+%d warm-up, +%d JVM warm-up per model); "
                + "state %s%n", options.scenarioCount(), options.targetCount(), options.requests(), options.warmUp(),
                options.jvmWarmUp(), state);
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu())) {
            LocalStack stack = LocalStack.start(LocalStackSettings.forTests(state), out,
                    message -> System.err.println("bench: a process of the stack died: " + message));
            running.set(stack);
            DemoSeeder.Result demo = stack.seedDemo();
            String admin = stack.userToken("admin", "admin");
            CachedTokenSource jwt = workerTokens(stack.internalSecret());
            Optional<String> billedKey = options.billing()
                    ? Optional.of(billedTenant(stack.api(), admin)) : Optional.empty();
            List<BenchReport.Scenario> scenarios = new ArrayList<>();
            for (BenchModel model : models) {
                int version = model.servedName().equals(demo.model())
                        ? demo.version() : publish(stack.api(), admin, model);
                try (LoadedModel loaded = engine.load(writeModel(state, model))) {
                    loaded.warmUpWithZeros();
                    boolean first = true;
                    for (int batch : options.batches()) {
                        for (int concurrency : options.concurrencies()) {
                            scenarios.add(scenario(model, version, loaded, batch, concurrency, stack,
                                    demo.apiKey(), billedKey, jwt, first ? options.jvmWarmUp() : 0));
                            first = false;
                        }
                    }
                }
            }
            environment.put("load_average_at_end", firstLine(Path.of("/proc/loadavg"), "").orElse("unknown"));
            if (billedKey.isPresent()) {
                environment.put("billed_tenant_period_usage", billedUsage(stack.api(), admin));
            }
            BenchReport report = new BenchReport(environment, settings(), scenarios);
            out.println();
            out.print(report.table());
            Path written = report.write(options.outDir());
            out.printf("%nbench: results in %s and %s%n", options.outDir().resolve(BenchReport.JSON_FILE),
                    written);
            succeeded = true;
            return report;
        } finally {
            LocalStack stack = running.getAndSet(null);
            if (stack != null) {
                stack.close();
            }
            removeHook(hook);
            if (ownState && succeeded && !options.keepState()) {
                deleteTree(state);
            } else {
                out.printf("bench: state and logs kept in %s%n", state);
            }
        }
    }

    private BenchReport.Scenario scenario(BenchModel model, int version, LoadedModel loaded, int batch,
                                          int concurrency, LocalStack stack, String apiKey,
                                          Optional<String> billedKey, CachedTokenSource jwt, int jvmWarmUp) {
        float[] rows = model.rows(batch);
        byte[] body = model.requestBody(rows);
        RawTarget raw = new RawTarget(loaded, model.tensor(rows));
        HttpTarget worker = HttpTarget.worker(stack.workerUrl(), model.servedName(), version, jwt::token, body);
        HttpTarget gateway = HttpTarget.controlPlane(stack.apiUrl(), model.servedName(), apiKey, body);
        InferenceResult expected = raw.run();
        AnswerCheck.requireSame(Target.WORKER, expected, worker.answer());
        AnswerCheck.requireSame(Target.CONTROL_PLANE, expected, gateway.answer());
        List<Target> targets = new ArrayList<>(List.of(raw, worker, gateway));
        if (billedKey.isPresent()) {
            HttpTarget billed = HttpTarget.controlPlaneBilled(stack.apiUrl(), model.servedName(), billedKey.get(),
                    BILLING_CURRENCY, body);
            AnswerCheck.requireSame(Target.CONTROL_PLANE_BILLING, expected, billed.answer());
            targets.add(billed);
        }

        Instant begin = Instant.now();
        Map<String, RoundRobin.Measurement> measured;
        try (RoundRobin runner = new RoundRobin(concurrency)) {
            if (jvmWarmUp > 0) {
                out.printf("%-10s JVM warm-up: %d requests per target%n", model.key(), jvmWarmUp);
                runner.warmUp(targets, jvmWarmUp);
            }
            measured = runner.run(targets, options.warmUp(), options.requests(), options.roundFor(concurrency));
        }
        Map<String, LatencyStats> stats = new LinkedHashMap<>();
        measured.forEach((name, m) -> stats.put(name, LatencyStats.of(m.nanos(), m.errors(), m.busyNanos(), batch)));
        out.printf(Locale.ROOT, "%-10s batch %3d clients %2d: median raw %.1f us, worker %.1f us, "
                        + "control-plane %.1f us%s (%d s, %d bytes per request; load average %s)%n", model.key(),
                batch, concurrency, stats.get(Target.RAW).medianUs(), stats.get(Target.WORKER).medianUs(),
                stats.get(Target.CONTROL_PLANE).medianUs(), stats.containsKey(Target.CONTROL_PLANE_BILLING)
                        ? String.format(Locale.ROOT, ", control-plane+billing %.1f us",
                        stats.get(Target.CONTROL_PLANE_BILLING).medianUs()) : "",
                Duration.between(begin, Instant.now()).toSeconds(), body.length,
                firstLine(Path.of("/proc/loadavg"), "").orElse("unknown"));
        return new BenchReport.Scenario(model.key(), model.description(), batch, concurrency, stats);
    }

    /**
     * Creates the billed tenant, the plan and an API key through the admin APIs, as an operator would: the tenant
     * (409 tolerated on a kept state directory), the plan (or the one of that name), the tenant put on it from now,
     * and a new key created by the platform admin. Answers the key.
     */
    static String billedTenant(ApiClient api, String admin) {
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", BILLED_TENANT, "name", "Benchmark, billed"))
                .expect(200, 201, 409);
        ApiClient.Response created = api.postJson("/admin/v1/plans", admin, BILLING_PLAN).expect(201, 409);
        String planId = null;
        if (created.status() == 201) {
            planId = created.json().path("id").asText();
        } else {
            for (JsonNode plan : api.get("/admin/v1/plans", admin).expect(200).json()) {
                if ("bench".equals(plan.path("name").asText())) {
                    planId = plan.path("id").asText();
                }
            }
        }
        if (planId == null || planId.isEmpty()) {
            throw new IllegalStateException("the benchmark plan was neither created nor found: " + created.body());
        }
        api.patchJson("/admin/v1/tenants/" + BILLED_TENANT, admin, Map.of("plan_id", planId)).expect(200);
        JsonNode plan = api.get("/api/v1/tenants/" + BILLED_TENANT + "/plan", admin).expect(200).json();
        if (!planId.equals(plan.path("plan").path("id").asText())) {
            throw new IllegalStateException("tenant " + BILLED_TENANT + " is not on the benchmark plan: " + plan);
        }
        return api.postJson("/api/v1/tenants/" + BILLED_TENANT + "/keys", admin, Map.of("name", "benchmark"))
                .expect(200, 201).json().path("key").asText();
    }

    /** The billed tenant's usage this period as its plan page shows it: every billed call, warm-ups included. */
    static String billedUsage(ApiClient api, String admin) {
        JsonNode usage = api.get("/api/v1/tenants/" + BILLED_TENANT + "/plan", admin).expect(200).json()
                .path("usage");
        return usage.path("requests").asLong() + " requests, " + usage.path("items").asLong() + " items, "
                + usage.path("compute_us").asLong() + " compute us, cost " + usage.path("cost").asText() + " "
                + usage.path("currency").asText();
    }

    /** Tokens the worker accepts, as the control plane's own: issuer aiaas-platform, audience aiaas-worker. */
    static CachedTokenSource workerTokens(String internalSecret) {
        return new CachedTokenSource(new InternalTokens(internalSecret), Issuers.PLATFORM, Audiences.WORKER,
                "benchmark", InternalTokens.DEFAULT_TTL);
    }

    /** Creates the public model and uploads the version unless one with the same sha256 is there; waits READY. */
    static int publish(ApiClient api, String admin, BenchModel model) {
        String name = model.servedName();
        api.postJson("/admin/v1/models", admin, Map.of("name", name, "description", model.description(),
                "visibility", "public")).expect(200, 201, 409);
        String sha = sha256(model.onnx());
        int version = -1;
        for (JsonNode v : api.get("/admin/v1/models/" + name, admin).expect(200).json().path("versions")) {
            if (sha.equalsIgnoreCase(v.path("sha256").asText())
                    && !"retired".equalsIgnoreCase(v.path("status").asText())) {
                version = v.path("version").asInt();
            }
        }
        if (version < 0) {
            version = api.postBytes("/admin/v1/models/" + name + "/versions", admin, model.onnx(),
                    "application/octet-stream").expect(200, 201).json().path("version").asInt();
        }
        DemoSeeder.awaitReady(api, admin, name, version, READY_TIMEOUT);
        return version;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("models", options.models());
        s.put("batches", options.batches());
        s.put("concurrency", options.concurrencies());
        s.put("jvm_warm_up", options.jvmWarmUp());
        s.put("warm_up", options.warmUp());
        s.put("requests", options.requests());
        s.put("round", options.round() == BenchOptions.AUTO_ROUND ? "auto (10 per client, at least 50)"
                : options.round());
        s.put("billing", options.billing() ? "tenant " + BILLED_TENANT + " on " + compact(BILLING_PLAN) : "off");
        s.put("engine", "onnxruntime cpu, intra-op 1, inter-op 1 (raw and worker)");
        return s;
    }

    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        env.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("cpu_model", firstLine(Path.of("/proc/cpuinfo"), "model name").orElse("unknown"));
        env.put("load_average_at_start", firstLine(Path.of("/proc/loadavg"), "").orElse("unknown"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        env.put("note", "loopback only; this client, platform-api, the worker, PostgreSQL and Keycloak share the "
                + "machine");
        return env;
    }

    private static String compact(String json) {
        return json.replaceAll("\\s+", " ").trim();
    }

    private static Optional<String> firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> prefix.isEmpty() ? l.trim() : l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Path writeModel(Path state, BenchModel model) {
        try {
            Path dir = Files.createDirectories(state.resolve("bench-models"));
            return Files.write(dir.resolve(model.key() + ".onnx"), model.onnx());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model for the in-process run: " + e.getMessage(), e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("aiaas-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // leftovers in a temp dir are harmless; say where they are
            System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to undo
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
