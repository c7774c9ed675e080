package io.aiaas.console.admin;

import io.aiaas.console.api.admin.NewTaxRate;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The form that adds a tax rate on {@code /admin/tax-rates}, as typed. {@link #request} checks what the console can
 * without knowing platform-api's rules: the inputs it needs are there, the country is two letters, the lengths, the day
 * is a day. Whether the rate is a percent platform-api takes (0 to 100, at most 4 decimals) is its rule alone: the rate
 * is sent as typed and its refusal, 400 {@code invalid_tax_rate}, comes back beside the input.
 *
 * @param country upper-cased as typed ("de" is the same country as "DE")
 * @param effectiveFrom a day (YYYY-MM-DD) or "" for today
 */
public record TaxRateForm(String country, String region, String name, String rate, String effectiveFrom) {

    static final TaxRateForm EMPTY = new TaxRateForm("", "", "", "", "");

    static final int MAX_REGION = 100;
    static final int MAX_NAME = 40;
    /** Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}. */
    static final Map<String, String> INPUTS = Map.of("country", "country", "region", "region", "name", "name", "rate",
            "rate", "effective_from", "effective_from");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    /** The inputs as posted, trimmed; nothing posted is the empty string. */
    static TaxRateForm typed(String country, String region, String name, String rate, String effectiveFrom) {
        return new TaxRateForm(trim(country).toUpperCase(Locale.ROOT), trim(region), trim(name), trim(rate),
                trim(effectiveFrom));
    }

    /**
     * The request to send, or null with a message per input (by input name) in {@code errors}. An empty region and an
     * empty day are left out of the request: the whole country, from today.
     */
    NewTaxRate request(Map<String, String> errors) {
        if (country.isEmpty()) {
            errors.put("country", "enter the country's two-letter code, e.g. DE");
        } else if (!COUNTRY.matcher(country).matches()) {
            errors.put("country", "two letters (ISO 3166-1 alpha-2), e.g. DE or US");
        }
        if (region.length() > MAX_REGION) {
            errors.put("region", "at most 100 characters");
        }
        if (name.isEmpty()) {
            errors.put("name", "name the tax as the invoice line calls it, e.g. VAT or Sales tax");
        } else if (name.length() > MAX_NAME) {
            errors.put("name", "at most 40 characters");
        }
        if (rate.isEmpty()) {
            errors.put("rate", "enter the percent, e.g. 19 or 8.875");
        }
        LocalDate from = null;
        if (!effectiveFrom.isEmpty()) {
            try {
                from = LocalDate.parse(effectiveFrom);
            } catch (DateTimeParseException notADay) {
                errors.put("effective_from", "use the date picker, e.g. 2027-01-01");
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new NewTaxRate(country, region.isEmpty() ? null : region, name, rate, from);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
