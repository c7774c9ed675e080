package io.aiaas.platform.billing.tax.service;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A tenant's tax treatment ({@code GET/PUT /admin/v1/tenants/{slug}/tax}): {@code standard} (the rate of its billing
 * country, and region, applies), {@code exempt} or {@code reverse_charge} (no tax; the invoice carries the note, or
 * for a reverse charge a standard sentence when there is none).
 */
public record TaxTreatment(
        @NotNull @Pattern(regexp = "standard|exempt|reverse_charge",
                message = "must be standard, exempt or reverse_charge") String treatment,
        @Size(max = 500) String note) {
}
