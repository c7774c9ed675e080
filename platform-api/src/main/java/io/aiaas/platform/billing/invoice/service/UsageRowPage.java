package io.aiaas.platform.billing.invoice.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The billable usage rows behind one usage line, by request id; {@code next} is the {@code after} of the next page
 * (null on the last page).
 */
public record UsageRowPage(String invoice, int lineNo, String model, List<Row> rows, String next) {

    /** One call: its unit prices (micro-units per 1,000 requests, per 1,000 items, per compute-second) and cost. */
    public record Row(UUID requestId, Instant startedAt, UUID apiKeyId, String model, Integer modelVersion,
            int statusCode, int items, long computeUs, String currency, Long priceRequest, Long priceItem,
            Long priceCompute, long costRequestNanos, long costItemNanos, long costComputeNanos, long costNanos) {
    }
}
