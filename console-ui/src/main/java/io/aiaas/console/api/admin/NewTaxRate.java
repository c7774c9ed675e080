package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/**
 * Body of {@code POST /admin/v1/tax-rates}: the country (ISO 3166 alpha-2), a region of it or null (not sent: the whole
 * country), the name invoice lines give it (1-40 characters), the percent as a decimal string as typed (platform-api
 * takes "0" to "100" with at most 4 decimals, else 400 {@code invalid_tax_rate}) and the day it takes effect (null, not
 * sent: today in UTC).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewTaxRate(String country, String region, String name, String rate, LocalDate effectiveFrom) {
}
