package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.InvoiceRow;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository.LineRow;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.usage.persistence.UsageRetention;
import io.aiaas.platform.access.TenantAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The drill-down from an invoice's usage line to the usage rows behind it, paged by request id. No HTTP in here. */
@ApplicationScoped
public class InvoiceUsageRows {

    static final int MAX_ROWS_PAGE = 1000;

    private final InvoiceRepository repository;
    private final UsageRetention retention;

    InvoiceUsageRows(InvoiceRepository repository, UsageRetention retention) {
        this.repository = repository;
        this.retention = retention;
    }

    /**
     * The billable usage rows behind a usage line, by request id.
     *
     * @param after the last request id of the previous page, or null
     * @param limit 1 to 1,000 (default 100)
     */
    @Transactional
    public UsageRowPage usage(TenantAccess access, String id, String lineNo, String after, String limit) {
        InvoiceRow row = InvoiceIds.parse(id).flatMap(uuid -> repository.find(access.tenantId(), uuid))
                .orElseThrow(() -> InvoiceIds.notFound(id));
        int number = parseInt(lineNo, "line_no").filter(v -> v > 0).orElseThrow(() -> lineNotFound(row, lineNo));
        LineRow line = repository.line(row.id(), number).orElseThrow(() -> lineNotFound(row, lineNo));
        if (!"usage".equals(line.kind())) {
            throw ApiException.badRequest("not_a_usage_line", "Line " + number + " of " + row.number()
                    + " is a " + line.kind() + " line; only usage lines have usage rows behind them");
        }
        retention.requireKept(row.periodStart(), "the usage rows behind line " + number + " of " + row.number());
        int size = limit == null || limit.isBlank() ? 100 : parseInt(limit, "limit")
                .filter(v -> v >= 1 && v <= MAX_ROWS_PAGE)
                .orElseThrow(() -> invalid("limit must be a whole number from 1 to " + MAX_ROWS_PAGE));
        UUID cursor = null;
        if (after != null && !after.isBlank()) {
            try {
                cursor = UUID.fromString(after.trim());
            } catch (IllegalArgumentException e) {
                throw invalid("after must be a request id (a UUID) from the previous page's next");
            }
        }
        List<InvoiceRepository.UsageRow> rows = repository.usageRows(row.tenantId(), row.billingPeriod(),
                line.modelName() == null ? "" : line.modelName(), row.periodStart(), row.periodEnd(), cursor,
                size + 1);
        boolean more = rows.size() > size;
        List<UsageRowPage.Row> page = rows.subList(0, Math.min(size, rows.size())).stream()
                .map(u -> new UsageRowPage.Row(u.requestId(), u.startedAt(), u.apiKeyId(), u.modelName(),
                        u.modelVersion(), u.statusCode(), u.itemCount(), u.computeUs(), u.currency(),
                        u.priceRequest(), u.priceItem(), u.priceCompute(), u.costRequestNanos(), u.costItemNanos(),
                        u.costComputeNanos(), u.costNanos()))
                .toList();
        return new UsageRowPage(row.number(), number, line.modelName(), page,
                more ? page.get(page.size() - 1).requestId().toString() : null);
    }

    private static Optional<Integer> parseInt(String value, String name) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ApiException lineNotFound(InvoiceRow row, String lineNo) {
        return ApiException.notFound("invoice_line_not_found", "Invoice " + row.number() + " has no line "
                + InvoiceIds.shorten(lineNo));
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid_parameter", detail);
    }
}
