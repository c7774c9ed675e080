package io.aiaas.platform.billing.invoice.service;

import java.util.List;

/**
 * What closing a period did.
 *
 * @param created numbers of the invoices this call created
 * @param alreadyClosed tenants whose period already had an invoice (closing is idempotent)
 * @param stillOpen tenants whose period has not ended yet in their time zone
 * @param busy tenants another replica was closing at the same moment, or whose close failed (logged); the next run
 *     retries them
 */
public record CloseReport(String period, List<String> created, int alreadyClosed, int stillOpen, int busy) {
}
