package io.aiaas.localstack.bench;

import io.aiaas.localstack.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The results of one run: where it ran, with which settings, and per scenario the statistics of each target, the
 * ratios of their medians and, when a billed tenant was measured, what billing adds. Renders them as a console table,
 * Markdown and JSON.
 */
public record BenchReport(Map<String, String> environment, Map<String, Object> settings, List<Scenario> scenarios) {

    public static final String JSON_FILE = "results.json";
    public static final String MARKDOWN_FILE = "results.md";

    /** One ratio of medians: {@code numerator / denominator}, e.g. worker over raw. */
    public record Ratio(String key, String label, String numerator, String denominator) {
    }

    public static final List<Ratio> RATIOS = List.of(
            new Ratio("worker_over_raw", "worker/raw", Target.WORKER, Target.RAW),
            new Ratio("control_plane_over_worker", "control-plane/worker", Target.CONTROL_PLANE, Target.WORKER),
            new Ratio("control_plane_over_raw", "control-plane/raw", Target.CONTROL_PLANE, Target.RAW));

    /** The issue-6 target for what billing may add on the development machine: median and p99, microseconds. */
    public static final double BILLING_P50_TARGET_US = 150;
    public static final double BILLING_P99_TARGET_US = 1000;

    /**
     * What one target adds against another in one scenario, as differences of the medians and of the p99s, and the
     * ratio of their throughputs: what billing adds (control-plane+billing, a tenant on a plan, against control-plane,
     * a tenant without one), or the run's noise (control-plane-twin against control-plane, identical work).
     */
    public record Difference(double p50AddedUs, double p99AddedUs, double throughputRatio) {

        /** Within the targets of {@link #BILLING_P50_TARGET_US} and {@link #BILLING_P99_TARGET_US}. */
        public boolean withinTarget() {
            return p50AddedUs <= BILLING_P50_TARGET_US && p99AddedUs <= BILLING_P99_TARGET_US;
        }
    }

    /**
     * One model, batch size, client thread count and batching setting (the worker's dynamic batching for the model
     * the worker and control-plane targets call), with each target's statistics in measuring order.
     */
    public record Scenario(String model, String description, int batch, int concurrency, boolean batching,
                           Map<String, LatencyStats> targets) {

        public Scenario {
            targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        }

        /** A scenario with batching off. */
        public Scenario(String model, String description, int batch, int concurrency,
                        Map<String, LatencyStats> targets) {
            this(model, description, batch, concurrency, false, targets);
        }

        /** "on" or "off", as the tables show it. */
        public String batchingText() {
            return batching ? "on" : "off";
        }

        /** median(numerator) / median(denominator), empty when either target was not measured. */
        public OptionalDouble ratio(Ratio ratio) {
            LatencyStats top = targets.get(ratio.numerator());
            LatencyStats bottom = targets.get(ratio.denominator());
            return top == null || bottom == null || bottom.medianUs() <= 0
                    ? OptionalDouble.empty() : OptionalDouble.of(top.medianUs() / bottom.medianUs());
        }

        /** median(numerator) - median(denominator) in microseconds: what the extra layer adds. */
        public OptionalDouble addedUs(Ratio ratio) {
            LatencyStats top = targets.get(ratio.numerator());
            LatencyStats bottom = targets.get(ratio.denominator());
            return top == null || bottom == null
                    ? OptionalDouble.empty() : OptionalDouble.of(top.medianUs() - bottom.medianUs());
        }

        /** What billing adds; empty unless both control-plane targets were measured. */
        public Optional<Difference> billing() {
            return difference(Target.CONTROL_PLANE_BILLING, Target.CONTROL_PLANE);
        }

        /**
         * control-plane-twin against control-plane: the same calls measured as two targets, so whatever differs is
         * noise (the machine, the turns' order); empty unless both were measured.
         */
        public Optional<Difference> twin() {
            return difference(Target.CONTROL_PLANE_TWIN, Target.CONTROL_PLANE);
        }

        /** {@code target} against {@code base}; empty unless both were measured. */
        public Optional<Difference> difference(String target, String base) {
            LatencyStats top = targets.get(target);
            LatencyStats bottom = targets.get(base);
            if (top == null || bottom == null) {
                return Optional.empty();
            }
            return Optional.of(new Difference(top.medianUs() - bottom.medianUs(), top.p99Us() - bottom.p99Us(),
                    bottom.requestsPerSecond() > 0 ? top.requestsPerSecond() / bottom.requestsPerSecond() : 0));
        }
    }

