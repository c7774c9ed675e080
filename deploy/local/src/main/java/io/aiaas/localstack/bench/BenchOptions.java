package io.aiaas.localstack.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one benchmark run measures: the models, batch sizes, batching settings and client thread counts (every
 * combination is one scenario), the protocols (targets within a scenario), whether a tenant on a plan is measured
 * beside the one without ({@code billing}) or instead of it ({@code billedOnly}), whether the one without is measured
 * twice ({@code twin}: two targets doing identical work, whose difference is the run's noise), how many warm-up and
 * measured requests each target gets per scenario (per model where a model has its own count), and where results go.
 *
 * @param round requests a target makes before the next target's turn; {@link #AUTO_ROUND} sizes each scenario's
 *     turns to its clients ({@link #roundFor})
 */
public record BenchOptions(
        List<String> models,
        List<Integer> batches,
        List<Integer> concurrencies,
        Counts jvmWarmUps,
        Counts warmUps,
        Counts requestCounts,
        int round,
        boolean billing,
        boolean billedOnly,
        boolean twin,
        List<Protocol> protocols,
        List<Boolean> batchings,
        int batchDelayUs,
        boolean writeDocs,
        Path outDir,
        Optional<Path> stateDir,
        boolean keepState) {

    public static final int MAX_REQUESTS = 100_000;
    public static final int MAX_WARM_UP = 100_000;
    public static final int MAX_BATCH = 4096;
    public static final int MAX_CONCURRENCY = 64;
    public static final int MAX_BATCH_DELAY_US = 100_000;
    /** The worker's most rows per batched run for the benchmark's batched names (its default, 32). */
    public static final int BATCH_MAX_SIZE = 32;
    /** {@code --round auto}: ten requests per client thread and turn, at least 50. */
    public static final int AUTO_ROUND = 0;
    public static final List<String> PRESETS = List.of("billing", "data-path");

    public static final String USAGE = """
            usage: bench.sh [--build] [options]
              --models iris,linear256     models to measure: iris (the demo, 4 -> 3), linear256 (softmax(x.W+b),
                                          256 -> 256), mlp (256 -> 1024 -> 1024 -> 16, ReLU), conv (a CNN on
                                          [3,48,192] -> 10, the 574 KB JSON body)              [iris,linear256]
              --batches 1,32              rows per request                                      [1,32]
              --concurrency 1,4           client threads (<= 64)                                [1,4]
              --protocols json            json, binary (Triton's binary tensor extension), grpc (the control
                                          plane's ModelInfer; the worker has no gRPC)          [json]
              --batching off              off, on: the worker's dynamic batching for the model (each model is
                                          published twice, batching on for the name ending -batched)   [off]
              --batch-delay-us N          the batched names' max-queue-delay-us                 [200]
              --jvm-warmup N              unmeasured requests per target once per model, before its
                                          first scenario, so the fresh JVMs have compiled their hot code [2000]
              --warmup N                  unmeasured requests per target and scenario           [200]
              --requests N                measured requests per target and scenario (<= 100000) [2000]
                                          these three also take per-model values: 2000,conv=300 (a bare number
                                          sets every model, model=N one model)
              --round N|auto              requests per target before the next target's turn; auto: 10 per
                                          client thread, at least 50                            [50]
              --billing                   also measure control-plane+billing: a second tenant on a plan with
                                          every limit kind and three price components (docs/benchmark.md)
              --billed-only               measure the control plane only for the tenant on a plan (implies
                                          --billing): the "(c)" of issue 8
              --twin                      also measure control-plane-twin: the plain tenant's calls once more
                                          as a target of their own, so that two targets do identical work and
                                          their difference is this run's noise (docs/benchmark.md);
                                          ignored with --billed-only
              --write-docs, --no-write-docs  write the results into docs/performance.md (between its markers)
              --preset billing            the billing comparison: --billing --twin --models iris --batches 1
                                          --concurrency 1,8,32,64 --requests 5000 --warmup 500 --round auto
              --preset data-path          issue 8's proof: --models iris,conv,mlp --protocols json,binary,grpc
                                          --batching off,on --concurrency 1,8,32,64 --batches 1 --billed-only
                                          --round auto --write-docs, requests sized per model to take about
                                          10-15 minutes (docs/benchmark.md); options given besides a preset
                                          override its values, wherever it stands
              --out DIR                   where results.json and results.md go     [target/bench/<time>]
              --state-dir DIR             the stack's state (default: a temp dir, deleted afterwards)
              --keep-state                keep the state dir (logs, database) after the run
            """;

    /**
     * A count per model: {@code base} for every model, {@code byModel} where a model has its own.
     */
    public record Counts(int base, Map<String, Integer> byModel) {

        public Counts {
            byModel = Map.copyOf(byModel);
        }

        public static Counts of(int base) {
            return new Counts(base, Map.of());
        }

        public int of(String model) {
            return byModel.getOrDefault(model, base);
        }

        void check(String option, int min, int max) {
            checkRange(option, base, min, max);
            byModel.forEach((model, n) -> checkRange(option, n, min, max));
        }

        /**
         * {@code value} applied over these counts: a bare number sets every model (and drops the per-model values),
         * {@code model=N} one model.
         */
        Counts with(String option, String value) {
            int newBase = base;
            Map<String, Integer> models = new LinkedHashMap<>(byModel);
            for (String part : words(option, value)) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    newBase = number(option, part);
                    models.clear();
                } else {
                    String model = part.substring(0, eq).trim();
                    if (!BenchModel.NAMES.contains(model)) {
                        throw new IllegalArgumentException(option + ": unknown model '" + model + "'; known: "
                                + BenchModel.NAMES);
                    }
                    models.put(model, number(option, part.substring(eq + 1)));
                }
            }
            return new Counts(newBase, models);
        }

        @Override
        public String toString() {
            return byModel.isEmpty() ? String.valueOf(base) : base + " " + new java.util.TreeMap<>(byModel);
        }
    }

    public BenchOptions {
        models = List.copyOf(models);
        batches = List.copyOf(batches);
        concurrencies = List.copyOf(concurrencies);
        protocols = List.copyOf(protocols);
        batchings = List.copyOf(batchings);
        if (models.isEmpty() || batches.isEmpty() || concurrencies.isEmpty() || protocols.isEmpty()
                || batchings.isEmpty()) {
            throw new IllegalArgumentException(
                    "--models, --batches, --concurrency, --protocols and --batching need at least one value");
        }
        for (String model : models) {
            if (!BenchModel.NAMES.contains(model)) {
                throw new IllegalArgumentException("unknown model '" + model + "'; known: " + BenchModel.NAMES);
            }
        }
        batches.forEach(b -> checkRange("--batches", b, 1, MAX_BATCH));
        concurrencies.forEach(c -> checkRange("--concurrency", c, 1, MAX_CONCURRENCY));
        jvmWarmUps.check("--jvm-warmup", 0, MAX_WARM_UP);
        warmUps.check("--warmup", 0, MAX_WARM_UP);
        requestCounts.check("--requests", 1, MAX_REQUESTS);
        checkRange("--round", round, AUTO_ROUND, MAX_REQUESTS);
        checkRange("--batch-delay-us", batchDelayUs, 0, MAX_BATCH_DELAY_US);
        billing = billing || billedOnly;
        twin = twin && !billedOnly; // the twin repeats the control-plane target, which --billed-only leaves out
        stateDir = stateDir == null ? Optional.empty() : stateDir;
    }

    /** Defaults for everything; results under {@code defaultOut}. */
    public static BenchOptions defaults(Path defaultOut) {
        return new BenchOptions(List.of("iris", "linear256"), List.of(1, 32), List.of(1, 4), Counts.of(2000),
                Counts.of(200), Counts.of(2000), 50, false, false, false, List.of(Protocol.JSON), List.of(false), 200,
                false, defaultOut, Optional.empty(), false);
    }

    /**
     * The values of a preset over the defaults. {@code billing}: what billing adds to the gateway, on the smallest
     * model (so the gateway's own cost dominates) from one to 64 clients, with enough requests for a p99.
     * {@code data-path}: issue 8's proof, every protocol and batching setting on the three models, with request
     * counts per model chosen so the whole run takes about 10-15 minutes on a 2-core machine.
     */
    public static BenchOptions preset(String name, Path defaultOut) {
        BenchOptions d = defaults(defaultOut);
        return switch (name) {
            case "billing" -> new BenchOptions(List.of("iris"), List.of(1), List.of(1, 8, 32, 64), d.jvmWarmUps,
                    Counts.of(500), Counts.of(5000), AUTO_ROUND, true, false, true, d.protocols, d.batchings,
                    d.batchDelayUs, false, d.outDir, d.stateDir, d.keepState);
            case "data-path" -> new BenchOptions(List.of("iris", "conv", "mlp"), List.of(1), List.of(1, 8, 32, 64),
                    new Counts(1000, Map.of("conv", 200)), new Counts(200, Map.of("conv", 60)),
                    new Counts(2000, Map.of("conv", 400, "mlp", 1500)), AUTO_ROUND, true, true, false,
                    List.of(Protocol.JSON, Protocol.BINARY, Protocol.GRPC), List.of(false, true), d.batchDelayUs,
                    true, d.outDir, d.stateDir, d.keepState);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + PRESETS);
        };
    }

    /**
     * Parses {@code --name value} pairs over the defaults (or over {@code --preset}'s values, wherever it stands);
     * throws IllegalArgumentException naming the option.
     */
    public static BenchOptions parse(String[] args, Path defaultOut) {
        BenchOptions o = defaults(defaultOut);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--preset")) {
                o = preset(args[i + 1].trim(), defaultOut);
            }
        }
        List<String> models = o.models;
        List<Integer> batches = o.batches;
        List<Integer> concurrencies = o.concurrencies;
        Counts jvmWarmUp = o.jvmWarmUps;
        Counts warmUp = o.warmUps;
        Counts requests = o.requestCounts;
        int round = o.round;
        boolean billing = o.billing;
        boolean billedOnly = o.billedOnly;
        boolean twin = o.twin;
        List<Protocol> protocols = o.protocols;
        List<Boolean> batchings = o.batchings;
        int batchDelayUs = o.batchDelayUs;
        boolean writeDocs = o.writeDocs;
        Path out = o.outDir;
        Optional<Path> state = o.stateDir;
        boolean keep = o.keepState;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--keep-state" -> {
                    keep = true;
                    continue;
                }
                case "--billing" -> {
                    billing = true;
                    continue;
                }
                case "--billed-only" -> {
                    billedOnly = true;
                    continue;
                }
                case "--twin" -> {
                    twin = true;
                    continue;
                }
                case "--write-docs" -> {
                    writeDocs = true;
                    continue;
                }
                case "--no-write-docs" -> {
                    writeDocs = false;
                    continue;
                }
                default -> {
                    // an option with a value
                }
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name.startsWith("--")
                        ? name + " needs a value" : "unexpected argument '" + name + "'");
            }
            String value = args[++i];
            switch (name) {
                case "--preset" -> {
                    // applied first, above
                }
                case "--models" -> models = words(name, value);
                case "--batches" -> batches = numbers(name, value);
                case "--concurrency" -> concurrencies = numbers(name, value);
                case "--protocols" -> protocols = distinct(words(name, value).stream().map(Protocol::parse).toList());
                case "--batching" -> batchings = distinct(words(name, value).stream().map(v -> onOff(name, v))
                        .toList());
                case "--batch-delay-us" -> batchDelayUs = number(name, value);
                case "--jvm-warmup" -> jvmWarmUp = jvmWarmUp.with(name, value);
                case "--warmup" -> warmUp = warmUp.with(name, value);
                case "--requests" -> requests = requests.with(name, value);
                case "--round" -> round = value.trim().equals("auto") ? AUTO_ROUND : positive(name, value);
                case "--out" -> out = Path.of(value);
                case "--state-dir" -> state = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return new BenchOptions(models, batches, concurrencies, jvmWarmUp, warmUp, requests, round, billing,
                billedOnly, twin, protocols, batchings, batchDelayUs, writeDocs, out, state, keep);
    }

    /** Measured requests per target and scenario for every model without its own count. */
    public int requests() {
        return requestCounts.base();
    }

    /** Measured requests per target and scenario of {@code model}. */
    public int requests(String model) {
        return requestCounts.of(model);
    }

    public int warmUp() {
        return warmUps.base();
    }

    public int warmUp(String model) {
        return warmUps.of(model);
    }

    public int jvmWarmUp() {
        return jvmWarmUps.base();
    }

    public int jvmWarmUp(String model) {
        return jvmWarmUps.of(model);
    }

    /** How many scenarios (model x batch x batching x concurrency) this run measures. */
    public int scenarioCount() {
        return models.size() * batches.size() * batchings.size() * concurrencies.size();
    }

    /**
     * How many targets each scenario measures: raw once, the worker per HTTP protocol, and each control-plane door
     * (without a plan, with one, or both, and the twin of the one without) per protocol.
     */
    public int targetCount() {
        int doors = (!billing ? 1 : billedOnly ? 1 : 2) + (twin ? 1 : 0);
        int http = (int) protocols.stream().filter(Protocol::servedByWorker).count();
        return 1 + http + doors * protocols.size();
    }

    /** Whether any scenario batches. */
    public boolean batchingOn() {
        return batchings.contains(true);
    }

    /**
     * The turn size for {@code concurrency} clients. With {@code auto}, ten requests per client: a turn shorter than
     * the clients would leave some of them idle, and a turn of only a few requests per client spends a large share
     * of its wall time starting and draining them, which understates throughput.
     */
    public int roundFor(int concurrency) {
        return round != AUTO_ROUND ? round : Math.max(50, 10 * concurrency);
    }

    private static <T> List<T> distinct(List<T> values) {
        return values.stream().distinct().toList();
    }

    private static boolean onOff(String name, String value) {
        return switch (value.trim()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(name + " takes off and on, got '" + value + "'");
        };
    }

    private static List<String> words(String name, String value) {
        List<String> result = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                result.add(part.trim());
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one value");
        }
        return result;
    }

    private static List<Integer> numbers(String name, String value) {
        return words(name, value).stream().map(v -> number(name, v)).toList();
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static int positive(String name, String value) {
        int n = number(name, value);
        checkRange(name, n, 1, MAX_REQUESTS);
        return n;
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
