package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import java.util.Set;

/**
 * A party to an invoice as platform-api gives it: the tenant it is addressed to ({@code bill_to}) or the platform
 * that issues it ({@code issuer}), each kept on the invoice as it was when the invoice was created. Also the body of
 * {@code PUT .../billing-profile}, the whole profile: a field left out (null) is cleared. {@code country} is an ISO
 * 3166-1 alpha-2 code such as DE.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingParty(String legalName, String addressLine1, String addressLine2, String city,
        String postalCode, String region, String country, String taxId, String email) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** The postal code and the city on one line ("10115 Berlin"), either alone when the other is missing, or null. */
    public String cityLine() {
        String line = ((postalCode == null ? "" : postalCode) + " " + (city == null ? "" : city)).trim();
        return line.isEmpty() ? null : line;
    }

    /** The country in English ("Germany" for DE), as an address block names it; the code itself when unknown here. */
    public String countryName() {
        return countryName(country);
    }

    /** The English name of an ISO 3166-1 alpha-2 code, the code itself when the JDK does not know it, null for none. */
    public static String countryName(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        if (!COUNTRIES.contains(code)) {
            return code;
        }
        return new Locale("", code).getDisplayCountry(Locale.ENGLISH);
    }
}
