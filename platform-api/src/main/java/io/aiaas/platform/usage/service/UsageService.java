package io.aiaas.platform.usage.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.validation.StorableTimestamp;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.usage.persistence.UsageQueries;
import io.aiaas.platform.usage.persistence.UsageQueries.Filter;
import io.aiaas.platform.usage.persistence.UsageQueries.Grouping;
import io.aiaas.platform.usage.persistence.UsageQueries.Row;
import io.aiaas.platform.usage.persistence.UsageRetention;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Usage and cost reports of a tenant. Minute buckets come from usage_records (at most a day at a time); hour and day
 * buckets from the hourly roll-ups for the whole hours of the range and from usage_records only for the partial
 * hours at its edges, so the answer is the same as an aggregate over the rows without reading a month of them.
 */
@ApplicationScoped
public class UsageService {

    /** The longest range one report may cover. */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    /** The longest range of minute buckets (read from the raw rows). */
    static final Duration MAX_MINUTE_RANGE = Duration.ofDays(1);

    private static final Comparator<Row> ORDER = Comparator.comparing(Row::bucket)
            .thenComparing(Row::group, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Row::currency, Comparator.nullsLast(Comparator.naturalOrder()));

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final UsageQueries queries;
    private final UsageRetention retention;

    UsageService(UsageQueries queries, UsageRetention retention) {
        this.queries = queries;
        this.retention = retention;
    }

    /** The parsed parameters of a report. */
    private record Query(Instant from, Instant to, String width, Duration step, Grouping grouping, Filter filter) {

