package io.aiaas.platform.billing.tax.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * Body of {@code POST /admin/v1/tax-rates}: a country's rate (ISO 3166-1 alpha-2), or a region's of it, as a percent
 * with at most four decimals ({@code "8.875"}), from {@code effective_from} (default: today, UTC).
 */
public record TaxRateRequest(
        @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as DE") String country,
        @Size(min = 1, max = 100) String region,
        @NotBlank @Size(max = 40) String name,
        @NotBlank @Size(max = 20) String rate,
        LocalDate effectiveFrom) {
}
