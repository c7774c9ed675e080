package io.aiaas.localstack.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one benchmark run measures: the models, batch sizes and client thread counts (every combination is one
 * scenario), whether a tenant on a plan is measured beside the one without ({@code billing}), how many warm-up and
 * measured requests each target gets per scenario, and where results go.
 *
 * @param round requests a target makes before the next target's turn; {@link #AUTO_ROUND} sizes each scenario's
 *     turns to its clients ({@link #roundFor})
 */
public record BenchOptions(
        List<String> models,
        List<Integer> batches,
        List<Integer> concurrencies,
        int jvmWarmUp,
        int warmUp,
        int requests,
        int round,
        boolean billing,
        Path outDir,
        Optional<Path> stateDir,
        boolean keepState) {

    public static final int MAX_REQUESTS = 100_000;
    public static final int MAX_WARM_UP = 100_000;
    public static final int MAX_BATCH = 4096;
    public static final int MAX_CONCURRENCY = 64;
    /** {@code --round auto}: ten requests per client thread and turn, at least 50. */
    public static final int AUTO_ROUND = 0;
    public static final List<String> PRESETS = List.of("billing");

    public static final String USAGE = """
            usage: bench.sh [--build] [options]
              --models iris,linear256     models to measure: iris (the demo, 4 -> 3), linear256 (softmax(x.W+b),
                                          256 -> 256), mlp (256 -> 1024 -> 1024 -> 16, ReLU)   [iris,linear256]
              --batches 1,32              rows per request                                      [1,32]
              --concurrency 1,4           client threads (<= 64)                                [1,4]
              --jvm-warmup N              unmeasured requests per target once per model, before its
                                          first scenario, so the fresh JVMs have compiled their hot code [2000]
              --warmup N                  unmeasured requests per target and scenario           [200]
              --requests N                measured requests per target and scenario (<= 100000) [2000]
              --round N|auto              requests per target before the next target's turn; auto: 10 per
                                          client thread, at least 50                            [50]
              --billing                   also measure control-plane+billing: a second tenant on a plan with
                                          every limit kind and three price components (docs/benchmark.md)
              --preset billing            the billing comparison: --billing --models iris --batches 1
                                          --concurrency 1,8,32,64 --requests 5000 --warmup 500 --round auto;
                                          options given besides it override its values
              --out DIR                   where results.json and results.md go     [target/bench/<time>]
              --state-dir DIR             the stack's state (default: a temp dir, deleted afterwards)
              --keep-state                keep the state dir (logs, database) after the run
            """;

    public BenchOptions {
        models = List.copyOf(models);
        batches = List.copyOf(batches);
        concurrencies = List.copyOf(concurrencies);
        if (models.isEmpty() || batches.isEmpty() || concurrencies.isEmpty()) {
            throw new IllegalArgumentException("--models, --batches and --concurrency need at least one value");
        }
        for (String model : models) {
            if (!BenchModel.NAMES.contains(model)) {
                throw new IllegalArgumentException("unknown model '" + model + "'; known: " + BenchModel.NAMES);
            }
        }
        batches.forEach(b -> checkRange("--batches", b, 1, MAX_BATCH));
        concurrencies.forEach(c -> checkRange("--concurrency", c, 1, MAX_CONCURRENCY));
        checkRange("--jvm-warmup", jvmWarmUp, 0, MAX_WARM_UP);
        checkRange("--warmup", warmUp, 0, MAX_WARM_UP);
        checkRange("--requests", requests, 1, MAX_REQUESTS);
        checkRange("--round", round, AUTO_ROUND, MAX_REQUESTS);
        stateDir = stateDir == null ? Optional.empty() : stateDir;
    }

    /** Defaults for everything; results under {@code defaultOut}. */
    public static BenchOptions defaults(Path defaultOut) {
        return new BenchOptions(List.of("iris", "linear256"), List.of(1, 32), List.of(1, 4), 2000, 200, 2000, 50,
                false, defaultOut, Optional.empty(), false);
    }

    /**
     * The values of a preset over the defaults. {@code billing}: what billing adds to the gateway, on the smallest
     * model (so the gateway's own cost dominates) from one to 64 clients, with enough requests for a p99.
     */
    public static BenchOptions preset(String name, Path defaultOut) {
        BenchOptions d = defaults(defaultOut);
        return switch (name) {
            case "billing" -> new BenchOptions(List.of("iris"), List.of(1), List.of(1, 8, 32, 64), d.jvmWarmUp, 500,
                    5000, AUTO_ROUND, true, d.outDir, d.stateDir, d.keepState);
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
        int jvmWarmUp = o.jvmWarmUp;
        int warmUp = o.warmUp;
        int requests = o.requests;
        int round = o.round;
        boolean billing = o.billing;
        Path out = o.outDir;
        Optional<Path> state = o.stateDir;
        boolean keep = o.keepState;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--keep-state")) {
                keep = true;
                continue;
            }
            if (name.equals("--billing")) {
                billing = true;
                continue;
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
                case "--jvm-warmup" -> jvmWarmUp = number(name, value);
                case "--warmup" -> warmUp = number(name, value);
                case "--requests" -> requests = number(name, value);
                case "--round" -> round = value.trim().equals("auto") ? AUTO_ROUND : positive(name, value);
                case "--out" -> out = Path.of(value);
                case "--state-dir" -> state = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return new BenchOptions(models, batches, concurrencies, jvmWarmUp, warmUp, requests, round, billing, out,
                state, keep);
    }

    /** How many scenarios (model x batch x concurrency) this run measures. */
    public int scenarioCount() {
        return models.size() * batches.size() * concurrencies.size();
    }

    /** How many HTTP and in-process targets each scenario measures. */
    public int targetCount() {
        return billing ? 4 : 3;
    }

    /**
     * The turn size for {@code concurrency} clients. With {@code auto}, ten requests per client: a turn shorter than
     * the clients would leave some of them idle, and a turn of only a few requests per client spends a large share
     * of its wall time starting and draining them, which understates throughput.
     */
    public int roundFor(int concurrency) {
        return round != AUTO_ROUND ? round : Math.max(50, 10 * concurrency);
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