        String groupBy() {
            return grouping == Grouping.NONE ? null : grouping.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Usage per bucket (and group) with totals; only calls of the tenant, and of the model and key asked for.
     *
     * @throws ApiException {@code invalid_parameter} naming the bad parameter
     */
    public UsageReport report(TenantAccess access, ReportParameters parameters) {
        Query q = parse(parameters);
        List<Row> rows = aggregate(access.tenantId(), q, false);
        List<UsageBucket> buckets = rows.stream().map(r -> new UsageBucket(r.bucket(), r.bucket().plus(q.step()),
                r.group(), r.requests(), r.billable(), r.errors(), r.refused(), r.items(), r.computeUs() / 1000.0,
                r.bytesIn(), r.bytesOut(), r.costNanos())).toList();
        UsageReport.Totals totals = new UsageReport.Totals(
                rows.stream().mapToLong(Row::requests).sum(), rows.stream().mapToLong(Row::billable).sum(),
                rows.stream().mapToLong(Row::errors).sum(), rows.stream().mapToLong(Row::refused).sum(),
                rows.stream().mapToLong(Row::items).sum(), rows.stream().mapToLong(Row::computeUs).sum() / 1000.0,
                rows.stream().mapToLong(Row::bytesIn).sum(), rows.stream().mapToLong(Row::bytesOut).sum(),
                rows.stream().mapToLong(Row::costNanos).sum());
        return new UsageReport(access.slug(), q.from(), q.to(), q.width(), q.groupBy(), buckets, totals);
    }

    /** {@link #report} as a CSV download. */
    public UsageCsv csv(TenantAccess access, ReportParameters parameters) {
        return UsageCsv.of(report(access, parameters));
    }

    /** The same parameters as {@link #report}; money per bucket and currency. */
    public CostReport costs(TenantAccess access, ReportParameters parameters) {
        Query q = parse(parameters);
        List<Row> rows = aggregate(access.tenantId(), q, true);
        List<CostReport.Bucket> buckets = rows.stream().map(r -> new CostReport.Bucket(r.bucket(),
                r.bucket().plus(q.step()), r.group(), r.currency(), r.billable(), r.costRequestNanos(),
                r.costItemNanos(), r.costComputeNanos(), r.costNanos(), Money.exactDecimal(r.costNanos(),
                        r.currency()))).toList();
        Map<String, Long> byCurrency = new TreeMap<>();
        rows.forEach(r -> byCurrency.merge(r.currency(), r.costNanos(), Math::addExact));
        List<CostReport.Total> totals = byCurrency.entrySet().stream().map(e -> new CostReport.Total(e.getKey(),
                e.getValue(), Money.exactDecimal(e.getValue(), e.getKey()))).toList();
        return new CostReport(access.slug(), q.from(), q.to(), q.width(), q.groupBy(), buckets, totals);
    }

    private List<Row> aggregate(UUID tenantId, Query q, boolean byCurrency) {
        long width = q.step().toSeconds();
        if (q.step().compareTo(Duration.ofHours(1)) < 0) {
            return sorted(raw(tenantId, q.from(), q.to(), width, q.grouping(), q.filter(), byCurrency));
        }
        Instant firstHour = ceilHour(q.from());
        Instant lastHour = q.to().truncatedTo(ChronoUnit.HOURS);
        if (!firstHour.isBefore(lastHour)) {
            return sorted(raw(tenantId, q.from(), q.to(), width, q.grouping(), q.filter(), byCurrency));
        }
        List<Row> rows = new ArrayList<>(queries.rollups(tenantId, firstHour, lastHour, width, q.grouping(),
                q.filter(), byCurrency));
        if (q.from().isBefore(firstHour)) {
            rows.addAll(raw(tenantId, q.from(), firstHour, width, q.grouping(), q.filter(), byCurrency));
        }
        if (lastHour.isBefore(q.to())) {
            rows.addAll(raw(tenantId, lastHour, q.to(), width, q.grouping(), q.filter(), byCurrency));
        }
        Map<String, Row> merged = new LinkedHashMap<>();
        rows.forEach(r -> merged.merge(r.key(), r, Row::plus));
        return sorted(new ArrayList<>(merged.values()));
    }

    /** The raw rows of [from, to): 410 {@code usage_rows_expired} when the retention removed rows from then. */
    private List<Row> raw(UUID tenantId, Instant from, Instant to, long width, Grouping grouping, Filter filter,
            boolean byCurrency) {
        retention.requireKept(from, "minute buckets, or the partial hours at the edges of a range, from " + from);
        return queries.raw(tenantId, from, to, width, grouping, filter, byCurrency);
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> copy = new ArrayList<>(rows);
        copy.sort(ORDER);
        return copy;
    }

    private static Instant ceilHour(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(at) ? at : floor.plus(Duration.ofHours(1));
    }

    private static Query parse(ReportParameters p) {
        String start = p.start();
        String end = p.end();
        String bucketWidth = p.bucketWidth();
        String groupBy = p.groupBy();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant to = end == null || end.isBlank() ? now : parse("end", end);
        Instant from = start == null || start.isBlank() ? to.minus(Duration.ofHours(24)) : parse("start", start);
        if (!from.isBefore(to)) {
            throw invalid("start must be before end");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw invalid("the range from start to end may cover at most " + MAX_RANGE.toDays() + " days");
        }
        String width = bucketWidth == null || bucketWidth.isBlank() ? "1h" : bucketWidth.trim();
        Duration step = switch (width) {
            case "1m" -> Duration.ofMinutes(1);
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> throw invalid("bucket_width must be '1m', '1h' or '1d'");
        };
        if (step.toMinutes() == 1 && Duration.between(from, to).compareTo(MAX_MINUTE_RANGE) > 0) {
            throw invalid("bucket_width 1m allows a range from start to end of at most 1 day");
        }
        Grouping grouping = groupBy == null || groupBy.isBlank() ? Grouping.NONE : switch (groupBy.trim()) {
            case "model" -> Grouping.MODEL;
            case "key" -> Grouping.KEY;
            default -> throw invalid("group_by must be 'model' or 'key'");
        };
        return new Query(from, to, width, step, grouping, new Filter(model(p.model()), keyId(p.keyId())));
    }

    /** A model name as the catalog allows them, or null for any. */
    private static String model(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!ModelRefs.isValidName(value)) {
            throw invalid("model must be a model name: 1 to 100 letters, digits, '_', '.' or '-', starting with a"
                    + " letter or digit");
        }
        return value;
    }

    /** An API key id in the canonical UUID form, or null for any. */
    private static UUID keyId(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!UUID_TEXT.matcher(value).matches()) {
            throw invalid("key_id must be an API key id, a UUID such as 3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69");
        }
        return UUID.fromString(value);
    }

    private static Instant parse(String name, String value) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(name + " must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z");
        }
        if (instant.isBefore(StorableTimestamp.MIN) || instant.isAfter(StorableTimestamp.MAX)) {
            throw invalid(name + " must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return instant;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid_parameter", detail);
    }
}
