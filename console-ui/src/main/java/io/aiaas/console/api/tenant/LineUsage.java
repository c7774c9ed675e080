package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The billable calls behind one usage line of an invoice, one page; {@code next} is the next page's cursor. */
public record LineUsage(String invoice, int lineNo, String model, List<Row> rows, String next) {

    public List<Row> rows() {
        return rows == null ? List.of() : rows;
    }

    /** One call with its unit prices (micro-units) and cost (nano-units). */
    public record Row(UUID requestId, Instant startedAt, UUID apiKeyId, String model, Integer modelVersion,
            int statusCode, int items, long computeUs, String currency, Long priceRequest, Long priceItem,
            Long priceCompute, long costNanos) {
    }
}
