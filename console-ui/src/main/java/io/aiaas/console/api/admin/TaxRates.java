package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code GET /admin/v1/tax-rates}: every rate, scheduled ones and history included, ordered by country, region (the
 * whole country first) and the day it takes effect, the newest first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaxRates(List<TaxRate> rates) {

    public List<TaxRate> rates() {
        return rates == null ? List.of() : rates;
    }
}
