package io.aiaas.platform.limits.service;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of shared limits: capacity is taken from PostgreSQL in leases (rows of {@code limit_leases}, one per
 * counter and replica) under a lock that makes "what is left" exact, and given back when unused.
 *
 * <p>Two kinds of counters. A <em>window</em> counter (a rate-limit minute, a tenant's concurrency) is only leases:
 * live leases together never exceed the limit. A <em>period</em> counter (a monthly quota or budget) is
 * {@code period_usage} plus live leases: the usage writer moves what a call consumed from its replica's lease to
 * {@code period_usage} in the transaction that inserts the usage row, so the sum never exceeds the limit when a lease
 * is granted. Far from the limit the writer only adds it to {@code period_usage}, and the replica takes it off its
 * lease afterwards ({@link #giveBack}, or with its next grant of the counter): meanwhile the sum counts it twice, which
 * can only make a grant smaller, never let one exceed the limit.
 */
@ApplicationScoped
public class LeaseStore {

    /** What a grant gave, and the counter's total after it (all live leases, plus period usage). */
    public record Grant(long granted, long total) {
    }

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(?, 42))";
    private static final String LIVE_SUM = """
            SELECT coalesce(sum(amount), 0) FROM limit_leases WHERE counter = ? AND expires_at > now()""";
    // A lease of this replica that had expired (renewal failed for a whole TTL) counted as nothing for the others
    // meanwhile, so it restarts from the new grant.
    private static final String UPSERT = """
            INSERT INTO limit_leases (counter, holder, amount, expires_at)
            VALUES (?, ?, ?, now() + ? * interval '1 millisecond')
            ON CONFLICT (counter, holder) DO UPDATE SET
                amount = CASE WHEN limit_leases.expires_at > now() THEN limit_leases.amount ELSE 0 END
                         + excluded.amount,
                expires_at = greatest(limit_leases.expires_at, excluded.expires_at)""";
    private static final String ENSURE_PERIOD = """
            INSERT INTO period_usage (tenant_id, billing_period, scope) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String GIVE_BACK = "UPDATE limit_leases SET amount = amount - ? WHERE counter = ? AND holder = ?";
    // Window leases (rate-limit minutes) expire with their window and are never renewed.
    private static final String RENEW = """
            UPDATE limit_leases SET expires_at = now() + ? * interval '1 millisecond'
            WHERE holder = ? AND counter NOT LIKE 'r:%' AND expires_at > now()""";
    private static final String SWEEP = "DELETE FROM limit_leases WHERE expires_at < now() - interval '10 minutes'";

    private final Jdbc jdbc;

    LeaseStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Grants up to {@code want} (at least {@code need}, else nothing) of a window counter whose live leases may sum to
     * {@code limit}; {@code share} caps one grant at {@code free / share}.
     */
    public Grant grantWindow(String counter, UUID holder, long limit, long need, long want, int share,
            Duration ttl) {
        return jdbc.inTransaction(c -> {
            Jdbc.query(c, LOCK, rs -> null, counter);
            long leased = Jdbc.query(c, LIVE_SUM, rs -> rs.getLong(1), counter).get(0);
            return grant(c, counter, holder, limit, leased, need, want, share, ttl);
        });
    }

    /**
     * Grants of a period counter: {@code column} of period_usage (tenant, period, scope) plus live leases may sum to
     * {@code limit}. The period_usage row is locked first, the order the usage writer locks in too. {@code settled}:
     * what this replica's calls consumed whose usage rows committed without taking it off its lease, taken off first
     * so that it is not counted twice.
     */
    public Grant grantPeriod(String counter, UUID holder, UUID tenantId, LocalDate period, String scope,
            PeriodColumn column, long limit, long need, long want, int share, Duration ttl, long settled) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, ENSURE_PERIOD, tenantId, period, scope);
            // column comes from the enum, never from a request
            long used = Jdbc.query(c, "SELECT " + column.sql + " FROM period_usage"
                    + " WHERE tenant_id = ? AND billing_period = ? AND scope = ? FOR UPDATE",
                    rs -> rs.getLong(1), tenantId, period, scope).get(0);
            if (settled > 0) {
                Jdbc.update(c, GIVE_BACK, settled, counter, holder);
            }
            long leased = Jdbc.query(c, LIVE_SUM, rs -> rs.getLong(1), counter).get(0);
            Grant grant = grant(c, counter, holder, limit, Math.addExact(used, leased), need, want, share, ttl);
            return grant;
        });
    }

    private static Grant grant(Connection c, String counter, UUID holder, long limit, long taken, long need,
            long want, int share, Duration ttl) throws SQLException {
        long free = limit - taken;
        if (free < need || free <= 0) {
            return new Grant(0, taken);
        }
        long granted = Math.min(free, Math.max(need, Math.min(want, free / Math.max(1, share))));
        Jdbc.update(c, UPSERT, counter, holder, granted, ttl.toMillis());
        return new Grant(granted, taken + granted);
    }

    /**
     * Takes {@code amount} off this replica's lease: capacity it gives back unused, or what its calls consumed whose
     * usage rows committed without doing so (it only ever frees capacity, so it needs no lock).
     */
    public void giveBack(String counter, UUID holder, long amount) {
        if (amount > 0) {
            jdbc.update(GIVE_BACK, amount, counter, holder);
        }
    }

    /** Extends this replica's leases; answers how many it holds. */
    public int renew(UUID holder, Duration ttl) {
        return jdbc.update(RENEW, ttl.toMillis(), holder);
    }

    public int sweep() {
        return jdbc.update(SWEEP);
    }

    /** The columns of period_usage a quota or budget counts. */
    public enum PeriodColumn {
        REQUESTS("requests"), ITEMS("items"), COMPUTE_US("compute_us"), COST_NANOS("cost_nanos");

        final String sql;

        PeriodColumn(String sql) {
            this.sql = sql;
        }
    }
}
