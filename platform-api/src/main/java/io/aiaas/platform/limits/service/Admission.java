package io.aiaas.platform.limits.service;

import io.aiaas.platform.limits.service.LeaseStore.PeriodColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What admitting one call took from the shared limits: a concurrency slot, rate-limit units, reservations of quotas
 * and budget. {@link #finish} gives back what the call did not consume, exactly once.
 */
public final class Admission {

    /** A reservation of a monthly counter that the usage writer settles (moves from the lease to period usage). */
    public record Charge(String counter, PeriodColumn column) {
    }

    /** The tightest per-minute limit for the response headers; null fields when the plan has none. */
    public record RateView(long limit, long remaining, long resetSeconds) {
    }

    enum Kind {
        RATE, CONCURRENCY, PERIOD
    }

    /** @param later the consumption leaves the lease's row after the usage row commits, not in its transaction */
    record Hold(Lease lease, Kind kind, long reserved, PeriodColumn column, boolean later) {

        Hold(Lease lease, Kind kind, long reserved, PeriodColumn column) {
            this(lease, kind, reserved, column, false);
        }
    }

    private static final Admission NONE = new Admission(List.of(), null, null);

    private final List<Hold> holds;
    private final RateView rate;
    private final UUID holder;
    private boolean finished;

    Admission(List<Hold> holds, RateView rate, UUID holder) {
        this.holds = holds;
        this.rate = rate;
        this.holder = holder;
    }

    /** The replica's holder id the reservations were taken under (null when nothing was reserved). */
    public UUID holder() {
        return holder;
    }

    /** A call of a tenant without a plan: nothing limited, nothing reserved. */
    public static Admission none() {
        return NONE;
    }

    /**
     * The counters the usage writer must settle for this call in its row's transaction, and what each counts; the
     * others ({@link Lease#settlesLater}) this replica settles after the commit.
     */
    public List<Charge> charges() {
        List<Charge> charges = new ArrayList<>();
        for (Hold hold : holds) {
            if (hold.kind() == Kind.PERIOD && !hold.later()) {
                charges.add(new Charge(hold.lease().counter, hold.column()));
            }
        }
        return charges;
    }

    /** The per-minute limit closest to exhaustion, for x-ratelimit-* headers; null when the plan sets none. */
    public RateView rate() {
        return rate;
    }

    /**
     * Ends the call: the slot is free again, and each reservation is replaced by what the call consumed (zero unless
     * its billable usage row committed; the writer has already moved that amount in PostgreSQL, or, for a hold
     * settled later, this replica takes it off the lease's row shortly).
     */
    public synchronized void finish(Consumption consumed) {
        if (finished) {
            return;
        }
        finished = true;
        for (Hold hold : holds) {
            switch (hold.kind()) {
                case CONCURRENCY -> hold.lease().settle(hold.reserved(), 0, false);
                case RATE -> {
                    // a rate-limit unit is spent by being admitted
                }
                case PERIOD -> hold.lease().settle(hold.reserved(), consumed.of(hold.column()), hold.later());
            }
        }
    }

    /** What one call consumed of each monthly counter (all zero unless it was billed). */
    public record Consumption(long requests, long items, long computeUs, long costNanos) {
        public static final Consumption NOTHING = new Consumption(0, 0, 0, 0);

        long of(PeriodColumn column) {
            return switch (column) {
                case REQUESTS -> requests;
                case ITEMS -> items;
                case COMPUTE_US -> computeUs;
                case COST_NANOS -> costNanos;
            };
        }
    }

    /** Undoes a partial admission refused by a later limit. */
    static void undo(List<Hold> holds) {
        for (Hold hold : holds) {
            switch (hold.kind()) {
                case CONCURRENCY, PERIOD -> hold.lease().settle(hold.reserved(), 0, false);
                case RATE -> hold.lease().untake(hold.reserved());
            }
        }
    }
}
