package io.aiaas.console.api.admin;

import java.util.List;

/**
 * What {@code POST /admin/v1/billing/close} did for a period: the numbers of the invoices it created, how many tenants
 * already had theirs (closing again creates nothing new), how many are still in the period in their own time zone,
 * and how many were busy (being closed elsewhere, or failed; the next run retries them).
 */
public record CloseReport(String period, List<String> created, int alreadyClosed, int stillOpen, int busy) {

    public List<String> created() {
        return created == null ? List.of() : created;
    }
}
