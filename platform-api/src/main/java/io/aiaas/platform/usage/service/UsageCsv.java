package io.aiaas.platform.usage.service;

import io.aiaas.platform.common.web.Csv;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A usage report as CSV (RFC 4180, CRLF line ends): a header, then one record per bucket (and group) in the report's
 * order; grouped reports have a {@code model} or {@code key_id} column after {@code end}.
 */
public record UsageCsv(String filename, String body) {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static UsageCsv of(UsageReport report) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("start", "end"));
        if (report.groupBy() != null) {
            header.add("key".equals(report.groupBy()) ? "key_id" : report.groupBy());
        }
        header.addAll(List.of("requests", "billable_requests", "errors", "refused", "items", "compute_ms", "bytes_in",
                "bytes_out", "cost_nanos"));
        Csv.record(out, header);
        for (UsageBucket b : report.buckets()) {
            List<String> fields = new ArrayList<>(List.of(b.start().toString(), b.end().toString()));
            if (report.groupBy() != null) {
                fields.add(b.group() == null ? "" : b.group());
            }
            fields.addAll(List.of(String.valueOf(b.requests()), String.valueOf(b.billableRequests()),
                    String.valueOf(b.errors()), String.valueOf(b.refused()), String.valueOf(b.items()),
                    BigDecimal.valueOf(b.computeMs()).stripTrailingZeros().toPlainString(),
                    String.valueOf(b.bytesIn()), String.valueOf(b.bytesOut()), String.valueOf(b.costNanos())));
            Csv.record(out, fields);
        }
        return new UsageCsv("usage-" + report.tenant() + "-" + FILE_TIME.format(report.start()) + ".csv",
                out.toString());
    }
}
