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
     * What billing adds in one scenario: control-plane+billing (a tenant on a plan) against control-plane (a tenant
     * without one), as differences of the medians and of the p99s, and the ratio of their throughputs.
     */
    public record BillingCost(double p50AddedUs, double p99AddedUs, double throughputRatio) {

        /** Within the targets of {@link #BILLING_P50_TARGET_US} and {@link #BILLING_P99_TARGET_US}. */
        public boolean withinTarget() {
            return p50AddedUs <= BILLING_P50_TARGET_US && p99AddedUs <= BILLING_P99_TARGET_US;
        }
    }

    /** One model, batch size and client thread count, with each target's statistics in measuring order. */
    public record Scenario(String model, String description, int batch, int concurrency,
                           Map<String, LatencyStats> targets) {

        public Scenario {
            targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
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
        public Optional<BillingCost> billing() {
            LatencyStats billed = targets.get(Target.CONTROL_PLANE_BILLING);
            LatencyStats plain = targets.get(Target.CONTROL_PLANE);
            if (billed == null || plain == null) {
                return Optional.empty();
            }
            return Optional.of(new BillingCost(billed.medianUs() - plain.medianUs(), billed.p99Us() - plain.p99Us(),
                    plain.requestsPerSecond() > 0 ? billed.requestsPerSecond() / plain.requestsPerSecond() : 0));
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
        out.append(String.format(Locale.ROOT, "%-10s %5s %7s %-" + width + "s %10s %10s %10s %10s %7s%n",
                "model", "batch", "clients", "target", "median us", "p90 us", "p99 us", "req/s", "errors"));
        for (Scenario s : scenarios) {
            s.targets().forEach((target, st) -> out.append(String.format(Locale.ROOT,
                    "%-10s %5d %7d %-" + width + "s %10.1f %10.1f %10.1f %10.0f %7d%n", s.model(), s.batch(),
                    s.concurrency(),
                    target, st.medianUs(), st.p90Us(), st.p99Us(), st.requestsPerSecond(), st.errors())));
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "%-10s %5s %7s %11s %21s %18s %16s %18s%n", "model", "batch",
                "clients", "worker/raw", "control-plane/worker", "control-plane/raw", "worker-raw us",
                "cp-worker us"));
        for (Scenario s : scenarios) {
            out.append(String.format(Locale.ROOT, "%-10s %5d %7d %11s %21s %18s %16s %18s%n", s.model(), s.batch(),
                    s.concurrency(), times(s.ratio(RATIOS.get(0))), times(s.ratio(RATIOS.get(1))),
                    times(s.ratio(RATIOS.get(2))), micros(s.addedUs(RATIOS.get(0))),
                    micros(s.addedUs(RATIOS.get(1)))));
        }
        if (hasBilling()) {
            out.append(System.lineSeparator());
            out.append(String.format(Locale.ROOT, "billing: control-plane+billing against control-plane (target: "
                    + "+%.0f us at p50, +%.0f us at p99)%n", BILLING_P50_TARGET_US, BILLING_P99_TARGET_US));
            out.append(String.format(Locale.ROOT, "%-10s %5s %7s %10s %10s %9s %10s %10s %9s %8s %8s %8s %6s%n",
                    "model", "batch", "clients", "p50 cp", "p50 bill", "+p50 us", "p99 cp", "p99 bill", "+p99 us",
                    "req/s cp", "req/s b", "b/cp", "ok"));
            for (Scenario s : scenarios) {
                s.billing().ifPresent(b -> {
                    LatencyStats cp = s.targets().get(Target.CONTROL_PLANE);
                    LatencyStats billed = s.targets().get(Target.CONTROL_PLANE_BILLING);
                    out.append(String.format(Locale.ROOT,
                            "%-10s %5d %7d %10.1f %10.1f %+9.1f %10.1f %10.1f %+9.1f %8.0f %8.0f %7.2fx %6s%n",
                            s.model(), s.batch(), s.concurrency(), cp.medianUs(), billed.medianUs(), b.p50AddedUs(),
                            cp.p99Us(), billed.p99Us(), b.p99AddedUs(), cp.requestsPerSecond(),
                            billed.requestsPerSecond(), b.throughputRatio(), b.withinTarget() ? "yes" : "NO"));
                });
            }
        }
        return out.toString();
    }

    /** A Markdown page with the environment, the settings and both tables. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# aiaas benchmark results\n\n");
        environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- settings: ");
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k + "=" + v));
        md.append(String.join(", ", parts)).append("\n\n");
        md.append("## Latency per request (microseconds) and throughput\n\n");
        md.append("| model | batch | clients | target | median | p90 | p99 | req/s | items/s | errors |\n");
        md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario s : scenarios) {
            s.targets().forEach((target, st) -> md.append(String.format(Locale.ROOT,
                    "| %s | %d | %d | %s | %.1f | %.1f | %.1f | %.0f | %.0f | %d |%n", s.model(), s.batch(),
                    s.concurrency(), target, st.medianUs(), st.p90Us(), st.p99Us(), st.requestsPerSecond(),
                    st.itemsPerSecond(), st.errors())));
        }
        md.append("\n## Ratios of the medians\n\n");
        md.append("| model | batch | clients | worker/raw | control-plane/worker | control-plane/raw "
                + "| worker - raw (us) | control-plane - worker (us) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario s : scenarios) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s |%n", s.model(), s.batch(),
                    s.concurrency(), times(s.ratio(RATIOS.get(0))), times(s.ratio(RATIOS.get(1))),
                    times(s.ratio(RATIOS.get(2))), micros(s.addedUs(RATIOS.get(0))),
                    micros(s.addedUs(RATIOS.get(1)))));
        }
        if (hasBilling()) {
            md.append(String.format(Locale.ROOT, "%n## What billing adds (control-plane+billing against control-plane)"
                    + "%n%nTarget: at most +%.0f us at p50 and +%.0f us at p99.%n%n", BILLING_P50_TARGET_US,
                    BILLING_P99_TARGET_US));
            md.append("| model | batch | clients | p50 control-plane | p50 +billing | p50 added (us) "
                    + "| p99 control-plane | p99 +billing | p99 added (us) | req/s control-plane | req/s +billing "
                    + "| throughput +billing/control-plane | within target |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Scenario s : scenarios) {
                s.billing().ifPresent(b -> {
                    LatencyStats cp = s.targets().get(Target.CONTROL_PLANE);
                    LatencyStats billed = s.targets().get(Target.CONTROL_PLANE_BILLING);
                    md.append(String.format(Locale.ROOT,
                            "| %s | %d | %d | %.1f | %.1f | %+.1f | %.1f | %.1f | %+.1f | %.0f | %.0f | %.2fx | %s |%n",
                            s.model(), s.batch(), s.concurrency(), cp.medianUs(), billed.medianUs(), b.p50AddedUs(),
                            cp.p99Us(), billed.p99Us(), b.p99AddedUs(), cp.requestsPerSecond(),
                            billed.requestsPerSecond(), b.throughputRatio(), b.withinTarget() ? "yes" : "no"));
                });
            }
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
            Map<String, Object> targets = new LinkedHashMap<>();
            s.targets().forEach((name, st) -> targets.put(name, statsJson(st)));
            scenario.put("targets", targets);
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Ratio ratio : RATIOS) {
                OptionalDouble value = s.ratio(ratio);
                ratios.put(ratio.key(), value.isPresent() ? value.getAsDouble() : null);
            }
            scenario.put("median_ratios", ratios);
            s.billing().ifPresent(b -> {
                Map<String, Object> billing = new LinkedHashMap<>();
                billing.put("p50_added_us", b.p50AddedUs());
                billing.put("p99_added_us", b.p99AddedUs());
                billing.put("throughput_ratio", b.throughputRatio());
                billing.put("within_target", b.withinTarget());
                scenario.put("billing", billing);
            });
            list.add(scenario);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        root.put("settings", settings);
        root.put("scenarios", list);
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

    private static Map<String, Object> statsJson(LatencyStats st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", st.requests());
        m.put("errors", st.errors());
        m.put("median_us", st.medianUs());
        m.put("p90_us", st.p90Us());
        m.put("p99_us", st.p99Us());
        m.put("mean_us", st.meanUs());
        m.put("min_us", st.minUs());
        m.put("max_us", st.maxUs());
        m.put("requests_per_second", st.requestsPerSecond());
        m.put("items_per_second", st.itemsPerSecond());
        return m;
    }

    private static String times(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2fx", ratio.getAsDouble()) : "-";
    }

    private static String micros(OptionalDouble us) {
        return us.isPresent() ? String.format(Locale.ROOT, "%+.1f", us.getAsDouble()) : "-";
    }
}
