package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.localstack.BillingStack.Answer;
import io.aiaas.localstack.BillingStack.Tenant;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@link BillingIT} sets its clients' answers against: a tenant's usage rows and period counters read over JDBC
 * ({@link StackDb}), its upcoming invoice, and the figures of the {@code RESULT} lines. {@link Exactly} is the
 * exactly-once account of one tenant: billable rows = 2xx answers by request id, no id twice, and the headers' costs,
 * the rows' and the invoice's all equal.
 */
final class BillingLedger {

    /** USD has cents: an invoice's total_minor is in them. */
    private static final long NANOS_PER_CENT = 10_000_000L;
    /** One instant on both clocks: client times (System.nanoTime) become comparable with the rows' timestamps. */
    private static final long NANO_BASE = System.nanoTime();
    private static final long WALL_BASE_NANOS = epochNanos(Instant.now());

    private final BillingStack stack;
    private final StackDb db;

    BillingLedger(BillingStack stack) {
        this.stack = stack;
        this.db = stack.db();
    }

    // ---- the database ----------------------------------------------------------------------------------------------

    /** A tenant's billable rows: how many, their cost, their request ids, ids with more than one billable row. */
    record Rows(int count, long costNanos, Set<String> ids, List<String> duplicates) {
    }

    Rows billableRows(UUID tenantId) throws SQLException {
        int count = 0;
        long cost = 0;
        Set<String> ids = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Object[] row : db.list("""
                SELECT request_id::text, count(*), sum(cost_nanos) FROM usage_records
                WHERE tenant_id = ? AND billable GROUP BY request_id""",
                rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)}, tenantId)) {
            ids.add((String) row[0]);
            count += (int) row[1];
            cost += (long) row[2];
            if ((int) row[1] > 1) {
                duplicates.add((String) row[0]);
            }
        }
        return new Rows(count, cost, ids, duplicates);
    }

    /** Request ids with more than one row of any kind. */
    private List<String> allRowIdsTwice(UUID tenantId) throws SQLException {
        return db.list("""
                SELECT request_id::text FROM usage_records WHERE tenant_id = ?
                GROUP BY request_id HAVING count(*) > 1""", rs -> rs.getString(1), tenantId);
    }

    Map<String, Long> billableRowsByIdempotencyKey(UUID tenantId) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        db.list("""
                SELECT coalesce(idempotency_key, '(none)'), count(*) FROM usage_records
                WHERE tenant_id = ? AND billable GROUP BY 1""", rs -> rows.put(rs.getString(1), rs.getLong(2)),
                tenantId);
        return rows;
    }

    /** The billable rows' started_at, finished_at (nanoseconds of the epoch) and compute time (ns), by request id. */
    Map<String, long[]> billableTimes(UUID tenantId) throws SQLException {
        Map<String, long[]> times = new HashMap<>();
        db.list("""
                SELECT request_id::text, started_at, finished_at, compute_us FROM usage_records
                WHERE tenant_id = ? AND billable""", rs -> times.put(rs.getString(1), new long[] {
                    epochNanos(rs.getObject(2, OffsetDateTime.class).toInstant()),
                    epochNanos(rs.getObject(3, OffsetDateTime.class).toInstant()),
                    TimeUnit.MICROSECONDS.toNanos(rs.getLong(4))}), tenantId);
        return times;
    }

    private static long epochNanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /** A client-side System.nanoTime() as nanoseconds of the epoch, to set beside the rows' times. */
    static long wallNanos(long nanoTime) {
        return WALL_BASE_NANOS + (nanoTime - NANO_BASE);
    }

    /** period_usage of the tenant, scope '*', over its periods: {requests, cost_nanos}. */
    long[] periodUsage(UUID tenantId) throws SQLException {
        return db.list("""
                SELECT coalesce(sum(requests), 0), coalesce(sum(cost_nanos), 0) FROM period_usage
                WHERE tenant_id = ? AND scope = '*'""", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, tenantId)
                .get(0);
    }

    /** The cost on the API key's own period_usage counter (scope {@code key:<id>}), its first row. */
    long keyPeriodCostNanos(UUID keyId) throws SQLException {
        return db.list("SELECT cost_nanos FROM period_usage WHERE scope = ?", rs -> rs.getLong(1), "key:" + keyId)
                .get(0);
    }

    /** Rows of the tenant matching the condition, waited for (up to 5 s) until there are {@code expected}. */
    long awaitRows(UUID tenantId, String condition, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long count;
        do {
            count = db.number("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND " + condition, tenantId);
            if (count >= expected) {
                return count;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return count;
    }

    // ---- exactly once ----------------------------------------------------------------------------------------------

    /** What one tenant's answers and rows say about exactly-once billing. */
    record Exactly(int answers, List<Answer> ok, Map<String, Long> byKind, int noAnswer, int withoutRequestId,
            List<String> idsAnsweredTwice, Rows rows, List<String> rowIdsTwice, Set<String> okWithoutRow,
            Set<String> rowWithoutOk, long headerCost, int invoiceStatus, long invoiceTotal, long invoiceLines,
            long invoiceMinor, String invoiceError) {

        String line(String tenant) {
            return String.format("RESULT exactly once, %s: %d answers %s, %d without an answer, %d without "
                            + "x-request-id; %d 2xx vs %d billable rows (2xx without a row %d, rows without a 2xx %d); "
                            + "request ids answered twice %d, in the rows twice %d; cost of the rows %d nanos, "
                            + "x-aiaas-cost total %d, upcoming invoice: HTTP %d, total %d nanos (%d minor units), "
                            + "lines %d nanos%s",
                    tenant, answers, byKind, noAnswer, withoutRequestId, ok.size(), rows.count(), okWithoutRow.size(),
                    rowWithoutOk.size(), idsAnsweredTwice.size(), rowIdsTwice.size(), rows.costNanos(), headerCost,
                    invoiceStatus, invoiceTotal, invoiceMinor, invoiceLines,
                    invoiceError == null ? "" : " (" + invoiceError + ")");
        }

        void assertHolds(String tenant) {
            assertAll(tenant,
                    () -> assertTrue(ok.size() > 0, "calls succeeded"),
                    () -> assertEquals(0, noAnswer, "every call is answered (the control plane never died)"),
                    () -> assertEquals(0, withoutRequestId, "every answer carries x-request-id"),
                    () -> assertEquals(List.of(), idsAnsweredTwice, "no request id answered twice"),
                    () -> assertEquals(List.of(), rowIdsTwice, "no request id twice in the rows"),
                    () -> assertEquals(ok.size(), rows.count(), "billable rows = 2xx answers"),
                    () -> assertEquals(Set.of(), okWithoutRow, "every 2xx has its billable row"),
                    () -> assertEquals(Set.of(), rowWithoutOk, "every billable row is a 2xx answer"),
                    () -> assertEquals(rows.costNanos(), headerCost, "x-aiaas-cost of the 2xx adds up to the rows"),
                    () -> assertEquals(200, invoiceStatus, "the upcoming invoice: " + invoiceError),
                    () -> assertEquals(rows.costNanos(), invoiceTotal, "the upcoming invoice's total (no fee, no "
                            + "credit) = the rows' cost to the nano-unit"),
                    () -> assertEquals(rows.costNanos(), invoiceLines, "its lines add up to the rows' cost"),
                    () -> assertTrue(invoiceMinor < 0
                                    || Math.abs(invoiceMinor * NANOS_PER_CENT - rows.costNanos()) < NANOS_PER_CENT,
                            "its total in cents (" + invoiceMinor + ") is the rows' cost rounded to a cent"));
        }
    }

    /** The tenant's answers set against its rows and its upcoming invoice. */
    Exactly exactly(Tenant tenant, List<Answer> all) throws SQLException {
        List<Answer> answers = List.copyOf(all);
        List<Answer> answered = answers.stream().filter(a -> a.status() != 0).toList();
        List<Answer> ok = answered.stream().filter(Answer::ok).toList();
        List<String> ids = answered.stream().flatMap(a -> a.requestId().stream()).toList();
        List<String> idsTwice = countBy(ids, Function.identity()).entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();
        Rows rows = billableRows(tenant.id());
        Set<String> okIds = requestIds(ok);
        Set<String> okWithoutRow = new HashSet<>(okIds);
        okWithoutRow.removeAll(rows.ids());
        Set<String> rowWithoutOk = new HashSet<>(rows.ids());
        rowWithoutOk.removeAll(okIds);

        ApiClient.Response invoice = stack.api().get("/api/v1/tenants/" + tenant.slug() + "/invoices/upcoming",
                stack.admin());
        JsonNode json = invoice.json();
        long lines = 0;
        for (JsonNode line : json.path("lines")) {
            lines += line.path("amount_nanos").asLong();
        }
        String error = invoice.status() == 200 ? null : abbreviate(invoice.body());
        if (invoice.status() == 200 && !json.path("total_nanos").canConvertToLong()) {
            error = "no total_nanos in " + abbreviate(invoice.body());
        }
        return new Exactly(answers.size(), ok, countBy(answered, Answer::kind), answers.size() - answered.size(),
                (int) answered.stream().filter(a -> a.requestId().isEmpty()).count(), idsTwice, rows,
                allRowIdsTwice(tenant.id()), okWithoutRow, rowWithoutOk, ok.stream().mapToLong(Answer::costNanos).sum(),
                invoice.status(), json.path("total_nanos").asLong(-1), lines, json.path("total_minor").asLong(-1),
                error);
    }

    /** Whether some answer (a synchronized list, still growing) is a 2xx to a call started after {@code since}. */
    static boolean servedSince(List<Answer> answers, long since) {
        synchronized (answers) {
            return answers.stream().anyMatch(a -> a.ok() && a.startNanos() > since);
        }
    }

    // ---- figures ---------------------------------------------------------------------------------------------------

    static Set<String> requestIds(List<Answer> answers) {
        return answers.stream().flatMap(a -> a.requestId().stream()).collect(Collectors.toSet());
    }

    static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
