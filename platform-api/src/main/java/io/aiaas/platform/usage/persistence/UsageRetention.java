package io.aiaas.platform.usage.persistence;

import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.usage.UsageConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Bounds the raw usage rows: once a day the monthly partitions of usage_records older than
 * {@code aiaas.usage.retention-months} whole months are dropped, each in a transaction that records the month in
 * usage_retention. The hourly roll-ups, period counters and invoices are kept, so reports on whole hours and invoices
 * never change; what read the raw rows of such a month (an invoice line's rows, minute buckets, a range's partial
 * hours) answers 410 {@code usage_rows_expired} instead of an empty answer ({@link #requireKept}).
 */
@ApplicationScoped
public class UsageRetention {

    private static final Logger LOG = Logger.getLogger(UsageRetention.class);
    static final int MIN_MONTHS = 3;
    private static final Pattern PARTITION = Pattern.compile("usage_records_(\\d{4})_(\\d{2})");

    /** What a run did: the months dropped, or why none was. */
    public record Expiry(List<YearMonth> dropped, String skipped) {
    }

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final int months;

    UsageRetention(Jdbc jdbc, AuditLog audit, UsageConfig config) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.months = checked(config.retentionMonths());
    }

    /** The setting, refused when it would keep less than {@value #MIN_MONTHS} months. */
    static int checked(int months) {
        if (months < 0 || months != 0 && months < MIN_MONTHS) {
            throw new IllegalArgumentException("aiaas.usage.retention-months is " + months + ": 0 keeps usage rows"
                    + " for ever, otherwise at least " + MIN_MONTHS + " months are kept");
        }
        return months;
    }

    /** Created at start, so that a wrong setting stops platform-api then, not at the first daily run. */
    void onStart(@Observes StartupEvent event) {
        LOG.debugf("usage rows kept %s", months == 0 ? "for ever" : months + " months");
    }

    @Scheduled(cron = "{aiaas.usage.partition-cron}", identity = "usage-retention")
    void daily() {
        if (months > 0) {
            Expiry expiry = expire(months, Instant.now());
            if (expiry.skipped() != null) {
                LOG.warnf("usage rows not expired: %s", expiry.skipped());
            }
        }
    }

    /**
     * Drops the partitions of the months before the current one (in UTC at {@code now}) less {@code keep} months,
     * one transaction each. Nothing while a draft invoice of such a month waits (its drill-down needs the rows). A
     * partition whose lock is not had within half a second (a long report reading it) is left for the next run, so
     * that the usage writer never waits long behind the drop.
     */
    public Expiry expire(int keep, Instant now) {
        YearMonth horizon = YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(keep);
        Instant horizonStart = horizon.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long drafts = jdbc.queryFirst("SELECT count(*) FROM invoices WHERE state = 'DRAFT' AND period_start < ?",
                rs -> rs.getLong(1), horizonStart).orElse(0L);
        if (drafts > 0) {
            return new Expiry(List.of(), drafts + " draft invoice(s) of a month before " + horizon
                    + " wait to be finalized or voided; their usage rows are kept until then");
        }
        TreeSet<YearMonth> expired = new TreeSet<>();
        for (String name : jdbc.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'usage_records'::regclass""", rs -> rs.getString(1))) {
            Matcher m = PARTITION.matcher(name);
            if (m.matches()) {
                YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                if (month.isBefore(horizon)) {
                    expired.add(month);
                }
            }
        }
        List<YearMonth> dropped = new ArrayList<>();
        for (YearMonth month : expired) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> drop(month, keep))) {
                    dropped.add(month);
                }
            } catch (RuntimeException e) {
                LOG.warnf("usage rows of %s not expired now (%s); the next run tries again", month, e.getMessage());
            }
        }
        return new Expiry(List.copyOf(dropped), null);
    }

    private boolean drop(YearMonth month, int keep) {
        String table = String.format("usage_records_%04d_%02d", month.getYear(), month.getMonthValue());
        jdbc.query("SELECT set_config('lock_timeout', '500ms', true)", rs -> rs.getString(1));
        jdbc.update("DROP TABLE IF EXISTS " + table); // the name is built from two numbers above, never from input
        int recorded = jdbc.update("INSERT INTO usage_retention (month) VALUES (?) ON CONFLICT DO NOTHING",
                month.atDay(1));
        if (recorded == 1) { // another replica's run dropped it first: one audit entry
            audit.record("system", ActorKind.SYSTEM, null, "usage.rows_expired", "usage_month", month.toString(),
                    "{\"retention_months\": " + keep + "}");
            LOG.infof("usage rows of %s expired (retention %d months)", month, keep);
        }
        return recorded == 1;
    }

    /** {@code aiaas.usage.retention-months}: 0 keeps rows for ever. */
    public int months() {
        return months;
    }

    /** The months whose rows were removed, newest first (at most {@code limit}). */
    public List<YearMonth> expiredMonths(int limit) {
        return jdbc.query("SELECT month FROM usage_retention ORDER BY month DESC LIMIT ?",
                rs -> YearMonth.from(rs.getObject(1, LocalDate.class)), limit);
    }

    /** The first instant whose raw usage rows are all kept; empty when none were ever removed. */
    public Optional<Instant> keptFrom() {
        return jdbc.queryFirst("SELECT month FROM usage_retention ORDER BY month DESC LIMIT 1", rs -> rs.getObject(1, LocalDate.class))
                .map(last -> last.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /**
     * Refuses a read of raw rows from {@code from} when rows from then were removed.
     *
     * @throws ApiException 410 {@code usage_rows_expired}
     */
    public void requireKept(Instant from, String what) {
        Optional<Instant> kept = keptFrom();
        if (kept.isPresent() && from.isBefore(kept.get())) {
            throw ApiException.of(410, "usage_rows_expired", "The raw usage rows before " + kept.get() + " were"
                    + " removed by the platform's retention, so " + what + " cannot be answered; the hourly"
                    + " roll-ups, the invoices and their lines are kept");
        }
    }
}
