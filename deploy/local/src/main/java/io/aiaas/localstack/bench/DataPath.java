package io.aiaas.localstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Issue 8's view of a run: per scenario and protocol the three doors (a) ONNX Runtime in process, (b) the worker
 * directly, (c) the control plane (the tenant on a plan when it was measured, else the one without), their ratios
 * b/a and c/b, and the targets checked against them ({@link #verdicts}).
 */
public final class DataPath {

    /** The model whose p50 targets the issue sets for the "tiny model". */
    public static final String TINY = "iris";
    /** The [1,3,48,192] convolutional classifier. */
    public static final String CONV = "conv";
    /**
     * The model of the batching target: the issue asks for "a small model of about 0.1 ms per run"; the MLP takes
     * 0.15-0.2 ms per row in process here (Iris, 0.02-0.06 ms, is all overhead and no compute to share).
     */
    public static final String BATCHING_MODEL = "mlp";

    private DataPath() {
    }

    /**
     * One protocol of one scenario. For gRPC, b is the worker over binary tensors (the worker has no gRPC endpoint, and
     * binary is the closest HTTP form of raw tensor contents).
     */
    public record Row(BenchReport.Scenario scenario, Protocol protocol, String a, String b, String c) {

        public Optional<LatencyStats> statsA() {
            return Optional.ofNullable(scenario.targets().get(a));
        }

        public Optional<LatencyStats> statsB() {
            return Optional.ofNullable(scenario.targets().get(b));
        }

        public Optional<LatencyStats> statsC() {
            return Optional.ofNullable(scenario.targets().get(c));
        }

        /** p50(b) / p50(a). */
        public OptionalDouble latencyBOverA() {
            return divide(statsB().map(LatencyStats::medianUs), statsA().map(LatencyStats::medianUs));
        }

        /** p50(c) / p50(b). */
        public OptionalDouble latencyCOverB() {
            return divide(statsC().map(LatencyStats::medianUs), statsB().map(LatencyStats::medianUs));
        }

        /** p50(c) / p50(a): what a tenant pays against running the model in its own process. */
        public OptionalDouble latencyCOverA() {
            return divide(statsC().map(LatencyStats::medianUs), statsA().map(LatencyStats::medianUs));
        }

        /** throughput(b) / throughput(a). */
        public OptionalDouble throughputBOverA() {
            return divide(statsB().map(LatencyStats::requestsPerSecond), statsA().map(LatencyStats::requestsPerSecond));
        }

        /** throughput(c) / throughput(b). */
        public OptionalDouble throughputCOverB() {
            return divide(statsC().map(LatencyStats::requestsPerSecond), statsB().map(LatencyStats::requestsPerSecond));
        }
    }

    /** The control plane's door of a scenario: the billed tenant's when measured (a plan, limits, metering). */
    static String door(BenchReport.Scenario s) {
        return s.targets().keySet().stream().anyMatch(t -> t.startsWith(Target.CONTROL_PLANE_BILLING))
                ? Target.CONTROL_PLANE_BILLING : Target.CONTROL_PLANE;
    }

    /** The rows of a scenario, one per protocol that has a b or a c target. */
    public static List<Row> rows(BenchReport.Scenario s) {
        List<Row> rows = new ArrayList<>();
        String door = door(s);
        for (Protocol p : Protocol.values()) {
            String b = (p == Protocol.GRPC ? Protocol.BINARY : p).targetName(Target.WORKER);
            String c = p.targetName(door);
            if (p != Protocol.GRPC && !s.targets().containsKey(b) && !s.targets().containsKey(c)) {
                continue;
            }
            if (p == Protocol.GRPC && !s.targets().containsKey(c)) {
                continue;
            }
            rows.add(new Row(s, p, Target.RAW, b, c));
        }
        return rows;
    }

    /** One of the targets, checked: met or missed and by how much, or not measured in this run. */
    public record Verdict(String target, String where, Optional<Boolean> met, String measured) {

        public String verdict() {
            return met.map(m -> m ? "met" : "MISSED").orElse("not measured");
        }
    }

    /** The targets of issue 8 ("A gateway that streams" and "Dynamic batching"), in the order. */
    public static List<Verdict> verdicts(List<BenchReport.Scenario> scenarios) {
        List<Verdict> out = new ArrayList<>();
        out.add(addedAtMost("conv, 574 KB JSON body: the control plane adds at most 1 ms at p50 over the worker",
                find(scenarios, CONV, false, 1, Protocol.JSON), Row::statsC, Row::statsB, 1000, false));
        out.add(addedAtMost("conv, binary tensors: the call through the control plane within 1.5 ms of in process "
                + "at p50, 1 caller", find(scenarios, CONV, false, 1, Protocol.BINARY), Row::statsC, Row::statsA, 1500,
                false));
        out.add(addedAtMost("tiny model (iris): the worker adds at most 150 us at p50 over in process, 1 caller",
                find(scenarios, TINY, false, 1, Protocol.JSON), Row::statsB, Row::statsA, 150, false));
        out.add(addedAtMost("tiny model (iris): the control plane adds at most 1 ms at p50 over the worker, "
                + "32 callers", find(scenarios, TINY, false, 32, Protocol.JSON), Row::statsC, Row::statsB, 1000,
                false));
        out.add(addedAtMost("tiny model (iris): the control plane adds at most 3 ms at p99 over the worker, "
                + "32 callers", find(scenarios, TINY, false, 32, Protocol.JSON), Row::statsC, Row::statsB, 3000,
                true));
        out.add(throughputShare(find(scenarios, TINY, false, 32, Protocol.JSON)));
        out.add(batching(scenarios));
        return out;
    }

    private interface Side {
        Optional<LatencyStats> of(Row row);
    }

    private static Verdict addedAtMost(String target, Optional<Row> row, Side top, Side bottom, double limitUs,
                                       boolean p99) {
        String percentile = p99 ? "p99" : "p50";
        if (row.isEmpty() || top.of(row.get()).isEmpty() || bottom.of(row.get()).isEmpty()) {
            return new Verdict(target, where(row), Optional.empty(), "-");
        }
        LatencyStats t = top.of(row.get()).get();
        LatencyStats b = bottom.of(row.get()).get();
        double added = p99 ? t.p99Us() - b.p99Us() : t.medianUs() - b.medianUs();
        boolean met = added <= limitUs;
        String measured = String.format(Locale.ROOT, "%s %.0f us against %.0f us: %+.0f us (limit +%.0f us); %s",
                percentile, p99 ? t.p99Us() : t.medianUs(), p99 ? b.p99Us() : b.medianUs(), added, limitUs,
                met ? String.format(Locale.ROOT, "%.0f us to spare", limitUs - added)
                        : String.format(Locale.ROOT, "missed by %.0f us (%.1fx the limit)", added - limitUs,
                        added / limitUs));
        return new Verdict(target, where(row), Optional.of(met), measured);
    }

    private static Verdict throughputShare(Optional<Row> row) {
        String target = "tiny model (iris): control plane throughput at least 90% of the worker's, 32 callers";
        if (row.isEmpty() || row.get().throughputCOverB().isEmpty()) {
            return new Verdict(target, where(row), Optional.empty(), "-");
        }
        double share = row.get().throughputCOverB().getAsDouble();
        boolean met = share >= 0.9;
        return new Verdict(target, where(row), Optional.of(met), String.format(Locale.ROOT,
                "%.0f req/s against %.0f req/s: %.0f%% (needs >= 90%%)%s",
                row.get().statsC().get().requestsPerSecond(), row.get().statsB().get().requestsPerSecond(),
                share * 100, met ? "" : String.format(Locale.ROOT, "; missed by %.0f points", (0.9 - share) * 100)));
    }

    /**
     * Batching on against off on {@link #BATCHING_MODEL}, worker directly, 32 callers: binary tensors when measured
     * (the least per-request work besides the model, so the batcher's effect shows most), else JSON.
     */
    private static Verdict batching(List<BenchReport.Scenario> scenarios) {
        String target = "batching (" + BATCHING_MODEL + ", worker): on at least 2.5x the throughput of off at 32 "
                + "callers, at equal or lower p95";
        for (Protocol p : List.of(Protocol.BINARY, Protocol.JSON)) {
            Optional<Row> off = find(scenarios, BATCHING_MODEL, false, 32, p);
            Optional<Row> on = find(scenarios, BATCHING_MODEL, true, 32, p);
            if (off.isEmpty() || on.isEmpty() || off.get().statsB().isEmpty() || on.get().statsB().isEmpty()) {
                continue;
            }
            LatencyStats a = off.get().statsB().get();
            LatencyStats b = on.get().statsB().get();
            double gain = b.requestsPerSecond() / a.requestsPerSecond();
            boolean fast = gain >= 2.5;
            boolean tail = b.p95Us() <= a.p95Us();
            String measured = String.format(Locale.ROOT, "%.0f req/s on against %.0f off: %.2fx (needs >= 2.5x)%s; "
                            + "p95 %.0f us on against %.0f us off%s", b.requestsPerSecond(), a.requestsPerSecond(),
                    gain, fast ? "" : String.format(Locale.ROOT, ", missed by %.2fx", 2.5 - gain), b.p95Us(),
                    a.p95Us(), tail ? "" : String.format(Locale.ROOT, ", %.0f us higher", b.p95Us() - a.p95Us()));
            return new Verdict(target, BATCHING_MODEL + ", batch 1, 32 clients, worker over " + p.key(),
                    Optional.of(fast && tail), measured);
        }
        return new Verdict(target, BATCHING_MODEL + ", 32 clients, batching off and on", Optional.empty(), "-");
    }

    private static Optional<Row> find(List<BenchReport.Scenario> scenarios, String model, boolean batching,
                                      int clients, Protocol protocol) {
        for (BenchReport.Scenario s : scenarios) {
            if (s.model().equals(model) && s.batching() == batching && s.concurrency() == clients && s.batch() == 1) {
                for (Row row : rows(s)) {
                    if (row.protocol() == protocol) {
                        return Optional.of(row);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String where(Optional<Row> row) {
        return row.map(r -> String.format(Locale.ROOT, "%s, batch %d, %d client%s, batching %s, %s, c = %s",
                r.scenario().model(), r.scenario().batch(), r.scenario().concurrency(),
                r.scenario().concurrency() == 1 ? "" : "s", r.scenario().batching() ? "on" : "off",
                r.protocol().key(), r.c())).orElse("not in this run");
    }

    private static OptionalDouble divide(Optional<Double> top, Optional<Double> bottom) {
        return top.isPresent() && bottom.isPresent() && bottom.get() > 0
                ? OptionalDouble.of(top.get() / bottom.get()) : OptionalDouble.empty();
    }
}