    /** Whether any scenario measured billing. */
    public boolean hasBilling() {
        return scenarios.stream().anyMatch(s -> s.billing().isPresent());
    }

    public BenchReport {
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        scenarios = List.copyOf(scenarios);
    }

    /** Fixed-width tables for the console: latencies, then ratios. */
    public String table() {
        StringBuilder out = new StringBuilder();
        int width = Math.max(14, scenarios.stream().flatMap(s -> s.targets().keySet().stream())
                .mapToInt(String::length).max().orElse(0));
        out.append(String.format(Locale.ROOT, "%-10s %5s %7s %8s %-" + width + "s %10s %10s %10s %10s %10s %7s%n",
                "model", "batch", "clients", "batching", "target", "median us", "p90 us", "p95 us", "p99 us", "req/s",
                "errors"));
        for (Scenario s : scenarios) {
            s.targets().forEach((target, st) -> out.append(String.format(Locale.ROOT,
                    "%-10s %5d %7d %8s %-" + width + "s %10.1f %10.1f %10.1f %10.1f %10.0f %7d%n", s.model(),
                    s.batch(), s.concurrency(), s.batchingText(), target, st.medianUs(), st.p90Us(), st.p95Us(),
                    st.p99Us(), st.requestsPerSecond(), st.errors())));
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "%-10s %5s %7s %8s %8s %11s %11s %11s %11s %11s %11s %11s%n",
                "model", "batch", "clients", "batching", "protocol", "p50 b/a", "p50 c/b", "p50 c/a", "req/s b/a",
                "req/s c/b", "b-a us", "c-b us"));
        for (Scenario s : scenarios) {
            for (DataPath.Row row : DataPath.rows(s)) {
                out.append(String.format(Locale.ROOT, "%-10s %5d %7d %8s %8s %11s %11s %11s %11s %11s %11s %11s%n",
                        s.model(), s.batch(), s.concurrency(), s.batchingText(), row.protocol().key(),
                        times(row.latencyBOverA()), times(row.latencyCOverB()), times(row.latencyCOverA()),
                        times(row.throughputBOverA()),
                        times(row.throughputCOverB()), micros(difference(row.statsB(), row.statsA())),
                        micros(difference(row.statsC(), row.statsB()))));
            }
        }
        out.append("(a = raw, b = worker over the protocol (binary for grpc), c = ")
                .append(scenarios.stream().map(DataPath::door).distinct().reduce((x, y) -> x + " / " + y)
                        .orElse(Target.CONTROL_PLANE))
                .append(" over the protocol)").append(System.lineSeparator());
        List<DataPath.Verdict> verdicts = measuredVerdicts();
        if (!verdicts.isEmpty()) {
            out.append(System.lineSeparator()).append("issue 8 targets:").append(System.lineSeparator());
            for (DataPath.Verdict v : verdicts) {
                out.append(String.format(Locale.ROOT, "  %-12s %s%n  %12s %s (%s)%n", v.verdict(), v.target(), "",
                        v.measured(), v.where()));
            }
        }
        if (hasBilling()) {
            out.append(System.lineSeparator()).append(BillingTables.console(scenarios));
        }
        return out.toString();
    }

    /** A Markdown page with the environment, the settings, the targets and the tables. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# aiaas benchmark results\n\n");
        environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- settings: ");
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k + "=" + v));
        md.append(String.join(", ", parts)).append("\n\n");
        md.append(markdownBody());
        return md.toString();
    }

    /** The tables of {@link #markdown} without the title and the run's facts (for docs/performance.md). */
    public String markdownBody() {
        StringBuilder md = new StringBuilder();
        List<DataPath.Verdict> verdicts = measuredVerdicts();
        if (!verdicts.isEmpty()) {
            md.append("## Targets of issue 8\n\n");
            md.append("| target | verdict | measured | where |\n|---|---|---|---|\n");
            for (DataPath.Verdict v : DataPath.verdicts(scenarios)) {
                md.append("| ").append(v.target()).append(" | ").append(v.met().isPresent() ? "**" + v.verdict()
                        + "**" : v.verdict()).append(" | ").append(v.measured()).append(" | ").append(v.where())
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Latency per request (microseconds) and throughput\n\n");
        md.append("| model | batch | clients | batching | target | median | p90 | p95 | p99 | req/s | items/s "
                + "| errors |\n");
        md.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario s : scenarios) {
            s.targets().forEach((target, st) -> md.append(String.format(Locale.ROOT,
                    "| %s | %d | %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %d |%n", s.model(),
                    s.batch(), s.concurrency(), s.batchingText(), target, st.medianUs(), st.p90Us(), st.p95Us(),
                    st.p99Us(), st.requestsPerSecond(), st.itemsPerSecond(), st.errors())));
        }
        md.append("\n## Ratios: (a) in process, (b) the worker, (c) the control plane\n\n");
        md.append("b is the worker over the row's protocol (over binary for grpc, which the worker does not serve); c is "
                + "the control plane over the row's protocol, for the tenant on a plan when it was measured. Latency "
                + "ratios are of the medians.\n\n");
        md.append("| model | batch | clients | batching | protocol | c target | p50 a | p50 b | p50 c | p99 b | p99 c "
                + "| req/s a | req/s b | req/s c | p50 b/a | p50 c/b | p50 c/a | req/s b/a | req/s c/b "
                + "| b - a (us) | c - b (us) |\n");
        md.append("|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
                + "|---:|\n");
        for (Scenario s : scenarios) {
            for (DataPath.Row row : DataPath.rows(s)) {
                md.append(String.format(Locale.ROOT,
                        "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                                + "| %s | %s | %s |%n",
                        s.model(), s.batch(), s.concurrency(), s.batchingText(), row.protocol().key(), row.c(),
                        fixed(row.statsA().map(LatencyStats::medianUs)), fixed(row.statsB().map(LatencyStats::medianUs)),
                        fixed(row.statsC().map(LatencyStats::medianUs)), fixed(row.statsB().map(LatencyStats::p99Us)),
                        fixed(row.statsC().map(LatencyStats::p99Us)), whole(row.statsA()), whole(row.statsB()),
                        whole(row.statsC()), times(row.latencyBOverA()), times(row.latencyCOverB()),
                        times(row.latencyCOverA()), times(row.throughputBOverA()), times(row.throughputCOverB()),
                        micros(difference(row.statsB(), row.statsA())),
                        micros(difference(row.statsC(), row.statsB()))));
            }
        }
        List<String[]> batching = batchingRows();
        if (!batching.isEmpty()) {
            md.append("\n## Batching on against off\n\n");
            md.append("The same model published twice, served by one worker: batching off for its own name, on for "
                    + "the name with `-batched` (settings in the run's `worker_batching`).\n\n");
            md.append("| model | batch | clients | target | req/s off | req/s on | on/off | p95 off | p95 on "
                    + "| p50 off | p50 on |\n");
            md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String[] r : batching) {
                md.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
        }
        if (hasBilling()) {
            md.append(BillingTables.markdown(scenarios));
        }
        return md.toString();
    }

    /** The same figures as JSON, snake_case, numbers unrounded. */
    public String json() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("model", s.model());
            scenario.put("description", s.description());
            scenario.put("batch", s.batch());
            scenario.put("concurrency", s.concurrency());
            scenario.put("batching", s.batching());
            Map<String, Object> targets = new LinkedHashMap<>();
            s.targets().forEach((name, st) -> targets.put(name, statsJson(st)));
            scenario.put("targets", targets);
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Ratio ratio : RATIOS) {
                OptionalDouble value = s.ratio(ratio);
                ratios.put(ratio.key(), value.isPresent() ? value.getAsDouble() : null);
            }
            scenario.put("median_ratios", ratios);
            List<Map<String, Object>> path = new ArrayList<>();
            for (DataPath.Row row : DataPath.rows(s)) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("protocol", row.protocol().key());
                r.put("a", row.a());
                r.put("b", row.b());
                r.put("c", row.c());
                r.put("p50_b_over_a", orNull(row.latencyBOverA()));
                r.put("p50_c_over_b", orNull(row.latencyCOverB()));
                r.put("p50_c_over_a", orNull(row.latencyCOverA()));
                r.put("throughput_b_over_a", orNull(row.throughputBOverA()));
                r.put("throughput_c_over_b", orNull(row.throughputCOverB()));
                path.add(r);
            }
            scenario.put("data_path", path);
            s.billing().ifPresent(b -> scenario.put("billing", differenceJson(b, "within_target")));
            s.twin().ifPresent(t -> scenario.put("twin", differenceJson(t, "within_billing_target")));
            list.add(scenario);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        root.put("settings", settings);
        root.put("scenarios", list);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (DataPath.Verdict v : DataPath.verdicts(scenarios)) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("target", v.target());
            t.put("met", v.met().orElse(null));
            t.put("measured", v.measured());
            t.put("where", v.where());
            targets.add(t);
        }
        root.put("issue_8_targets", targets);
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the results as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes results.json and results.md into {@code dir} (created if needed); answers the Markdown file. */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(JSON_FILE), json());
            return Files.writeString(dir.resolve(MARKDOWN_FILE), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> differenceJson(Difference d, String withinKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_added_us", d.p50AddedUs());
        m.put("p99_added_us", d.p99AddedUs());
        m.put("throughput_ratio", d.throughputRatio());
        m.put(withinKey, d.withinTarget());
        return m;
    }

    private static Map<String, Object> statsJson(LatencyStats st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", st.requests());
        m.put("errors", st.errors());
        m.put("median_us", st.medianUs());
        m.put("p90_us", st.p90Us());
        m.put("p95_us", st.p95Us());
        m.put("p99_us", st.p99Us());
        m.put("mean_us", st.meanUs());
        m.put("min_us", st.minUs());
        m.put("max_us", st.maxUs());
        m.put("requests_per_second", st.requestsPerSecond());
        m.put("items_per_second", st.itemsPerSecond());
        if (!st.cpuUsPerCall().isEmpty()) {
            m.put("cpu_us_per_call", st.cpuUsPerCall());
        }
        return m;
    }

    /** Whether any scenario measured control-plane-twin beside control-plane. */
    public boolean hasTwin() {
        return BillingTables.anyTwin(scenarios);
    }

    /** The targets that this run measured (empty when it measured none of them). */
    public List<DataPath.Verdict> measuredVerdicts() {
        List<DataPath.Verdict> all = DataPath.verdicts(scenarios);
        return all.stream().anyMatch(v -> v.met().isPresent()) ? all : List.of();
    }

    /**
     * Batching on against off: for every scenario with batching on, the same model, batch and clients with it off,
     * per target measured in both (model, batch, clients, target, req/s off, on, on/off, p95 off, on, p50 off, on).
     */
    List<String[]> batchingRows() {
        List<String[]> rows = new ArrayList<>();
        for (Scenario on : scenarios) {
            if (!on.batching()) {
                continue;
            }
            for (Scenario off : scenarios) {
                if (off.batching() || !off.model().equals(on.model()) || off.batch() != on.batch()
                        || off.concurrency() != on.concurrency()) {
                    continue;
                }
                on.targets().forEach((target, b) -> {
                    LatencyStats a = off.targets().get(target);
                    if (a != null && !target.equals(Target.RAW)) {
                        rows.add(new String[] {on.model(), String.valueOf(on.batch()),
                            String.valueOf(on.concurrency()), target,
                            String.format(Locale.ROOT, "%.0f", a.requestsPerSecond()),
                            String.format(Locale.ROOT, "%.0f", b.requestsPerSecond()),
                            String.format(Locale.ROOT, "%.2fx", b.requestsPerSecond() / a.requestsPerSecond()),
                            String.format(Locale.ROOT, "%.1f", a.p95Us()), String.format(Locale.ROOT, "%.1f", b.p95Us()),
                            String.format(Locale.ROOT, "%.1f", a.medianUs()),
                            String.format(Locale.ROOT, "%.1f", b.medianUs())});
                    }
                });
            }
        }
        return rows;
    }

    private static OptionalDouble difference(Optional<LatencyStats> top, Optional<LatencyStats> bottom) {
        return top.isPresent() && bottom.isPresent()
                ? OptionalDouble.of(top.get().medianUs() - bottom.get().medianUs()) : OptionalDouble.empty();
    }

    private static String fixed(Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("-");
    }

    private static String whole(Optional<LatencyStats> stats) {
        return stats.map(st -> String.format(Locale.ROOT, "%.0f", st.requestsPerSecond())).orElse("-");
    }

    private static String times(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2fx", ratio.getAsDouble()) : "-";
    }

    private static Double orNull(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static String micros(OptionalDouble us) {
        return us.isPresent() ? String.format(Locale.ROOT, "%+.1f", us.getAsDouble()) : "-";
    }
}
