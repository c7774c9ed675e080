package io.aiaas.platform.limits.service;

import java.util.concurrent.locks.ReentrantLock;

/**
 * This replica's share of one shared counter: {@code amount} taken from PostgreSQL and not yet consumed there, of
 * which {@code inUse} is taken by calls now (rate windows: consumed this window; concurrency: calls in flight;
 * quotas and budgets: reservations of calls in flight). Guarded by its own monitor; {@link #refill} serialises the
 * replica's round trips for the counter so concurrent callers wait for one grant instead of each making their own.
 */
final class Lease {

    final String counter;
    /** The limit as the plan states it now; a plan change updates it in place, keeping what the lease holds. */
    volatile long limit;
    final ReentrantLock refill = new ReentrantLock();
    private long amount;
    private long inUse;
    private long usedSinceGrant;
    private long total;
    private long lastActivityNanos = System.nanoTime();
    private long lastGrantNanos = System.nanoTime();
    private long lastGranted;
    /**
     * What calls consumed from this lease whose usage rows committed without taking it off the lease's row (see
     * {@link #settlesLater}): the row still counts it until {@link Limits} settles it in PostgreSQL.
     */
    private long pending;
    /** How the latest admission refilled this lease: reused to refill it ahead, before a call finds it dry. */
    volatile java.util.function.BooleanSupplier refiller;

    Lease(String counter, long limit) {
        this.counter = counter;
        this.limit = limit;
    }

    synchronized boolean tryTake(long units) {
        if (amount - inUse >= units) {
            inUse += units;
            usedSinceGrant += units;
            lastActivityNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    /**
     * A call ends: its reservation (or slot) is no longer held, and {@code consumed} left the lease for good; with
     * {@code later}, the lease's row in PostgreSQL still holds it until {@link #takePending} hands it on.
     */
    synchronized void settle(long reserved, long consumed, boolean later) {
        inUse -= reserved;
        amount -= consumed;
        if (later) {
            pending += consumed;
        }
        lastActivityNanos = System.nanoTime();
    }

    /**
     * Whether a call's consumption may leave this lease's row later instead of in its usage row's transaction: only
     * far from the limit (as {@link #runningLow} reckons it), where the row counting it twice for a moment (in
     * period usage and in the lease) takes nothing from anyone. Near the limit every unit counts, and the usage
     * writer settles it in the same transaction as before.
     */
    synchronized boolean settlesLater() {
        return farFromLimit();
    }

    /** The consumption not yet taken off the lease's row, now handed to the caller to settle (0 if none). */
    synchronized long takePending() {
        long taken = pending;
        pending = 0;
        return taken;
    }

    /** Puts back consumption whose settlement failed, to be settled next time. */
    synchronized void restorePending(long units) {
        pending += units;
    }

    /** A rate-limit unit that was taken but whose call was refused by a later limit goes back to this replica. */
    synchronized void untake(long units) {
        inUse -= units;
        usedSinceGrant -= units;
    }

    synchronized void granted(long granted, long newTotal) {
        amount += granted;
        total = newTotal;
        usedSinceGrant = 0;
        lastGrantNanos = System.nanoTime();
        if (granted > 0) {
            lastGranted = granted;
        }
    }

    /**
     * Less than a quarter of the last grant is left while the counter is far from its limit: refill ahead. Near the
     * limit, leases are taken only on demand, so that no capacity waits unused in one replica's lease while callers
     * of another replica are refused.
     */
    synchronized boolean runningLow() {
        return farFromLimit() && amount - inUse < (lastGranted + 3) / 4;
    }

    /** More than four of the last grant's size left before the limit (and grants of more than one unit). */
    private boolean farFromLimit() {
        return lastGranted > 1 && limit - total > 4 * lastGranted;
    }

    /**
     * What the next grant should ask for: this replica's use since the last grant, projected over {@code horizon}
     * nanoseconds, so that a busy replica rarely needs a round trip.
     */
    synchronized long demand(long horizonNanos) {
        long elapsed = Math.max(1_000_000L, System.nanoTime() - lastGrantNanos);
        double projected = (double) usedSinceGrant * horizonNanos / elapsed;
        return projected >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) Math.ceil(projected);
    }

    /**
     * Takes the unused part out of the lease when it has been idle for {@code idleNanos}; answers it (0 if none),
     * to be given back in PostgreSQL.
     */
    synchronized long takeIdle(long idleNanos, long now) {
        long free = amount - inUse;
        if (free <= 0 || now - lastActivityNanos < idleNanos) {
            return 0;
        }
        amount -= free;
        total -= free;
        return free;
    }

    /** Puts back capacity whose return failed, so it is not lost on this replica. */
    synchronized void restore(long units) {
        amount += units;
        total += units;
    }

    synchronized long free() {
        return amount - inUse;
    }

    /** The counter's total as of this replica's last grant (all replicas' leases, plus period usage). */
    synchronized long total() {
        return total;
    }

    synchronized boolean idleAndEmpty(long idleNanos, long now) {
        return inUse == 0 && amount <= 0 && pending == 0 && now - lastActivityNanos >= idleNanos;
    }
}
