package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.localstack.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataPathTest {

    private static final String BILLED = Target.CONTROL_PLANE_BILLING;

    private static LatencyStats stats(double p50, double p95, double p99, double perSecond) {
        return new LatencyStats(1000, 0, p50, p95, p95, p99, p50, p50 / 2, p99 * 2, perSecond, perSecond);
    }

    /** A data-path scenario: raw, the worker and the billed gateway over json and binary, gRPC to the gateway. */
    private static BenchReport.Scenario scenario(String model, int clients, boolean batching, double raw,
                                                 double worker, double gateway, double gatewayP99,
                                                 double workerPerSecond, double gatewayPerSecond) {
        Map<String, LatencyStats> t = new LinkedHashMap<>();
        t.put(Target.RAW, stats(raw, raw, raw, 20000));
        t.put(Target.WORKER, stats(worker, worker * 2, worker * 3, workerPerSecond));
        t.put(BILLED, stats(gateway, gateway * 2, gatewayP99, gatewayPerSecond));
        t.put("worker/binary", stats(worker / 2, worker, worker * 2, workerPerSecond * 2));
        t.put(BILLED + "/binary", stats(gateway / 2, gateway, gatewayP99, gatewayPerSecond * 2));
        t.put(BILLED + "/grpc", stats(gateway / 3, gateway, gatewayP99, gatewayPerSecond * 3));
        return new BenchReport.Scenario(model, model, 1, clients, batching, t);
    }

    private static DataPath.Verdict verdict(List<DataPath.Verdict> all, String start) {
        return all.stream().filter(v -> v.target().startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void rowsCompareEachProtocolsDoorsAndGrpcAgainstTheWorkerOverBinary() {
        List<DataPath.Row> rows = DataPath.rows(scenario("iris", 1, false, 20, 400, 1200, 5000, 2000, 800));

        assertEquals(List.of(Protocol.JSON, Protocol.BINARY, Protocol.GRPC),
                rows.stream().map(DataPath.Row::protocol).toList());
        assertEquals(BILLED, rows.get(0).c());
        assertEquals("worker/binary", rows.get(2).b());
        assertEquals(BILLED + "/grpc", rows.get(2).c());
        assertEquals(20.0, rows.get(0).latencyBOverA().getAsDouble(), 1e-9);
        assertEquals(3.0, rows.get(0).latencyCOverB().getAsDouble(), 1e-9);
        assertEquals(0.4, rows.get(0).throughputCOverB().getAsDouble(), 1e-9);
        assertEquals(0.1, rows.get(0).throughputBOverA().getAsDouble(), 1e-9);
        assertEquals(2.0, rows.get(2).latencyCOverB().getAsDouble(), 1e-9);
    }

    @Test
    void eachTargetIsMetOrMissedByHowMuchInItsOwnScenario() {
        List<DataPath.Verdict> all = DataPath.verdicts(List.of(
                // conv, 1 client: JSON gateway +900 us over the worker (met), binary 4950 us against raw 600 (missed)
                scenario("conv", 1, false, 600, 9000, 9900, 20000, 100, 90),
                // iris, 1 client: the worker adds 380 us (missed by 230)
                scenario("iris", 1, false, 20, 400, 1200, 5000, 2000, 800),
                // iris, 32 clients: +1500 us at p50 (missed by 500), p99 +2000 over 3 * 4000 (met), 85% throughput
                scenario("iris", 32, false, 20, 4000, 5500, 14000, 3000, 2550),
                // mlp, 32 clients: batching 3x the throughput (binary) at a lower p95: met
                scenario("mlp", 32, false, 200, 8000, 9000, 30000, 1000, 900),
                scenario("mlp", 32, true, 200, 3000, 4000, 20000, 3000, 2800)));

        DataPath.Verdict convJson = verdict(all, "conv, 574 KB JSON");
        assertEquals(Optional.of(true), convJson.met());
        assertTrue(convJson.measured().contains("+900 us (limit +1000 us)"), convJson.measured());
        DataPath.Verdict convBinary = verdict(all, "conv, binary");
        assertEquals(Optional.of(false), convBinary.met());
        assertTrue(convBinary.measured().contains("+4350 us (limit +1500 us); missed by 2850 us"),
                convBinary.measured());
        DataPath.Verdict worker = verdict(all, "tiny model (iris): the worker adds");
        assertEquals(Optional.of(false), worker.met());
        assertTrue(worker.measured().contains("missed by 230 us"), worker.measured());
        assertEquals("MISSED", worker.verdict());
        DataPath.Verdict p50 = verdict(all, "tiny model (iris): the control plane adds at most 1 ms");
        assertEquals(Optional.of(false), p50.met());
        assertTrue(p50.measured().contains("missed by 500 us"), p50.measured());
        assertTrue(p50.where().contains("32 clients") && p50.where().contains(BILLED), p50.where());
        assertEquals(Optional.of(true), verdict(all, "tiny model (iris): the control plane adds at most 3 ms").met());
        DataPath.Verdict share = verdict(all, "tiny model (iris): control plane throughput");
        assertEquals(Optional.of(false), share.met());
        assertTrue(share.measured().contains("85% (needs >= 90%); missed by 5 points"), share.measured());
        DataPath.Verdict batching = verdict(all, "batching (mlp");
        assertEquals(Optional.of(true), batching.met());
        assertTrue(batching.where().contains("worker over binary"), batching.where());
        assertTrue(batching.measured().contains("3.00x"), batching.measured());
    }

    @Test
    void batchingMissesWhenTheP95RisesEvenAtHigherThroughputAndTargetsNotMeasuredSaySo() {
        List<DataPath.Verdict> all = DataPath.verdicts(List.of(
                scenario("mlp", 32, false, 200, 3000, 4000, 9000, 1000, 900),
                scenario("mlp", 32, true, 200, 4000, 5000, 9000, 3000, 2800)));

        DataPath.Verdict batching = verdict(all, "batching (mlp");
        assertEquals(Optional.of(false), batching.met());
        assertTrue(batching.measured().contains("1000 us higher"), batching.measured());
        DataPath.Verdict conv = verdict(all, "conv, binary");
        assertTrue(conv.met().isEmpty());
        assertEquals("not measured", conv.verdict());
        assertEquals("not in this run", conv.where());
    }

    @Test
    void reportShowsTheVerdictsTheBatchingComparisonAndTheRatiosInItsJson() {
        BenchReport report = new BenchReport(Map.of("cpus", "2"), Map.of("requests", 10), List.of(
                scenario("mlp", 32, false, 200, 8000, 9000, 30000, 1000, 900),
                scenario("mlp", 32, true, 200, 3000, 4000, 20000, 3000, 2800)));

        String md = report.markdown();
        assertTrue(md.contains("## Targets of issue 8"), md);
        assertTrue(md.contains("| **met** |"), md);
        assertTrue(md.contains("## Batching on against off"), md);
        assertTrue(md.contains("| mlp | 1 | 32 | worker/binary | 2000 | 6000 | 3.00x |"), md);
        assertTrue(report.table().contains("issue 8 targets:") && report.table().contains("met"), report.table());
        JsonNode json = Json.parse(report.json());
        assertTrue(json.path("scenarios").get(1).path("batching").asBoolean());
        JsonNode grpc = json.path("scenarios").get(0).path("data_path").get(2);
        assertEquals("grpc", grpc.path("protocol").asText());
        assertEquals(1.35, grpc.path("throughput_c_over_b").asDouble(), 1e-9);
        JsonNode batching = json.path("issue_8_targets").get(6);
        assertTrue(batching.path("met").asBoolean(), batching.toString());
        assertTrue(json.path("issue_8_targets").get(0).path("met").isNull());
        assertFalse(md.contains("NaN"), md);
    }
}
