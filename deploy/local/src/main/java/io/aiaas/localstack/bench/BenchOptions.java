package io.aiaas.localstack.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one benchmark run measures: the models, batch sizes and client thread counts (every combination is one
 * scenario), how many warm-up and measured requests each target gets per scenario, and where results go.
 */
public record BenchOptions(
        List<String> models,
        List<Integer> batches,
        List<Integer> concurrencies,
        int jvmWarmUp,
        int warmUp,
        int requests,
        int round,
        Path outDir,
        Optional<Path> stateDir,
        boolean keepState) {

    public static final int MAX_REQUESTS = 100_000;
    public static final int MAX_WARM_UP = 100_000;
    public static final int MAX_BATCH = 4096;
    public static final int MAX_CONCURRENCY = 64;

    public static final String USAGE = """
            usage: bench.sh [--build] [options]
              --models iris,linear256     models to measure: iris (the demo, 4 -> 3), linear256 (softmax(x.W+b),
                                          256 -> 256), mlp (256 -> 1024 -> 1024 -> 16, ReLU)   [iris,linear256]
              --batches 1,32              rows per request                                      [1,32]
              --concurrency 1,4           client threads                                        [1,4]
              --jvm-warmup N              unmeasured requests per target once per model, before its
                                          first scenario, so the fresh JVMs have compiled their hot code [2000]
              --warmup N                  unmeasured requests per target and scenario           [200]
              --requests N                measured requests per target and scenario (<= 100000) [2000]
              --round N                   requests per target before the next target's turn     [50]
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
        checkRange("--round", round, 1, MAX_REQUESTS);
        stateDir = stateDir == null ? Optional.empty() : stateDir;
    }

    /** Defaults for everything; results under {@code defaultOut}. */
    public static BenchOptions defaults(Path defaultOut) {
        return new BenchOptions(List.of("iris", "linear256"), List.of(1, 32), List.of(1, 4), 2000, 200, 2000, 50,
                defaultOut, Optional.empty(), false);
    }

    /** Parses {@code --name value} pairs over the defaults; throws IllegalArgumentException naming the option. */
    public static BenchOptions parse(String[] args, Path defaultOut) {
        BenchOptions o = defaults(defaultOut);
        List<String> models = o.models;
        List<Integer> batches = o.batches;
        List<Integer> concurrencies = o.concurrencies;
        int jvmWarmUp = o.jvmWarmUp;
        int warmUp = o.warmUp;
        int requests = o.requests;
        int round = o.round;
        Path out = o.outDir;
        Optional<Path> state = o.stateDir;
        boolean keep = o.keepState;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--keep-state")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name.startsWith("--")
                        ? name + " needs a value" : "unexpected argument '" + name + "'");
            }
            String value = args[++i];
            switch (name) {
                case "--models" -> models = words(name, value);
                case "--batches" -> batches = numbers(name, value);
                case "--concurrency" -> concurrencies = numbers(name, value);
                case "--jvm-warmup" -> jvmWarmUp = number(name, value);
                case "--warmup" -> warmUp = number(name, value);
                case "--requests" -> requests = number(name, value);
                case "--round" -> round = number(name, value);
                case "--out" -> out = Path.of(value);
                case "--state-dir" -> state = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        return new BenchOptions(models, batches, concurrencies, jvmWarmUp, warmUp, requests, round, out, state, keep);
    }

    /** How many scenarios (model x batch x concurrency) this run measures. */
    public int scenarioCount() {
        return models.size() * batches.size() * concurrencies.size();
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

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
