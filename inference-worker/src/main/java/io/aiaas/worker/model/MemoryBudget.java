package io.aiaas.worker.model;

/**
 * How much memory the loaded versions may hold, host and device; 0 for no budget (nothing is evicted for that kind).
 */
public record MemoryBudget(long hostBytes, long deviceBytes) {

    public static final MemoryBudget NONE = new MemoryBudget(0, 0);

    public MemoryBudget {
        if (hostBytes < 0 || deviceBytes < 0) {
            throw new IllegalArgumentException("memory budgets must be >= 0 (0: no budget), got host " + hostBytes
                    + " and device " + deviceBytes);
        }
    }

    /** Whether {@code need} more fits next to {@code used} within {@code budget} (0: unlimited). */
    static boolean fits(long budget, long used, long need) {
        return budget == 0 || used + need <= budget;
    }
}
