package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    private static long[] microsOneToHundredShuffled() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            // 37 is coprime to 100, so this visits 1..100 in a scrambled order
            nanos[i] = ((i * 37L) % 100 + 1) * 1000;
        }
        return nanos;
    }

    @Test
    void percentilesAreNearestRankOnMeasuredValues() {
        LatencyStats stats = LatencyStats.of(microsOneToHundredShuffled(), 0, 1_000_000_000L, 1);

        assertEquals(50.0, stats.medianUs());
        assertEquals(90.0, stats.p90Us());
        assertEquals(99.0, stats.p99Us());
        assertEquals(50.5, stats.meanUs(), 1e-9);
        assertEquals(1.0, stats.minUs());
        assertEquals(100.0, stats.maxUs());
        assertEquals(100, stats.requests());
    }

    @Test
    void smallSamplesPickAnExistingValueNotAnInterpolation() {
        long[] sorted = {10, 20, 30};

        assertEquals(20, LatencyStats.percentile(sorted, 0.5));
        assertEquals(30, LatencyStats.percentile(sorted, 0.9));
        assertEquals(30, LatencyStats.percentile(sorted, 0.99));
        assertEquals(10, LatencyStats.percentile(new long[] {10}, 0.5));
        assertEquals(10, LatencyStats.percentile(new long[] {10, 20}, 0.5));
    }

    @Test
    void throughputCountsSuccessfulRequestsOverBusyTimeAndItemsByBatch() {
        long[] nanos = new long[100];
        java.util.Arrays.fill(nanos, 5_000);

        LatencyStats stats = LatencyStats.of(nanos, 3, 500_000_000L, 32);

        assertEquals(200.0, stats.requestsPerSecond(), 1e-9);
        assertEquals(6400.0, stats.itemsPerSecond(), 1e-9);
        assertEquals(3, stats.errors());
    }

    @Test
    void cpuIsSharedOverEveryCallMadeFailedOnesIncluded() {
        long[] nanos = new long[96];
        java.util.Arrays.fill(nanos, 5_000);
        java.util.Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        cpu.put("platform-api", 150_000_000L);
        cpu.put("postgres", 20_000_000L);

        LatencyStats stats = LatencyStats.of(nanos, 4, 500_000_000L, 1, cpu);

        assertEquals(java.util.List.of("platform-api", "postgres"), java.util.List.copyOf(stats.cpuUsPerCall().keySet()));
        assertEquals(1500.0, stats.cpuUsPerCall().get("platform-api"), 1e-9);
        assertEquals(200.0, stats.cpuUsPerCall().get("postgres"), 1e-9);
        assertTrue(LatencyStats.of(nanos, 0, 1_000L, 1).cpuUsPerCall().isEmpty());
    }

    @Test
    void callersArrayIsLeftInItsOrder() {
        long[] nanos = {3000, 1000, 2000};

        LatencyStats.of(nanos, 0, 1_000_000L, 1);

        assertArrayEquals(new long[] {3000, 1000, 2000}, nanos);
    }

    @Test
    void noSuccessfulRequestIsRejectedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyStats.of(new long[0], 5, 1_000L, 1));
        assertTrue(e.getMessage().contains("no successful request"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new long[] {1}, 0, 0, 1));
    }
}
