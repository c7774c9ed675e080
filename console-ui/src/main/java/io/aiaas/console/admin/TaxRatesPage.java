package io.aiaas.console.admin;

import io.aiaas.console.api.admin.TaxRate;
import io.aiaas.console.web.FormError;
import java.time.LocalDate;
import java.util.List;

/**
 * What {@code /admin/tax-rates} shows: the rates with where each stands, or why they could not be read (the form shows
 * anyway), the add form as typed, a refused form's error and the notice of the last redirected action.
 *
 * @param ratesError why the rates could not be read, else null
 * @param today the day in UTC that decides which rate is scheduled, in effect or superseded (platform-api's day)
 * @param done the notice after an add or a delete, else null
 */
public record TaxRatesPage(List<TaxRate> rates, String ratesError, LocalDate today, TaxRateForm form,
        FormError error, String done) {

    /** A rate with where it stands today. */
    public record Row(TaxRate rate, String state) {

        /** Whether it takes effect after today: a scheduled change, the only kind that can be deleted. */
        public boolean scheduled() {
            return SCHEDULED.equals(state);
        }

        /** The state in words, for its badge: "scheduled", "in effect", "superseded". */
        public String stateLabel() {
            return state.replace('-', ' ');
        }
    }

    static final String SCHEDULED = "scheduled";
    static final String IN_EFFECT = "in-effect";
    static final String SUPERSEDED = "superseded";

    /** The rates in platform-api's order, each with where it stands. */
    public List<Row> rows() {
        return rates.stream().map(rate -> new Row(rate, state(rate))).toList();
    }

    /**
     * Scheduled when it takes effect after today; in effect when it is the latest of its country and region to have
     * taken effect; superseded when a later one of the same place has taken effect since.
     */
    String state(TaxRate rate) {
        if (rate.scheduledAfter(today)) {
            return SCHEDULED;
        }
        boolean later = rates.stream().anyMatch(other -> other != rate && rate.samePlace(other)
                && !other.scheduledAfter(today) && other.effectiveFrom() != null && rate.effectiveFrom() != null
                && other.effectiveFrom().isAfter(rate.effectiveFrom()));
        return later ? SUPERSEDED : IN_EFFECT;
    }

    /** The message of a refused delete ({@code delete-tax-rate-<id>}), else null. */
    public String deleteError() {
        return error.form() != null && error.form().startsWith(AdminTaxRatesResource.DELETE + "-")
                ? error.message() : null;
    }
}
