package io.aiaas.platform.billing.tax.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A tax rate: {@code rate} the percent as a decimal string, {@code rate_ppm} the same in millionths. */
public record TaxRateView(UUID id, String country, String region, String name, String rate, int ratePpm,
        LocalDate effectiveFrom, Instant createdAt, String createdBy) {
}
