package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tenant's tax treatment, as {@code GET /admin/v1/tenants/{slug}/tax} gives it and {@code PUT} replaces it:
 * {@code standard} (the rate of its billing country, and region, applies), {@code exempt} (no tax) or
 * {@code reverse_charge} (no tax; its invoices say the customer accounts for it), with a note of at most 500
 * characters (why, e.g. an exemption certificate) or null, which is then not sent.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaxTreatment(String treatment, String note) {

    public static final String STANDARD = "standard";
    public static final String EXEMPT = "exempt";
    public static final String REVERSE_CHARGE = "reverse_charge";

    /** Whether it is that treatment, for the form's select. */
    public boolean is(String option) {
        return option.equals(treatment);
    }
}
