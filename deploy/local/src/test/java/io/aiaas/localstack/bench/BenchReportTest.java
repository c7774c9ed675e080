package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.localstack.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static LatencyStats stats(double medianUs) {
        return new LatencyStats(1000, 0, medianUs, medianUs * 2, medianUs * 2.5, medianUs * 3, medianUs, medianUs / 2, medianUs * 4,
                1e6 / medianUs, 1e6 / medianUs);
    }

    private static BenchReport.Scenario full() {
        Map<String, LatencyStats> targets = new LinkedHashMap<>();
        targets.put(Target.RAW, stats(100));
        targets.put(Target.WORKER, stats(300));
        targets.put(Target.CONTROL_PLANE, stats(900));
        return new BenchReport.Scenario("iris", "Iris demo", 1, 4, targets);
    }

    private static LatencyStats stats(double medianUs, double p99Us, double perSecond) {
        return new LatencyStats(1000, 0, medianUs, medianUs, p99Us, p99Us, medianUs, medianUs, p99Us, perSecond, perSecond);
    }

    private static BenchReport.Scenario billed(int clients, double billedMedian, double billedP99) {
        Map<String, LatencyStats> targets = new LinkedHashMap<>();
        targets.put(Target.RAW, stats(15));
        targets.put(Target.WORKER, stats(500));
        targets.put(Target.CONTROL_PLANE, stats(1600, 9000, 600));
        targets.put(Target.CONTROL_PLANE_BILLING, stats(billedMedian, billedP99, 480));
        return new BenchReport.Scenario("iris", "Iris demo", 1, clients, targets);
    }

    private static BenchReport report(BenchReport.Scenario... scenarios) {
        return new BenchReport(Map.of("cpus", "2"), Map.of("requests", 1000), List.of(scenarios));
    }

    @Test
    void ratiosDivideTheMedians() {
        BenchReport.Scenario s = full();

        assertEquals(3.0, s.ratio(BenchReport.RATIOS.get(0)).getAsDouble(), 1e-12);
        assertEquals(3.0, s.ratio(BenchReport.RATIOS.get(1)).getAsDouble(), 1e-12);
        assertEquals(9.0, s.ratio(BenchReport.RATIOS.get(2)).getAsDouble(), 1e-12);
        assertEquals(200.0, s.addedUs(BenchReport.RATIOS.get(0)).getAsDouble(), 1e-12);
        assertEquals(600.0, s.addedUs(BenchReport.RATIOS.get(1)).getAsDouble(), 1e-12);
    }

    @Test
    void aTargetNotMeasuredLeavesItsRatiosEmpty() {
        BenchReport.Scenario s = new BenchReport.Scenario("mlp", "MLP", 32, 1, Map.of(Target.RAW, stats(100)));
        Map<String, LatencyStats> noGateway = new LinkedHashMap<>();
        noGateway.put(Target.RAW, stats(100));
        noGateway.put(Target.WORKER, stats(300));
        BenchReport.Scenario workerOnly = new BenchReport.Scenario("mlp", "MLP", 32, 1, noGateway);

        assertTrue(s.ratio(BenchReport.RATIOS.get(0)).isEmpty());
        assertTrue(report(workerOnly).table().contains("3.00x           -"), report(workerOnly).table());
        assertTrue(Json.parse(report(s).json()).path("scenarios").get(0).path("median_ratios")
                .path("worker_over_raw").isNull());
    }

    @Test
    void jsonCarriesEveryTargetsFiguresAndTheRatios() {
        JsonNode root = Json.parse(report(full()).json());

        JsonNode scenario = root.path("scenarios").get(0);
        assertEquals("iris", scenario.path("model").asText());
        assertEquals(4, scenario.path("concurrency").asInt());
        assertEquals(100.0, scenario.path("targets").path("raw").path("median_us").asDouble());
        assertEquals(1800.0, scenario.path("targets").path("control-plane").path("p90_us").asDouble());
        assertEquals(9.0, scenario.path("median_ratios").path("control_plane_over_raw").asDouble(), 1e-12);
        assertEquals("2", root.path("environment").path("cpus").asText());
        assertEquals(1000, root.path("settings").path("requests").asInt());
    }

    @Test
    void tableAndMarkdownShowEachTargetAndTheRatios() {
        BenchReport report = report(full());

        String table = report.table();
        assertTrue(table.contains("control-plane"), table);
        assertTrue(table.contains("3.00x") && table.contains("9.00x"), table);
        assertTrue(table.contains("+600.0"), table);
        String md = report.markdown();
        assertTrue(md.contains("| iris | 1 | 4 | off | worker | 300.0 | 600.0 | 750.0 | 900.0 |"), md);
        assertTrue(md.contains("| iris | 1 | 4 | off | json | control-plane | 100.0 | 300.0 | 900.0 | 900.0 | 2700.0 "
                + "| 10000 | 3333 | 1111 | 3.00x | 3.00x | 9.00x | 0.33x | 0.33x | +200.0 | +600.0 |"), md);
        assertFalse(md.contains("Targets of issue 8"), "none of them measured: " + md);
        assertFalse(md.contains("NaN"), md);
    }

    @Test
    void billingCostIsTheDifferenceOfMediansAndP99sAndTheThroughputRatio() {
        BenchReport.Difference cost = billed(8, 1700, 9800).billing().orElseThrow();

        assertEquals(100.0, cost.p50AddedUs(), 1e-9);
        assertEquals(800.0, cost.p99AddedUs(), 1e-9);
        assertEquals(0.8, cost.throughputRatio(), 1e-9);
        assertTrue(cost.withinTarget());
        assertFalse(billed(8, 1751, 9000).billing().orElseThrow().withinTarget());
        assertFalse(billed(8, 1600, 10001).billing().orElseThrow().withinTarget());
        assertTrue(full().billing().isEmpty());
        assertFalse(report(full()).hasBilling());
    }

    private static LatencyStats withCpu(LatencyStats st, double api, double postgres) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("platform-api", api);
        cpu.put("postgres", postgres);
        return new LatencyStats(st.requests(), st.errors(), st.medianUs(), st.p90Us(), st.p95Us(), st.p99Us(),
                st.meanUs(), st.minUs(), st.maxUs(), st.requestsPerSecond(), st.itemsPerSecond(), cpu);
    }

    /** The scenario's targets, control-plane using 900 + 200 us of CPU a call and +billing 930 + 260. */
    private static Map<String, LatencyStats> withBillingCpu(BenchReport.Scenario scenario) {
        Map<String, LatencyStats> targets = new LinkedHashMap<>(scenario.targets());
        targets.put(Target.CONTROL_PLANE, withCpu(targets.get(Target.CONTROL_PLANE), 900, 200));
        targets.put(Target.CONTROL_PLANE_BILLING, withCpu(targets.get(Target.CONTROL_PLANE_BILLING), 930, 260));
        return targets;
    }

    @Test
    void billingCpuPerCallIsShownProcessByProcessWithTheSum() {
        BenchReport.Scenario plain = billed(8, 1700, 9800);
        BenchReport report = report(new BenchReport.Scenario("iris", "Iris demo", 1, 8, withBillingCpu(plain)));

        assertEquals(List.of(List.of("iris", "1", "8", "platform-api", "900.0", "930.0", "+30.0", "-"),
                List.of("iris", "1", "8", "postgres", "200.0", "260.0", "+60.0", "-"),
                List.of("iris", "1", "8", "all", "1100.0", "1190.0", "+90.0", "-")),
                BillingTables.cpuRows(report.scenarios()).stream().map(List::of).toList());
        assertTrue(report.markdown().contains("| iris | 1 | 8 | all | 1100.0 | 1190.0 | +90.0 | - |"),
                report.markdown());
        assertTrue(report.table().contains("CPU per call"), report.table());
        assertEquals(260.0, Json.parse(report.json()).path("scenarios").get(0).path("targets")
                .path(Target.CONTROL_PLANE_BILLING).path("cpu_us_per_call").path("postgres").asDouble(), 1e-9);
        assertTrue(BillingTables.cpuRows(report(plain).scenarios()).isEmpty(), "no CPU measured, no rows");
        assertFalse(report(plain).markdown().contains("CPU each process"));
    }

    @Test
    void billingSectionAppearsOnlyWhenABilledTenantWasMeasured() {
        BenchReport report = report(billed(1, 1700, 9800), billed(64, 1900, 12000));

        String table = report.table();
        assertTrue(table.contains("control-plane+billing"), table);
        assertTrue(table.contains("+100.0") && table.contains("+800.0") && table.contains("0.80x"), table);
        assertTrue(table.contains("yes") && table.contains("NO"), table);
        String md = report.markdown();
        assertTrue(md.contains("| iris | 1 | 1 | 1600.0 | 1700.0 | +100.0 | 9000.0 | 9800.0 | +800.0 | 600 | 480 "
                + "| 0.80x | yes |"), md);
        assertTrue(md.contains("| iris | 1 | 64 | 1600.0 | 1900.0 | +300.0 | 9000.0 | 12000.0 | +3000.0 |"), md);
        JsonNode billing = Json.parse(report.json()).path("scenarios").get(1).path("billing");
        assertEquals(300.0, billing.path("p50_added_us").asDouble(), 1e-9);
        assertEquals(3000.0, billing.path("p99_added_us").asDouble(), 1e-9);
        assertFalse(billing.path("within_target").asBoolean());
        assertFalse(report(full()).table().contains("billing"));
        assertFalse(report(full()).markdown().contains("billing"));
        assertTrue(Json.parse(report(full()).json()).path("scenarios").get(0).path("billing").isMissingNode());
    }

    @Test
    void theTwinIsControlPlaneMeasuredAgainAndShowsBesideBillingAsTheRunsNoise() {
        BenchReport.Scenario without = billed(32, 1750, 9900);
        Map<String, LatencyStats> targets = withBillingCpu(without);
        targets.put(Target.CONTROL_PLANE_TWIN, withCpu(stats(1720, 8500, 540), 880, 215));
        BenchReport.Scenario scenario = new BenchReport.Scenario("iris", "Iris demo", 1, 32, targets);
        BenchReport report = report(scenario);

        BenchReport.Difference twin = scenario.twin().orElseThrow();
        assertEquals(120.0, twin.p50AddedUs(), 1e-9);
        assertEquals(-500.0, twin.p99AddedUs(), 1e-9);
        assertEquals(0.9, twin.throughputRatio(), 1e-9);
        assertEquals(150.0, scenario.billing().orElseThrow().p50AddedUs(), 1e-9,
                "billing is still against control-plane");
        assertTrue(without.twin().isEmpty());
        assertFalse(report(without).hasTwin());
        assertTrue(report.hasTwin());

        String md = report.markdown();
        assertTrue(md.contains("| iris | 1 | 32 | 1600.0 | 1750.0 | +150.0 | 9000.0 | 9900.0 | +900.0 | 600 | 480 "
                + "| 0.80x | yes | +120.0 | -500.0 |"), md);
        assertTrue(md.contains("this run's noise"), md);
        assertTrue(md.contains("| iris | 1 | 32 | platform-api | 900.0 | 930.0 | +30.0 | -20.0 |"), md);
        assertTrue(md.contains("| iris | 1 | 32 | all | 1100.0 | 1190.0 | +90.0 | -5.0 |"), md);
        assertTrue(report.table().contains("+120.0") && report.table().contains("twin -5.0"), report.table());
        JsonNode json = Json.parse(report.json()).path("scenarios").get(0).path("twin");
        assertEquals(120.0, json.path("p50_added_us").asDouble(), 1e-9);
        assertEquals(0.9, json.path("throughput_ratio").asDouble(), 1e-9);
        assertTrue(json.path("within_billing_target").asBoolean());
        assertTrue(Json.parse(report(without).json()).path("scenarios").get(0).path("twin").isMissingNode());
        assertFalse(report(without).markdown().contains("this run's noise"));
    }

    @Test
    void writeLeavesJsonAndMarkdownInTheResultsDirectory(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("nested/results");

        report(full()).write(out);

        assertEquals(report(full()).json(), Files.readString(out.resolve(BenchReport.JSON_FILE)));
        assertTrue(Files.readString(out.resolve(BenchReport.MARKDOWN_FILE)).startsWith("# aiaas benchmark results"));
    }
}
