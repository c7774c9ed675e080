package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A sales tax or VAT rate as {@code /admin/v1/tax-rates} gives it: the country (ISO 3166 alpha-2) and optionally a
 * region of it (a US state, "NY"; null: the whole country), what invoice lines call it ("VAT"), the percent as
 * platform-api wrote it (an exact decimal string, "8.875", with {@code ratePpm} its parts per million), the day it takes
 * effect (UTC) and who added it when. A rate taking effect in the future is a scheduled change that can still be deleted; once
 * it took effect it stays, as history.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaxRate(UUID id, String country, String region, String name, String rate, long ratePpm,
        LocalDate effectiveFrom, Instant createdAt, String createdBy) {

    /** Whether it takes effect after {@code today} (a UTC day): a scheduled change, the only kind that is deleted. */
    public boolean scheduledAfter(LocalDate today) {
        return effectiveFrom != null && effectiveFrom.isAfter(today);
    }

    /** Whether it applies to the same place as {@code other}: the same country and region (both null for none). */
    public boolean samePlace(TaxRate other) {
        return java.util.Objects.equals(country, other.country) && java.util.Objects.equals(region, other.region);
    }
}
