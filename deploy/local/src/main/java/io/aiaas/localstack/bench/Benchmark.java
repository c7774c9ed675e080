package io.aiaas.localstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
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
 * the key of a second tenant on a plan ({@link #BILLING_PLAN}), whose calls are limited and priced; each over the
 * protocols asked for (JSON, binary tensors, gRPC to the control plane) and with the worker's dynamic batching off or
 * on (a second name per model). Prints a table and writes JSON and Markdown, and with {@code --write-docs}
 * docs/performance.md.
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
    private final List<String> commandLine;
    public Benchmark(BenchOptions options, PrintStream out) {
        this(options, out, List.of());
    }

    /** {@code commandLine}: the arguments as given, for the command that docs/performance.md shows. */
    public Benchmark(BenchOptions options, PrintStream out, List<String> commandLine) {
        this.options = options;
        this.out = out;
        this.commandLine = List.copyOf(commandLine);
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
            new Benchmark(options, System.out, List.of(args)).run();
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
        out.printf("bench: %d scenarios x up to %d targets x %s requests (+%s warm-up, +%s JVM warm-up per model); "
                + "state %s%n", options.scenarioCount(), options.targetCount(), options.requestCounts(),
                options.warmUps(), options.jvmWarmUps(), state);
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu())) {
            LocalStack stack = LocalStack.start(LocalStackSettings.forTests(state), workerBatching(models), out,
                    message -> System.err.println("bench: a process of the stack died: " + message));
            running.set(stack);
            DemoSeeder.Result demo = stack.seedDemo();
            String admin = stack.userToken("admin", "admin");
            CachedTokenSource jwt = workerTokens(stack.signingKey(), stack.workerIdentityId());
            Optional<String> billedKey = options.billing()
                    ? Optional.of(billedTenant(stack.api(), admin)) : Optional.empty();
            Doors doors = new Doors(stack, options.billedOnly() ? Optional.empty() : Optional.of(demo.apiKey()),
                    billedKey, jwt, CpuMeter.forStack(stack.pid("platform-api"),
                            stack.settings().stateDir().resolve("platform-api").resolve("postgres"),
                            stack.pid("inference-worker")));
            List<BenchReport.Scenario> scenarios = new ArrayList<>();
            for (BenchModel model : models) {
                int version = model.servedName().equals(demo.model())
                        ? demo.version() : publish(stack.api(), admin, model, model.servedName());
                int batchedVersion = options.batchingOn()
                        ? publish(stack.api(), admin, model, model.batchedName()) : -1;
                try (LoadedModel loaded = engine.load(writeModel(state, model))) {
                    loaded.warmUpWithZeros();
                    boolean first = true;
                    for (int batch : options.batches()) {
                        for (boolean batching : options.batchings()) {
                            for (int concurrency : options.concurrencies()) {
                                scenarios.add(scenario(model, batching ? batchedVersion : version, batching, loaded,
                                        batch, concurrency, doors, first ? options.jvmWarmUp(model.key()) : 0));
                                first = false;
                            }
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
            if (options.writeDocs()) {
                Path doc = stack.settings().repoRoot().resolve(PerformanceDoc.FILE);
                PerformanceDoc.write(doc, PerformanceDoc.command(commandLine), report);
                out.printf("bench: figures written to %s%n", doc);
            }
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

    /** The doors a scenario calls besides raw: the worker, and the control plane for each tenant measured. */
    private record Doors(LocalStack stack, Optional<String> plainKey, Optional<String> billedKey,
                         CachedTokenSource jwt, CpuMeter cpu) {
    }

    private BenchReport.Scenario scenario(BenchModel model, int version, boolean batching, LoadedModel loaded,
                                          int batch, int concurrency, Doors doors, int jvmWarmUp) {
        float[] rows = model.rows(batch);
        String name = model.servedName(batching);
        RawTarget raw = new RawTarget(loaded, model.tensor(rows));
        InferenceResult expected = raw.run();
        List<String> outputs = expected.outputs().stream().map(io.aiaas.engine.Tensor::name).toList();
        String apiUrl = doors.stack().apiUrl();
        List<Target> targets = new ArrayList<>(List.of(raw));
        int bodyBytes = 0;
        for (Protocol protocol : options.protocols()) {
            HttpTarget.Body body = switch (protocol) {
                case JSON -> HttpTarget.Body.json(model.requestBody(rows));
                case BINARY -> HttpTarget.Body.binary(model.binaryBody(rows, outputs));
                case GRPC -> null;
            };
            List<Targets.Checked> checked = new ArrayList<>();
            if (body != null) {
                bodyBytes = Math.max(bodyBytes, body.bytes().length);
                checked.add(HttpTarget.worker(doors.stack().workerUrl(), name, version, doors.jwt()::token, body));
                doors.plainKey().ifPresent(key -> checked.add(HttpTarget.controlPlane(apiUrl, name, key, body)));
                doors.billedKey().ifPresent(key -> checked.add(HttpTarget.controlPlaneBilled(apiUrl, name, key,
                        BILLING_CURRENCY, body)));
                twinKey(doors).ifPresent(key -> checked.add(HttpTarget.controlPlaneTwin(apiUrl, name, key, body)));
            } else {
                doors.plainKey().ifPresent(key -> checked.add(Targets.grpc(new Targets.GrpcCall(
                        protocol.targetName(Target.CONTROL_PLANE), apiUrl, name, key, model.tensor(rows), false))));
                doors.billedKey().ifPresent(key -> checked.add(Targets.grpc(new Targets.GrpcCall(
                        protocol.targetName(Target.CONTROL_PLANE_BILLING), apiUrl, name, key, model.tensor(rows),
                        true))));
                twinKey(doors).ifPresent(key -> checked.add(Targets.grpc(new Targets.GrpcCall(
                        protocol.targetName(Target.CONTROL_PLANE_TWIN), apiUrl, name, key, model.tensor(rows),
                        false))));
            }
            for (Targets.Checked target : checked) {
                target.requireSameAs(expected);
                targets.add(target);
            }
        }

        Instant begin = Instant.now();
        Map<String, RoundRobin.Measurement> measured;
        try (RoundRobin runner = new RoundRobin(concurrency, doors.cpu())) {
            if (jvmWarmUp > 0) {
                out.printf("%-10s JVM warm-up: %d requests per target%n", model.key(), jvmWarmUp);
                runner.warmUp(targets, jvmWarmUp);
            }
            measured = runner.run(targets, options.warmUp(model.key()), options.requests(model.key()),
                    options.roundFor(concurrency));
        }
        Map<String, LatencyStats> stats = new LinkedHashMap<>();
        measured.forEach((target, m) -> stats.put(target, LatencyStats.of(m.nanos(), m.errors(), m.busyNanos(),
                batch, m.cpuNanos())));
        StringBuilder medians = new StringBuilder();
        stats.forEach((target, st) -> medians.append(String.format(Locale.ROOT, "%s%s %.0f", medians.isEmpty()
                ? "" : ", ", target, st.medianUs())));
        out.printf(Locale.ROOT, "%-10s batch %3d batching %-3s clients %2d: median us %s (%d s, body up to %d bytes; "
                        + "load average %s)%n", model.key(), batch, batching ? "on" : "off", concurrency, medians,
                Duration.between(begin, Instant.now()).toSeconds(), bodyBytes,
                firstLine(Path.of("/proc/loadavg"), "").orElse("unknown"));
        return new BenchReport.Scenario(model.key(), model.description(), batch, concurrency, batching, stats);
    }

    /**
     * The key of control-plane-twin: the plain tenant's own key, so that the twin's calls are exactly control-plane's
     * (same tenant, key, model and body) and the two targets differ only by when they ran.
     */
    private Optional<String> twinKey(Doors doors) {
        return options.twin() ? doors.plainKey() : Optional.empty();
    }

    /**
     * JVM options that turn the worker's dynamic batching on for the models' second names only, so one worker serves
     * each model both ways: at most {@link BenchOptions#BATCH_MAX_SIZE} rows per run, the first request waiting at
     * most {@code --batch-delay-us} for more; the queue stays at its default (128, above the 64 clients).
     */
    List<String> workerBatching(List<BenchModel> models) {
        List<String> jvm = new ArrayList<>();
        if (!options.batchingOn()) {
            return jvm;
        }
        for (BenchModel model : models) {
            String prefix = "-Daiaas.worker.batching.\"" + model.batchedName() + "\".";
            jvm.add(prefix + "enabled=true");
            jvm.add(prefix + "max-batch-size=" + BenchOptions.BATCH_MAX_SIZE);
            jvm.add(prefix + "max-queue-delay-us=" + options.batchDelayUs());
        }
        return jvm;
    }

    /**
     * Creates the billed tenant, the plan and an API key through the admin APIs, as an operator would: the tenant
     * (409 tolerated on a kept state directory), the plan (or the one of that name), the tenant put on it from now,
     * and a new key created by the platform admin. Answers the key.
     */
    static String billedTenant(ApiClient api, String admin) {
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", BILLED_TENANT, "name", "Benchmark, billed"))
                .expect(200, 201, 409);
        String planId = DemoSeeder.createOrFindPlan(api, admin, "bench", BILLING_PLAN);
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
    /** Tokens as the control plane sends them to the worker: its key, audience = the worker's identity id. */
    static CachedTokenSource workerTokens(SigningKey controlPlaneKey, String workerIdentityId) {
        return new CachedTokenSource(new InternalTokens(), () -> new CachedTokenSource.Signer("benchmark",
                controlPlaneKey), Issuers.PLATFORM, workerIdentityId, InternalTokens.DEFAULT_TTL);
    }

    /**
     * Creates the public model {@code name} and uploads the version unless one with the same sha256 is there; waits
     * READY.
     */
    static int publish(ApiClient api, String admin, BenchModel model, String name) {
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
        s.put("protocols", options.protocols().stream().map(Protocol::key).toList());
        s.put("batching", options.batchings().stream().map(b -> b ? "on" : "off").toList());
        if (options.batchingOn()) {
            s.put("worker_batching", "for the models' -batched names: max-batch-size " + BenchOptions.BATCH_MAX_SIZE
                    + ", max-queue-delay-us " + options.batchDelayUs() + ", queue-capacity 128, instances 1");
        }
        s.put("jvm_warm_up", options.jvmWarmUps().toString());
        s.put("warm_up", options.warmUps().toString());
        s.put("requests", options.requestCounts().toString());
        s.put("round", options.round() == BenchOptions.AUTO_ROUND ? "auto (10 per client, at least 50)"
                : options.round());
        s.put("billing", options.billing() ? "tenant " + BILLED_TENANT + " on " + compact(BILLING_PLAN)
                + (options.billedOnly() ? " (the only control-plane target)" : "") : "off");
        if (options.twin()) {
            s.put("twin", "control-plane-twin: control-plane's calls (same key, model, body) as a target of their own");
        }
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
        env.put("git_commit", gitCommit());
        env.put("note", "loopback only; this client, platform-api, the worker, PostgreSQL and Keycloak share the "
                + "machine");
        return env;
    }

    /** The checked-out commit, with "+ local changes" when the tree differs from it; "unknown" without git. */
    static String gitCommit() {
        try {
            Process head = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true)
                    .start();
            String commit = new String(head.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .trim();
            if (head.waitFor() != 0 || commit.isEmpty()) {
                return "unknown";
            }
            Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(status.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).isBlank();
            status.waitFor();
            return dirty ? commit + " + local changes" : commit;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
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
