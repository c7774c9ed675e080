package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * Where the retention of raw usage rows stands ({@code GET /admin/v1/usage/retention}): once raw rows of a month are
 * removed, invoices, hourly roll-ups and reports on whole hours stay, but what reads those rows (an invoice line's
 * drill-down, minute buckets, partial hours) answers 410 {@code usage_rows_expired}.
 *
 * @param retentionMonths platform-api's {@code aiaas.usage.retention-months}: whole months kept besides the current
 *        one, 0 for ever
 * @param keptFrom the first instant whose raw rows are all kept (a month's start in UTC); null when none were removed
 * @param expiredMonths the months whose raw rows were removed ({@code YYYY-MM}), newest first, at most 120
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageRetention(int retentionMonths, Instant keptFrom, List<String> expiredMonths) {

    public List<String> expiredMonths() {
        return expiredMonths == null ? List.of() : expiredMonths;
    }
}
