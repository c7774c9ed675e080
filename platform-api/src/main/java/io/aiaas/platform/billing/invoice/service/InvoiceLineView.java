package io.aiaas.platform.billing.invoice.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of an invoice.
 *
 * @param kind {@code fee}, {@code usage}, {@code adjustment} (volume tiers), {@code credit} (included credit),
 *     {@code grant} (a credit grant drawn), {@code tax} or {@code correction} (a credit note)
 * @param model the model of a usage or adjustment line ({@code ""}: calls that named no model)
 * @param component {@code requests}, {@code items} or {@code compute} on usage and adjustment lines
 * @param quantity billable requests, items, or compute microseconds
 * @param amount the exact amount as a decimal string in the invoice's currency
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceLineView(int lineNo, String kind, String model, String component, long quantity,
        long amountNanos, String amount, String description) {
}
