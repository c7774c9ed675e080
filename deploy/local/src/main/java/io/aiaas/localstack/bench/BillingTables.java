package io.aiaas.localstack.bench;

import io.aiaas.localstack.bench.BenchReport.Difference;
import io.aiaas.localstack.bench.BenchReport.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The billing part of a {@link BenchReport}: per scenario what control-plane+billing adds to control-plane, beside
 * control-plane-twin's difference (the run's noise) when it was measured, and the CPU per call of each process, as
 * console and Markdown tables.
 */
final class BillingTables {

    private BillingTables() {
    }

    /** The console table, the twin's legend, and the CPU per call of each process. */
    static String console(List<Scenario> scenarios) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "billing: control-plane+billing against control-plane (target: "
                + "+%.0f us at p50, +%.0f us at p99)%n", BenchReport.BILLING_P50_TARGET_US,
                BenchReport.BILLING_P99_TARGET_US));
        out.append(String.format(Locale.ROOT,
                "%-10s %5s %7s %10s %10s %9s %10s %10s %9s %8s %8s %8s %6s %10s %10s%n", "model", "batch",
                "clients", "p50 cp", "p50 bill", "+p50 us", "p99 cp", "p99 bill", "+p99 us", "req/s cp", "req/s b",
                "b/cp", "ok", "twin p50", "twin p99"));
        for (String[] r : rows(scenarios, "NO")) {
            out.append(String.format(Locale.ROOT,
                    "%-10s %5s %7s %10s %10s %9s %10s %10s %9s %8s %8s %8s %6s %10s %10s%n", (Object[]) r));
        }
        if (anyTwin(scenarios)) {
            out.append("(twin: control-plane-twin - control-plane, the same calls measured twice: this run's noise)")
                    .append(System.lineSeparator());
        }
        List<String[]> cpu = cpuRows(scenarios);
        if (!cpu.isEmpty()) {
            out.append(System.lineSeparator()).append("CPU per call (us), control-plane -> +billing (added; "
                    + "control-plane-twin's difference, the noise):").append(System.lineSeparator());
            for (String[] r : cpu) {
                out.append(String.format(Locale.ROOT, "%-10s %5s %7s %-12s %10s -> %10s (%s; twin %s)%n",
                        (Object[]) r));
            }
        }
        return out.toString();
    }

    /** The Markdown section "What billing adds", with the CPU table when CPU was measured. */
    static String markdown(List<Scenario> scenarios) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n## What billing adds (control-plane+billing against control-plane)"
                + "%n%nTarget: at most +%.0f us at p50 and +%.0f us at p99.%n%n", BenchReport.BILLING_P50_TARGET_US,
                BenchReport.BILLING_P99_TARGET_US));
        if (anyTwin(scenarios)) {
            md.append("The twin columns are control-plane-twin against control-plane: the same calls (same key, "
                    + "model and body) measured as two targets, so their difference is this run's noise.\n\n");
        }
        md.append("| model | batch | clients | p50 control-plane | p50 +billing | p50 added (us) "
                + "| p99 control-plane | p99 +billing | p99 added (us) | req/s control-plane | req/s +billing "
                + "| throughput +billing/control-plane | within target | p50 twin (us) | p99 twin (us) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        rows(scenarios, "no").forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
        List<String[]> cpu = cpuRows(scenarios);
        if (!cpu.isEmpty()) {
            md.append("\nCPU each process of the stack used per call during the target's turns (microseconds, from "
                    + "/proc/<pid>/stat; client is the load generator). On a saturated machine a call's latency is "
                    + "about this CPU times the calls in flight over the cores, so what billing adds here is what "
                    + "it adds to the latency there, without the neighbours' noise.\n\n");
            md.append("| model | batch | clients | process | control-plane | +billing | added | twin added |\n");
            md.append("|---|---:|---:|---|---:|---:|---:|---:|\n");
            cpu.forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
        }
        return md.toString();
    }

    /**
     * A row per scenario that measured billing: model, batch, clients, p50 and p99 of both targets with their
     * differences, both throughputs and their ratio, whether within the target ("yes" or {@code no}), and the twin's
     * p50 and p99 differences (- without a twin).
     */
    private static List<String[]> rows(List<Scenario> scenarios, String no) {
        List<String[]> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            s.billing().ifPresent(b -> {
                LatencyStats cp = s.targets().get(Target.CONTROL_PLANE);
                LatencyStats billed = s.targets().get(Target.CONTROL_PLANE_BILLING);
                Optional<Difference> twin = s.twin();
                rows.add(new String[] {s.model(), String.valueOf(s.batch()), String.valueOf(s.concurrency()),
                    fixed(cp.medianUs()), fixed(billed.medianUs()), signed(b.p50AddedUs()), fixed(cp.p99Us()),
                    fixed(billed.p99Us()), signed(b.p99AddedUs()), whole(cp.requestsPerSecond()),
                    whole(billed.requestsPerSecond()), String.format(Locale.ROOT, "%.2fx", b.throughputRatio()),
                    b.withinTarget() ? "yes" : no, signed(twin.map(Difference::p50AddedUs)),
                    signed(twin.map(Difference::p99AddedUs))});
            });
        }
        return rows;
    }

    /**
     * For every scenario that measured billing with CPU figures: model, batch, clients, process, CPU per call of
     * control-plane and of control-plane+billing, the difference, and control-plane-twin's difference (- without a
     * twin); then a row "all" with the sums.
     */
    static List<String[]> cpuRows(List<Scenario> scenarios) {
        List<String[]> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            LatencyStats cp = s.targets().get(Target.CONTROL_PLANE);
            LatencyStats billed = s.targets().get(Target.CONTROL_PLANE_BILLING);
            Optional<LatencyStats> twin = Optional.ofNullable(s.targets().get(Target.CONTROL_PLANE_TWIN));
            if (cp == null || billed == null || cp.cpuUsPerCall().isEmpty()) {
                continue;
            }
            double plainSum = 0;
            double billedSum = 0;
            double twinSum = 0;
            for (Map.Entry<String, Double> e : cp.cpuUsPerCall().entrySet()) {
                double with = billed.cpuUsPerCall().getOrDefault(e.getKey(), 0.0);
                Optional<Double> again = twin.map(t -> t.cpuUsPerCall().getOrDefault(e.getKey(), 0.0));
                plainSum += e.getValue();
                billedSum += with;
                twinSum += again.orElse(0.0);
                rows.add(cpuRow(s, e.getKey(), e.getValue(), with, again));
            }
            double twinTotal = twinSum;
            rows.add(cpuRow(s, "all", plainSum, billedSum, twin.map(t -> twinTotal)));
        }
        return rows;
    }

    /** Whether any scenario measured control-plane-twin beside control-plane. */
    static boolean anyTwin(List<Scenario> scenarios) {
        return scenarios.stream().anyMatch(s -> s.twin().isPresent());
    }

    private static String[] cpuRow(Scenario s, String process, double plain, double billed, Optional<Double> twin) {
        return new String[] {s.model(), String.valueOf(s.batch()), String.valueOf(s.concurrency()), process,
            fixed(plain), fixed(billed), signed(billed - plain), signed(twin.map(t -> t - plain))};
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String whole(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String signed(double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }

    private static String signed(Optional<Double> value) {
        return value.map(BillingTables::signed).orElse("-");
    }
}
