package io.aiaas.console.api.admin;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/credit-notes}: how much of a finalized invoice to credit, in micro-units
 * of its currency (the console converts the typed decimal exactly), and why.
 */
public record CreditNoteRequest(long amountMicros, String reason) {
}
