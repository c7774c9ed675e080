package io.aiaas.platform.billing.invoice.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /admin/v1/invoices/{id}/credit-notes}: how much of a finalized invoice to credit (micro-units
 * of its currency; at most what is left of its total after earlier credit notes) and why.
 */
public record CreditNoteRequest(@NotNull @Positive Long amountMicros, @NotBlank @Size(max = 1000) String reason) {
}
