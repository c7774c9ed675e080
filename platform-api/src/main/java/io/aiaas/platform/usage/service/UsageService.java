package io.aiaas.platform.usage.service;

import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.validation.StorableTimestamp;
import io.aiaas.platform.usage.persistence.UsageQueries;
import io.aiaas.platform.usage.persistence.UsageQueries.Grouping;
import io.aiaas.platform.usage.persistence.UsageQueries.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Usage reports of a tenant over usage_records. */
@ApplicationScoped
public class UsageService {

    /** The longest range one report may cover. */
    static final Duration MAX_RANGE = Duration.ofDays(366);

    private final UsageQueries queries;

    UsageService(UsageQueries queries) {
        this.queries = queries;
    }

    /**
     * @param start ISO-8601 instant (inclusive), default now - 24 h
     * @param end ISO-8601 instant (exclusive), default now
     * @param bucketWidth {@code 1h} (default) or {@code 1d}
     * @param groupBy {@code model}, {@code key} or null
     * @throws ApiException {@code invalid_parameter} naming the bad parameter
     */
    public UsageReport report(TenantAccess access, String start, String end, String bucketWidth, String groupBy) {
        Instant now = Instant.now();
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
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            default -> throw invalid("bucket_width must be '1h' or '1d'");
        };
        Grouping grouping = groupBy == null || groupBy.isBlank() ? Grouping.NONE : switch (groupBy.trim()) {
            case "model" -> Grouping.MODEL;
            case "key" -> Grouping.KEY;
            default -> throw invalid("group_by must be 'model' or 'key'");
        };
        List<Row> rows = queries.aggregate(access.tenantId(), from, to, step.toSeconds(), grouping);
        List<UsageBucket> buckets = rows.stream().map(r -> new UsageBucket(r.bucket(), r.bucket().plus(step),
                r.group(), r.requests(), r.billable(), r.errors(), r.items(), r.computeUs() / 1000.0, r.bytesIn(),
                r.bytesOut())).toList();
        UsageReport.Totals totals = new UsageReport.Totals(
                rows.stream().mapToLong(Row::requests).sum(), rows.stream().mapToLong(Row::billable).sum(),
                rows.stream().mapToLong(Row::errors).sum(), rows.stream().mapToLong(Row::items).sum(),
                rows.stream().mapToLong(Row::computeUs).sum() / 1000.0, rows.stream().mapToLong(Row::bytesIn).sum(),
                rows.stream().mapToLong(Row::bytesOut).sum());
        return new UsageReport(access.slug(), from, to, width,
                grouping == Grouping.NONE ? null : grouping.name().toLowerCase(Locale.ROOT), buckets, totals);
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
