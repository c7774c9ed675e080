package io.aiaas.localstack.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency percentiles and throughput of one target in one scenario, and the CPU each process of the stack spent per
 * call during its turns (empty when not measured). Percentiles are nearest-rank on the successful requests (the value
 * at rank ceil(p * n)), so every figure is a latency that was actually measured.
 */
public record LatencyStats(int requests, int errors, double medianUs, double p90Us, double p95Us,
                           double p99Us, double meanUs,
                           double minUs, double maxUs, double requestsPerSecond, double itemsPerSecond,
                           Map<String, Double> cpuUsPerCall) {

    public LatencyStats {
        cpuUsPerCall = Collections.unmodifiableMap(new LinkedHashMap<>(cpuUsPerCall));
    }

    /** Without CPU figures. */
    public LatencyStats(int requests, int errors, double medianUs, double p90Us, double p95Us, double p99Us,
                        double meanUs, double minUs, double maxUs, double requestsPerSecond, double itemsPerSecond) {
        this(requests, errors, medianUs, p90Us, p95Us, p99Us, meanUs, minUs, maxUs, requestsPerSecond, itemsPerSecond,
                Map.of());
    }

    /** Without CPU figures. */
    public static LatencyStats of(long[] nanos, int errors, long busyNanos, int batch) {
        return of(nanos, errors, busyNanos, batch, Map.of());
    }

    /**
     * @param nanos      latency of each successful request
     * @param errors     failed requests (not in {@code nanos})
     * @param busyNanos  wall time of the turns in which this target ran, all client threads together
     * @param batch      rows per request, for items per second
     * @param cpuNanos   CPU used by each process group during the target's turns, divided here by the calls made
     */
    public static LatencyStats of(long[] nanos, int errors, long busyNanos, int batch, Map<String, Long> cpuNanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no successful request to compute statistics from");
        }
        if (busyNanos <= 0 || batch < 1) {
            throw new IllegalArgumentException("busyNanos and batch must be positive, got " + busyNanos
                    + " and " + batch);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        double perSecond = sorted.length / (busyNanos / 1e9);
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpuNanos.forEach((group, spent) -> cpu.put(group, spent / 1e3 / (sorted.length + errors)));
        return new LatencyStats(sorted.length, errors, micros(percentile(sorted, 0.5)),
                micros(percentile(sorted, 0.9)), micros(percentile(sorted, 0.95)), micros(percentile(sorted, 0.99)),
                sum / sorted.length / 1e3,
                micros(sorted[0]), micros(sorted[sorted.length - 1]), perSecond, perSecond * batch, cpu);
    }

    /** Nearest-rank percentile of an ascending array, {@code p} in (0, 1]. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0 || p <= 0 || p > 1) {
            throw new IllegalArgumentException("need values and 0 < p <= 1, got " + sorted.length + " values and "
                    + p);
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
