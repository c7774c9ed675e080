package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static final Path OUT = Path.of("out");

    private static String rejection(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args, OUT)).getMessage();
    }

    @Test
    void noArgumentsMeansTheDocumentedDefaults() {
        BenchOptions o = BenchOptions.parse(new String[0], OUT);

        assertEquals(List.of("iris", "linear256"), o.models());
        assertEquals(List.of(1, 32), o.batches());
        assertEquals(List.of(1, 4), o.concurrencies());
        assertEquals(2000, o.jvmWarmUp());
        assertEquals(200, o.warmUp());
        assertEquals(2000, o.requests());
        assertEquals(OUT, o.outDir());
        assertTrue(o.stateDir().isEmpty());
        assertFalse(o.keepState());
        assertFalse(o.billing());
        assertEquals(50, o.roundFor(4));
        assertEquals(8, o.scenarioCount());
        assertEquals(3, o.targetCount());
    }

    @Test
    void billingPresetMeasuresIrisFromOneTo64ClientsWithTheBilledTargetAndTheTwin() {
        BenchOptions o = BenchOptions.parse(new String[] {"--preset", "billing"}, OUT);

        assertTrue(o.billing());
        assertTrue(o.twin());
        // raw, worker, control-plane, control-plane+billing, control-plane-twin
        assertEquals(5, o.targetCount());
        assertEquals(List.of("iris"), o.models());
        assertEquals(List.of(1), o.batches());
        assertEquals(List.of(1, 8, 32, 64), o.concurrencies());
        assertEquals(5000, o.requests());
        assertEquals(BenchOptions.AUTO_ROUND, o.round());
        assertEquals(50, o.roundFor(1));
        assertEquals(640, o.roundFor(64));
    }

    @Test
    void optionsBesidesThePresetOverrideItWhereverItStands() {
        BenchOptions o = BenchOptions.parse(new String[] {"--requests", "300", "--preset", "billing",
            "--concurrency", "2", "--round", "7"}, OUT);

        assertEquals(300, o.requests());
        assertEquals(List.of(2), o.concurrencies());
        assertEquals(7, o.roundFor(64));
        assertTrue(o.billing());
        assertEquals(List.of("iris"), o.models());
    }

    @Test
    void twinAddsControlPlaneOnceMoreExceptWhereControlPlaneIsLeftOut() {
        BenchOptions twin = BenchOptions.parse(new String[] {"--twin"}, OUT);
        assertTrue(twin.twin());
        assertFalse(twin.billing());
        assertEquals(4, twin.targetCount(), "raw, worker, control-plane and its twin");
        assertFalse(BenchOptions.parse(new String[] {}, OUT).twin());
        BenchOptions billedOnly = BenchOptions.parse(new String[] {"--preset", "billing", "--billed-only"}, OUT);
        assertFalse(billedOnly.twin(), "--billed-only leaves out control-plane, so there is nothing to repeat");
        assertEquals(3, billedOnly.targetCount());
        assertFalse(BenchOptions.parse(new String[] {"--preset", "data-path"}, OUT).twin());
    }

    @Test
    void billingFlagAddsTheBilledTargetToTheDefaultScenarios() {
        BenchOptions o = BenchOptions.parse(new String[] {"--billing", "--round", "auto"}, OUT);

        assertTrue(o.billing());
        assertEquals(8, o.scenarioCount());
        assertEquals(List.of(1, 4), o.concurrencies());
        assertEquals(80, o.roundFor(8));
    }

    @Test
    void listsAndNumbersAreParsed() {
        BenchOptions o = BenchOptions.parse(new String[] {"--models", "mlp, iris", "--batches", "8", "--concurrency",
            "2,3", "--jvm-warmup", "7", "--warmup", "0", "--requests", "10", "--round", "5", "--out", "r",
            "--state-dir", "s", "--keep-state"}, OUT);

        assertEquals(List.of("mlp", "iris"), o.models());
        assertEquals(List.of(8), o.batches());
        assertEquals(List.of(2, 3), o.concurrencies());
        assertEquals(7, o.jvmWarmUp());
        assertEquals(0, o.warmUp());
        assertEquals(10, o.requests());
        assertEquals(5, o.round());
        assertEquals(Path.of("r"), o.outDir());
        assertEquals(Path.of("s"), o.stateDir().orElseThrow());
        assertTrue(o.keepState());
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertTrue(rejection("--models", "resnet").contains("unknown model 'resnet'"));
        assertTrue(rejection("--requests", "1000000").contains("--requests must be between 1 and 100000"));
        assertTrue(rejection("--requests", "0").contains("--requests"));
        assertTrue(rejection("--concurrency", "0").contains("--concurrency"));
        assertTrue(rejection("--batches", "two").contains("--batches must be a whole number, got 'two'"));
        assertTrue(rejection("--warmup").contains("--warmup needs a value"));
        assertTrue(rejection("--turbo", "1").contains("unknown option '--turbo'"));
        assertTrue(rejection("--models", ",").contains("--models needs at least one value"));
        assertTrue(rejection("--preset", "fast").contains("unknown preset 'fast'"));
        assertTrue(rejection("--round", "0").contains("--round must be between 1 and 100000, got 0"));
        assertTrue(rejection("--concurrency", "65").contains("--concurrency must be between 1 and 64"));
    }

    @Test
    void dataPathPresetIsIssue8sProofSizedPerModel() {
        BenchOptions o = BenchOptions.parse(new String[] {"--preset", "data-path"}, OUT);

        assertEquals(List.of("iris", "conv", "mlp"), o.models());
        assertEquals(List.of(Protocol.JSON, Protocol.BINARY, Protocol.GRPC), o.protocols());
        assertEquals(List.of(false, true), o.batchings());
        assertEquals(List.of(1, 8, 32, 64), o.concurrencies());
        assertEquals(List.of(1), o.batches());
        assertTrue(o.billing() && o.billedOnly() && o.writeDocs() && o.batchingOn());
        assertEquals(24, o.scenarioCount());
        // raw, the worker over json and binary, the billed gateway over json, binary and grpc
        assertEquals(6, o.targetCount());
        assertEquals(2000, o.requests("iris"));
        assertEquals(400, o.requests("conv"));
        assertEquals(1500, o.requests("mlp"));
        assertTrue(o.warmUp("conv") < o.warmUp("iris") && o.jvmWarmUp("conv") < o.jvmWarmUp("iris"));
    }

    @Test
    void aBareCountSetsEveryModelAndModelEqualsNOneModel() {
        BenchOptions smoke = BenchOptions.parse(new String[] {"--preset", "data-path", "--requests", "100",
            "--warmup", "20", "--concurrency", "1,8", "--protocols", "json,binary", "--no-write-docs"}, OUT);

        assertEquals(100, smoke.requests("conv"));
        assertEquals(100, smoke.requests("iris"));
        assertEquals(20, smoke.warmUp("conv"));
        assertEquals(List.of(Protocol.JSON, Protocol.BINARY), smoke.protocols());
        assertFalse(smoke.writeDocs());
        assertEquals(5, smoke.targetCount());

        BenchOptions mixed = BenchOptions.parse(new String[] {"--requests", "300,conv=40", "--jvm-warmup",
            "mlp=9"}, OUT);
        assertEquals(300, mixed.requests("iris"));
        assertEquals(40, mixed.requests("conv"));
        assertEquals(2000, mixed.jvmWarmUp("iris"));
        assertEquals(9, mixed.jvmWarmUp("mlp"));
        BenchOptions onlyConv = BenchOptions.parse(new String[] {"--preset", "data-path", "--requests", "conv=7"},
                OUT);
        assertEquals(7, onlyConv.requests("conv"));
        assertEquals(1500, onlyConv.requests("mlp"));
    }

    @Test
    void protocolsBatchingAndBilledOnlyAreParsed() {
        BenchOptions o = BenchOptions.parse(new String[] {"--protocols", "binary, grpc,binary", "--batching", "on",
            "--batch-delay-us", "0", "--billed-only", "--write-docs"}, OUT);

        assertEquals(List.of(Protocol.BINARY, Protocol.GRPC), o.protocols());
        assertEquals(List.of(true), o.batchings());
        assertEquals(0, o.batchDelayUs());
        assertTrue(o.billing() && o.billedOnly() && o.writeDocs());
        // raw, worker/binary, control-plane+billing over binary and grpc
        assertEquals(4, o.targetCount());
        assertEquals(List.of(Protocol.JSON), BenchOptions.parse(new String[0], OUT).protocols());
        assertEquals(List.of(false), BenchOptions.parse(new String[0], OUT).batchings());
    }

    @Test
    void badProtocolsBatchingAndCountsAreRejectedNamingTheOption() {
        assertTrue(rejection("--protocols", "http3").contains("unknown protocol 'http3'"));
        assertTrue(rejection("--batching", "maybe").contains("--batching takes off and on, got 'maybe'"));
        assertTrue(rejection("--requests", "resnet=5").contains("--requests: unknown model 'resnet'"));
        assertTrue(rejection("--requests", "conv=0").contains("--requests must be between 1 and 100000, got 0"));
        assertTrue(rejection("--warmup", "conv=x").contains("--warmup must be a whole number, got 'x'"));
        assertTrue(rejection("--batch-delay-us", "-1").contains("--batch-delay-us must be between 0 and 100000"));
    }
}
